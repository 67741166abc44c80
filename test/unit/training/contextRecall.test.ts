/**
 * models/train/context_recall.py sorts the positions of `bench quality --context full --records`
 * by where the names the answer needs are: shown by the prompt's file part (none needed), in the
 * context pieces sent, elsewhere in the same file, in files of its directory, or nowhere (new
 * names); words inside string literals are not names. Needs python3.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const SCRIPT = resolve('models/train/context_recall.py');
const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'pass'], { encoding: 'utf8' }).status === 0);

test('positions are sorted by where the names their answers need are', { skip: !python && 'no python3' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-context-recall-'));
  mkdirSync(join(dir, 'pkg'));
  const main = join(dir, 'pkg', 'main.py');
  const util = join(dir, 'pkg', 'util.py');
  // Line 1 defines far_helper; line 3 is the answer line each record removes.
  writeFileSync(main, 'def far_helper(x):\n    return x\nresult = answer_line\n');
  writeFileSync(util, 'def sibling_helper(y):\n    return y\n');
  const list = join(dir, 'files.txt');
  writeFileSync(list, `python\tpkg\t0\t${main}\npython\tpkg\t0\t${util}\n`);
  const fim = (visible: string) => `<|file_sep|>pkg/main.py\n<|fim_suffix|>\n<|fim_prefix|>${visible}<|fim_middle|>`;
  const at = (expected: string, prompt: string, exact = false) => ({ file: main, line: 3, kind: 'line-start', expected, prompt, force_prefix: '', exact });
  const rows = [
    at('return visible_name', fim('visible_name = 1\n'), true),
    at('piece_helper(1)', `<|file_sep|>pkg/util.py\ndef piece_helper(z): ...\n${fim('')}`),
    at('far_helper(1)', fim('')),
    at('sibling_helper(1)', fim('')),
    at('brand_new_name', fim('')),
    // The words of a string opened before the cursor are text, not names to retrieve.
    at('unknown_word in a message"', fim('message = "')),
  ];
  const records = join(dir, 'full.jsonl');
  writeFileSync(records, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const r = spawnSync(python!, [SCRIPT, '--records', records, '--files', list, '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as Record<string, { n: number; exact: number } | number | null>;
  assert.deepEqual(report.none, { n: 2, exact: 1 });
  assert.deepEqual(report.in_pieces, { n: 1, exact: 0 });
  assert.deepEqual(report.in_file, { n: 1, exact: 0 });
  assert.deepEqual(report.in_directory, { n: 1, exact: 0 });
  assert.deepEqual(report.new_names, { n: 1, exact: 0 });
  assert.equal(report.needs_names_outside_the_window, 4);
  assert.equal(report.recall_of_retrievable, 1 / 3);

  writeFileSync(records, `${JSON.stringify({ ...rows[0], prompt: undefined })}\n`);
  const old = spawnSync(python!, [SCRIPT, '--records', records, '--files', list], { encoding: 'utf8' });
  assert.notEqual(old.status, 0);
  assert.match(old.stderr, /full\.jsonl:1: no 'prompt' field/);
});
