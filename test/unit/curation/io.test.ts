import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { appendRows } from '../../../extension/core/curation/io/appendRows';
import { lintFile } from '../../../extension/core/curation/lint/file';
import { atomicWrite, nodeAtomicFs, type AtomicFs } from '../../../extension/core/curation/io/atomicWrite';

const dir = () => mkdtempSync(join(tmpdir(), 'lathe-io-'));

/** A file system whose writes fail after `okWrites` successful ones. */
function failingFs(okWrites: number, log: string[]): AtomicFs {
  return {
    ...nodeAtomicFs,
    async open(path, flags, mode) {
      const file = await nodeAtomicFs.open(path, flags, mode);
      let writes = 0;
      return {
        async write(data) {
          if (writes++ >= okWrites) throw new Error('ENOSPC: injected write failure');
          log.push(`write ${data.length}`);
          return file.write(data);
        },
        sync: async () => {
          log.push('fsync');
          await file.sync();
        },
        close: () => file.close(),
      };
    },
    async rename(from, to) {
      log.push('rename');
      await nodeAtomicFs.rename(from, to);
    },
  };
}

test('atomic write replaces the file after writing and fsyncing a temp file', async () => {
  const d = dir();
  const file = join(d, 'data.jsonl');
  writeFileSync(file, 'old\n');
  const log: string[] = [];
  await atomicWrite(file, [Buffer.from('new 1\n'), Buffer.from('new 2\n')], failingFs(100, log));
  assert.equal(readFileSync(file, 'utf8'), 'new 1\nnew 2\n');
  assert.deepEqual(log, ['write 12', 'fsync', 'rename']);
  assert.deepEqual(readdirSync(d), ['data.jsonl'], 'no temp file left');
});

test('a write failure halfway leaves the original file intact and no temp file', async () => {
  const d = dir();
  const file = join(d, 'data.jsonl');
  writeFileSync(file, 'original line 1\noriginal line 2\n');
  const big = Buffer.alloc(3 << 20, 0x61);
  const chunks = [big, big, big];
  await assert.rejects(atomicWrite(file, chunks, failingFs(1, [])), /injected write failure/);
  assert.equal(readFileSync(file, 'utf8'), 'original line 1\noriginal line 2\n');
  assert.deepEqual(readdirSync(d), ['data.jsonl']);
});

test('appendRows adds JSON lines, fixes a missing final newline, and serializes concurrent appends', async () => {
  const d = dir();
  const file = join(d, 'captured.jsonl');
  writeFileSync(file, Buffer.from('{"a":1}\nnot json \xff kept', 'latin1'));
  await Promise.all([appendRows(file, [{ prefix: 'a', suffix: 'b', middle: 'c' }]), appendRows(file, [{ b: 2 }, { c: 3 }])]);
  assert.equal(readFileSync(file, 'latin1'), '{"a":1}\nnot json \xff kept\n{"prefix":"a","suffix":"b","middle":"c"}\n{"b":2}\n{"c":3}\n');
  const fresh = join(d, 'new.jsonl');
  assert.deepEqual(await appendRows(fresh, [{ x: 1 }]), { file: fresh, appended: 1 });
  assert.equal(readFileSync(fresh, 'utf8'), '{"x":1}\n');
  assert.throws(() => appendRows(fresh, [[1, 2] as unknown as object]), /not a JSON object/);
});

test('captured completion rows (FIM with provenance keys) are clean FIM rows for the linter', async () => {
  const file = join(dir(), 'captured.jsonl');
  await appendRows(file, [{ prefix: 'def f():\n    ', suffix: '\n', middle: 'return 1', language: 'python', path: 'src/f.py', source: 'accepted-completion' }]);
  const report = await lintFile(file);
  assert.equal(report.format, 'fim');
  assert.equal(report.validRows, 1);
  assert.deepEqual(report.problems, []);
});
