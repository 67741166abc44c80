import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { appendJsonl } from '../../../extension/core/common/fs/appendJsonl';
import { lintFile } from '../../../extension/core/curation/lint/file';

test('captured completion rows (FIM with provenance keys) are clean FIM rows for the linter', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'lathe-io-')), 'captured.jsonl');
  await appendJsonl(file, [{ prefix: 'def f():\n    ', suffix: '\n', middle: 'return 1', language: 'python', path: 'src/f.py', source: 'accepted-completion' }]);
  const report = await lintFile(file);
  assert.equal(report.format, 'fim');
  assert.equal(report.validRows, 1);
  assert.deepEqual(report.problems, []);
});
