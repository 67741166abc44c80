/** Where accepted completions may be captured: inside the workspace, or a file the user chose. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { decideCaptureFile, type CaptureInput } from '../../../extension/core/completion/captureTarget';

const base = mkdtempSync(join(tmpdir(), 'lathe-capture-'));
const ws = join(base, 'ws');
const outside = join(base, 'home');
mkdirSync(join(ws, 'data'), { recursive: true });
mkdirSync(outside);
symlinkSync(outside, join(ws, 'linked'));

const decide = (input: Partial<CaptureInput> & { setting: string }) => decideCaptureFile({ source: 'workspace', folders: [ws], approved: new Set(), ...input });

test('empty is off; relative paths are inside the first workspace folder', () => {
  assert.deepEqual(decide({ setting: '' }), { kind: 'off' });
  assert.deepEqual(decide({ setting: 'data/captured.jsonl' }), { kind: 'write', file: join(ws, 'data', 'captured.jsonl') });
  assert.deepEqual(decide({ setting: 'data/captured.jsonl', folders: [] }).kind, 'skip');
});

test('a workspace setting that leads outside the workspace (absolute, ../, or a symlinked folder) is asked about', () => {
  for (const setting of [join(outside, '.bashrc'), '../home/.bashrc', 'linked/.bashrc', 'linked/new/dir/rows.jsonl']) {
    assert.equal(decide({ setting }).kind, 'ask', setting);
  }
});

test("the user's own settings are the user's choice; a file the user allowed is written", () => {
  assert.deepEqual(decide({ setting: join(outside, 'rows.jsonl'), source: 'user' }), { kind: 'write', file: join(outside, 'rows.jsonl') });
  const file = join(outside, 'rows.jsonl');
  assert.deepEqual(decide({ setting: file, approved: new Set([file]) }), { kind: 'write', file });
});
