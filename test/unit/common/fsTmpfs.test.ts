/**
 * The atomic writer on a real, tiny file system that fills up: a 2 MiB tmpfs mounted by the
 * test. Mounting needs root (CI and the dev machine run tests as root); elsewhere these tests
 * are skipped with the reason, and the injected short writes in fs.test.ts still run.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../../../extension/cli/main';
import { appendJsonl } from '../../../extension/core/common/fs/appendJsonl';
import { atomicWrite, FileWriteError } from '../../../extension/core/common/fs/atomicWrite';
import { convertFile } from '../../../extension/core/curation/tasks/convertFile';

const MiB = 1 << 20;
let mountPoint: string | undefined;
let skip: string | false = false;

function tryMount(): string | false {
  if (process.platform !== 'linux') return `needs Linux tmpfs (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root; the injected short writes in fs.test.ts cover the writer';
  const dir = mkdtempSync(join(tmpdir(), 'lathe-tmpfs-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,nr_inodes=64', 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return `mount -t tmpfs failed (${(r.stderr || r.error?.message || '').trim()}): no CAP_SYS_ADMIN here`;
  }
  mountPoint = dir;
  return false;
}

before(() => {
  skip = tryMount();
});

after(() => {
  if (!mountPoint) return;
  spawnSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

function clean(): string {
  for (const name of readdirSync(mountPoint!)) rmSync(join(mountPoint!, name), { recursive: true, force: true });
  return mountPoint!;
}

/** JSONL chat rows, `bytes` long in all. */
function chatRows(bytes: number): string {
  const rows: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const row = JSON.stringify({ messages: [{ role: 'user', content: `question ${i} ${'q'.repeat(200)}` }, { role: 'assistant', content: `answer ${i} ${'a'.repeat(200)}` }] }) + '\n';
    rows.push(row);
    size += row.length;
  }
  return rows.join('');
}

test('saving 1.5 MB over a 600 KB dataset on a full 2 MiB disk fails with ENOSPC and keeps the original', (t) => {
  if (skip) return t.skip(skip);
  return (async () => {
    const dir = clean();
    const file = join(dir, 'data.jsonl');
    const original = chatRows(600_000);
    writeFileSync(file, original);
    const bigger = chatRows(1_536_264);
    const err = await atomicWrite(file, bigger).catch((e: unknown) => e);
    assert.ok(err instanceof FileWriteError, `expected a FileWriteError, got ${String(err)}`);
    assert.equal(err.code, 'ENOSPC');
    assert.match(err.message, /data\.jsonl: the disk is full \(ENOSPC\); the file on disk was left unchanged/);
    assert.equal(readFileSync(file, 'utf8'), original);
    assert.deepEqual(readdirSync(dir), ['data.jsonl'], 'the temp file is gone, the space is free again');
    const smaller = chatRows(900_000);
    await atomicWrite(file, smaller);
    assert.equal(readFileSync(file, 'utf8'), smaller, 'once it fits, the save goes through');
  })();
});

test('appending to a capture file on a full disk fails and keeps every row', (t) => {
  if (skip) return t.skip(skip);
  return (async () => {
    const dir = clean();
    const file = join(dir, 'captured.jsonl');
    const rows = chatRows(1.2 * MiB);
    writeFileSync(file, rows);
    const err = await appendJsonl(file, [{ prefix: 'a', suffix: 'b', middle: 'c' }]).catch((e: unknown) => e);
    assert.ok(err instanceof FileWriteError && err.code === 'ENOSPC', String(err));
    assert.equal(readFileSync(file, 'utf8'), rows);
    assert.deepEqual(readdirSync(dir), ['captured.jsonl']);
  })();
});

test('dataset convert onto a nearly full disk fails instead of reporting rows it did not write', (t) => {
  if (skip) return t.skip(skip);
  return (async () => {
    const dir = clean();
    const source = join(mkdtempSync(join(tmpdir(), 'lathe-src-')), 'chat.jsonl');
    writeFileSync(source, chatRows(1.5 * MiB));
    writeFileSync(join(dir, 'filler.bin'), Buffer.alloc(MiB));
    const out = join(dir, 'converted.jsonl');
    writeFileSync(out, 'previous output\n');
    const err = await convertFile(source, out, 'sharegpt').catch((e: unknown) => e);
    assert.ok(err instanceof FileWriteError && err.code === 'ENOSPC', String(err));
    assert.equal(readFileSync(out, 'utf8'), 'previous output\n');
    assert.deepEqual(readdirSync(dir).sort(), ['converted.jsonl', 'filler.bin']);
    // The command line says so in one line and exits non-zero (it reported success before).
    const lines: string[] = [];
    t.mock.method(console, 'log', (...a: unknown[]) => lines.push(a.join(' ')));
    const code = await runCli(['dataset', 'convert', source, '--to', 'sharegpt', '--out', out], new AbortController().signal, (l) => lines.push(l));
    t.mock.restoreAll();
    assert.equal(code, 1);
    assert.deepEqual(lines, [`lathe dataset: cannot write ${out}: the disk is full (ENOSPC); the file on disk was left unchanged`]);
    assert.equal(readFileSync(out, 'utf8'), 'previous output\n');
  })();
});
