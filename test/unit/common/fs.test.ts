import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { appendJsonl } from '../../../extension/core/common/fs/appendJsonl';
import { atomicWrite, FileWriteError } from '../../../extension/core/common/fs/atomicWrite';
import { nodeWriterFs, type WriterFs } from '../../../extension/core/common/fs/writerFs';

const dir = () => mkdtempSync(join(tmpdir(), 'lathe-fs-'));

interface Faults {
  /** Most bytes one write(2) accepts (a short write when the data is longer). */
  maxPerWrite?: number;
  /** After this many bytes in total, writes accept nothing (the disk is full without an error). */
  capacity?: number;
  /** After this many bytes in total, writes fail with this code. */
  failAt?: { bytes: number; code: string };
  /** fsync fails with this code. */
  syncCode?: string;
}

/** The real file system with injected short writes and failures; `log` records the calls. */
function faultyFs(faults: Faults, log: string[] = []): WriterFs {
  return {
    ...nodeWriterFs,
    async open(path, flags, mode) {
      const file = await nodeWriterFs.open(path, flags, mode);
      let total = 0;
      return {
        async write(data, offset, length) {
          let n = Math.min(length, faults.maxPerWrite ?? length);
          if (faults.failAt && total + n > faults.failAt.bytes) throw Object.assign(new Error(`${faults.failAt.code}: injected`), { code: faults.failAt.code });
          if (faults.capacity !== undefined) n = Math.max(0, Math.min(n, faults.capacity - total));
          log.push(`write ${n}/${length}`);
          if (n === 0) return { bytesWritten: 0 };
          const r = await file.write(data, offset, n);
          total += r.bytesWritten;
          return r;
        },
        async sync() {
          log.push('fsync');
          if (faults.syncCode) throw Object.assign(new Error(`${faults.syncCode}: injected`), { code: faults.syncCode });
          await file.sync();
        },
        stat: () => file.stat(),
        close: () => file.close(),
      };
    },
    async rename(from, to) {
      log.push('rename');
      await nodeWriterFs.rename(from, to);
    },
    async syncDir(path) {
      log.push('fsync folder');
      await nodeWriterFs.syncDir(path);
    },
  };
}

test('atomicWrite replaces the file: temp file written, fsynced, renamed, folder fsynced; no temp left', async () => {
  const d = dir();
  const file = join(d, 'data.jsonl');
  writeFileSync(file, 'old\n');
  chmodSync(file, 0o600);
  const log: string[] = [];
  assert.equal(await atomicWrite(file, [Buffer.from('new 1\n'), Buffer.from('new 2\n')], { fs: faultyFs({}, log) }), 12);
  assert.equal(readFileSync(file, 'utf8'), 'new 1\nnew 2\n');
  assert.deepEqual(log, ['write 12/12', 'fsync', 'rename', 'fsync folder']);
  assert.deepEqual(readdirSync(d), ['data.jsonl'], 'no temp file left');
  assert.equal(statSync(file).mode & 0o777, 0o600, 'the mode is kept');
  await atomicWrite(join(d, 'sub', 'new.txt'), 'text');
  assert.equal(readFileSync(join(d, 'sub', 'new.txt'), 'utf8'), 'text', 'a missing folder is created');
});

test('a short write is retried until every byte is written', async () => {
  const file = join(dir(), 'data.jsonl');
  const log: string[] = [];
  const content = Buffer.alloc(10_000, 0x61);
  await atomicWrite(file, content, { fs: faultyFs({ maxPerWrite: 4096 }, log) });
  assert.deepEqual(readFileSync(file), content);
  assert.deepEqual(log.filter((l) => l.startsWith('write')), ['write 4096/10000', 'write 4096/5904', 'write 1808/1808']);
});

test('a disk that stops accepting bytes (short writes, then none) fails the save and keeps the original', async () => {
  const d = dir();
  const file = join(d, 'data.jsonl');
  writeFileSync(file, 'original line 1\noriginal line 2\n');
  const big = Buffer.alloc(3 << 20, 0x61);
  const err = await atomicWrite(file, [big, big], { fs: faultyFs({ maxPerWrite: 65536, capacity: 1_171_456 }) }).catch((e: unknown) => e);
  assert.ok(err instanceof FileWriteError, String(err));
  assert.equal(err.code, 'ESHORT');
  assert.match(err.message, /cannot write .*data\.jsonl: the file system accepted fewer bytes .*left unchanged/);
  assert.equal(readFileSync(file, 'utf8'), 'original line 1\noriginal line 2\n');
  assert.deepEqual(readdirSync(d), ['data.jsonl']);
});

