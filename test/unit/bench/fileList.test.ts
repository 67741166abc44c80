import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readFileEntries, readFileList, readListedSources } from '../../../extension/cli/bench/fileList';
import { CliError } from '../../../extension/cli/errors';

const sha = (t: string) => createHash('sha256').update(t).digest('hex');

test('a file list: comments skipped, the last column is the path, a sha256 third column pins the content', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-filelist-'));
  try {
    const a = join(dir, 'a.ts');
    const b = join(dir, 'b.py');
    writeFileSync(a, 'export const a = 1;\n');
    writeFileSync(b, 'b = 2\n');
    const list = join(dir, 'files.txt');
    writeFileSync(list, `# the set\nts\tpkg\t${sha('export const a = 1;\n')}\t${a}\n\n${b}\n`);
    assert.deepEqual(readFileList(list), [a, b]);
    assert.deepEqual(readFileEntries(list).map((e) => [e.sha256?.slice(0, 8), e.where]), [[sha('export const a = 1;\n').slice(0, 8), `${list}:2`], [undefined, `${list}:4`]]);
    assert.deepEqual(readListedSources(list).map((f) => f.text), ['export const a = 1;\n', 'b = 2\n']);
    assert.deepEqual(readFileList(`${a}, ${b}`), [a, b]);

    // The pinned file changes: the error names the list's line, the file and both hashes.
    writeFileSync(a, 'export const a = 2;\n');
    assert.throws(() => readListedSources(list), (err: unknown) => {
      assert.ok(err instanceof CliError);
      assert.match(err.message, new RegExp(`files\\.txt:2: .*a\\.ts has changed since the list was written \\(sha256 ${sha('export const a = 1;\n').slice(0, 12)}… listed, ${sha('export const a = 2;\n').slice(0, 12)}… now\\)`));
      return true;
    });
    rmSync(b);
    writeFileSync(list, `${b}\n`);
    assert.throws(() => readListedSources(list), /cannot read .*b\.py \(.*files\.txt:1\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