for (const code of ['ENOSPC', 'EDQUOT', 'EIO']) {
  test(`${code} halfway is a clear error naming the file; the original is untouched and the temp file removed`, async () => {
    const d = dir();
    const file = join(d, 'data.jsonl');
    writeFileSync(file, 'original\n');
    const chunks = [Buffer.alloc(3 << 20, 0x61), Buffer.alloc(3 << 20, 0x62)];
    const err = await atomicWrite(file, chunks, { fs: faultyFs({ failAt: { bytes: 4 << 20, code } }) }).catch((e: unknown) => e);
    assert.ok(err instanceof FileWriteError);
    assert.equal(err.code, code);
    assert.equal(err.file, file);
    const words = { ENOSPC: 'the disk is full', EDQUOT: 'the disk quota is exceeded', EIO: 'I/O error' }[code]!;
    assert.ok(err.message.includes(words) && err.message.includes(file) && err.message.includes('left unchanged'), err.message);
    assert.equal(readFileSync(file, 'utf8'), 'original\n');
    assert.deepEqual(readdirSync(d), ['data.jsonl']);
  });
}

test('an fsync failure (delayed allocation on a full disk) fails the save before the rename', async () => {
  const d = dir();
  const file = join(d, 'data.jsonl');
  writeFileSync(file, 'original\n');
  const log: string[] = [];
  await assert.rejects(atomicWrite(file, 'new\n', { fs: faultyFs({ syncCode: 'ENOSPC' }, log) }), (e: unknown) => e instanceof FileWriteError && e.code === 'ENOSPC');
  assert.ok(!log.includes('rename'));
  assert.equal(readFileSync(file, 'utf8'), 'original\n');
  assert.deepEqual(readdirSync(d), ['data.jsonl']);
});

test('writing through a symlink replaces its target and keeps the link', async () => {
  const d = dir();
  writeFileSync(join(d, 'real.jsonl'), 'old\n');
  symlinkSync(join(d, 'real.jsonl'), join(d, 'link.jsonl'));
  await atomicWrite(join(d, 'link.jsonl'), 'new\n');
  assert.equal(readFileSync(join(d, 'real.jsonl'), 'utf8'), 'new\n');
  assert.ok(readdirSync(d).includes('link.jsonl'));
  assert.equal(readFileSync(join(d, 'link.jsonl'), 'utf8'), 'new\n');
});

test("the next write to a folder removes the writer's own temp files older than a day, nothing else", async () => {
  const d = dir();
  const old = (Date.now() - 2 * 24 * 3600_000) / 1000;
  const names = {
    stale: '.data.jsonl.4242.0123abcd.tmp',
    staleOther: '.notes.prompty.17.ffffffff.tmp',
    fresh: '.data.jsonl.4243.89abcdef.tmp',
    foreignOld: '.data.jsonl.tmp',
    userOld: 'backup.tmp',
  };
  for (const [key, name] of Object.entries(names)) {
    writeFileSync(join(d, name), 'x');
    if (key !== 'fresh') utimesSync(join(d, name), old, old);
  }
  await atomicWrite(join(d, 'data.jsonl'), 'new\n');
  assert.deepEqual(readdirSync(d).sort(), [names.fresh, names.foreignOld, 'backup.tmp', 'data.jsonl'].sort());
});

test('writes and appends to one file run one after another', async () => {
  const file = join(dir(), 'data.jsonl');
  await Promise.all([atomicWrite(file, '{"a":1}\n'), appendJsonl(file, [{ b: 2 }]), appendJsonl(file, [{ c: 3 }])]);
  assert.equal(readFileSync(file, 'utf8'), '{"a":1}\n{"b":2}\n{"c":3}\n');
});

test('appendJsonl keeps the existing bytes, adds a missing final newline, creates files and folders', async () => {
  const d = dir();
  const file = join(d, 'captured.jsonl');
  writeFileSync(file, Buffer.from('{"a":1}\nnot json \xff kept', 'latin1'));
  await Promise.all([appendJsonl(file, [{ prefix: 'a', suffix: 'b', middle: 'c' }]), appendJsonl(file, [{ b: 2 }, { c: 3 }])]);
  assert.equal(readFileSync(file, 'latin1'), '{"a":1}\nnot json \xff kept\n{"prefix":"a","suffix":"b","middle":"c"}\n{"b":2}\n{"c":3}\n');
  const fresh = join(d, 'sub', 'new.jsonl');
  assert.deepEqual(await appendJsonl(fresh, [{ x: 1 }]), { file: fresh, appended: 1 });
  assert.equal(readFileSync(fresh, 'utf8'), '{"x":1}\n');
  assert.throws(() => appendJsonl(fresh, [[1, 2]]), /not a JSON object/);
});

test('a failed append (disk full) leaves every existing row in place', async () => {
  const d = dir();
  const file = join(d, 'captured.jsonl');
  const rows = Array.from({ length: 2000 }, (_, i) => `{"i":${i},"text":"${'x'.repeat(500)}"}\n`).join('');
  writeFileSync(file, rows);
  const err = await appendJsonl(file, [{ i: 2000 }], { fs: faultyFs({ failAt: { bytes: 100_000, code: 'ENOSPC' } }) }).catch((e: unknown) => e);
  assert.ok(err instanceof FileWriteError && err.code === 'ENOSPC');
  assert.equal(readFileSync(file, 'utf8'), rows);
  assert.deepEqual(readdirSync(d), ['captured.jsonl']);
});
