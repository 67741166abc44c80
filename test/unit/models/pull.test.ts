import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { nodeWriterFs, type WriterFs } from '../../../extension/core/common/fs/writerFs';
import { createNetwork } from '../../../extension/core/common/network';
import { DownloadError } from '../../../extension/core/models/hub/fileDownload';
import { pullModel, type PullOptions } from '../../../extension/core/models/hub/pull';
import { ModelStore, SOURCE_RECORD } from '../../../extension/core/models/store';
import { validateModelFolder } from '../../../extension/core/models/validate';
import { TINY } from '../engine/helpers';
import { FakeHub, repoFromFolder } from '../helpers/fakeHub';

const network = createNetwork(false);
const hub = new FakeHub();
const roots: string[] = [];
const ONNX = 'onnx/model.onnx';
const original = readFileSync(join(TINY, ONNX));

before(async () => {
  await hub.start();
});
after(async () => {
  await hub.stop();
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});
afterEach(() => {
  hub.faults = {};
  hub.requests.length = 0;
  hub.repos.clear();
});

function freshStore(): ModelStore {
  const root = mkdtempSync(join(tmpdir(), 'lathe-pull-'));
  roots.push(root);
  return new ModelStore(root);
}

function pull(store: ModelStore, repo: string, extra: Partial<PullOptions> = {}) {
  return pullModel({ store, hubUrl: hub.url, network, repo, dtype: 'auto', backoffMs: 10, stallTimeoutMs: 5_000, ...extra });
}

describe('pulling a model from a hub', () => {
  test('lists the repository (paged), picks the weight variant, verifies every file and stores a validated folder', async () => {
    hub.repos.set('org/tiny', repoFromFolder(TINY, { 'onnx/model_int8.onnx': original, 'README.md': Buffer.from('# tiny') }));
    hub.faults.pageSize = 2;
    const store = freshStore();
    const progress: number[] = [];
    const r = await pull(store, 'org/tiny', { onProgress: (p) => p.phase === 'downloading' && progress.push(p.doneBytes) });
    assert.equal(r.dtype, 'int8');
    assert.equal(r.name, 'org--tiny');
    assert.equal(r.dir, join(store.modelsDir, 'org--tiny'));
    assert.deepEqual(readFileSync(join(r.dir, 'onnx', 'model_int8.onnx')), original);
    assert.equal(existsSync(join(r.dir, ONNX)), false, 'only the chosen variant is downloaded');
    assert.equal(existsSync(join(r.dir, 'README.md')), false);
    assert.ok(validateModelFolder(r.dir, 'int8').ok);
    const source = JSON.parse(readFileSync(join(r.dir, SOURCE_RECORD), 'utf8')) as { repo: string; revision: string; dtypes: string[] };
    assert.deepEqual([source.repo, source.revision, source.dtypes], ['org/tiny', 'a'.repeat(40), ['int8']]);
    assert.ok(hub.requests.filter((q) => q.path.includes('/tree/')).length >= 3, 'the file list was paged');
    assert.equal(progress.at(-1), r.totalBytes);
    assert.equal(r.downloadedBytes, r.totalBytes);
    assert.equal(store.find('org/tiny')?.name, 'org--tiny');
    assert.equal(existsSync(join(store.incomingDir, 'org--tiny')), false, 'nothing is left in .incoming');

    // Another variant goes into the same folder; the stored files are not fetched again.
    hub.requests.length = 0;
    const fp32 = await pull(store, 'org/tiny', { dtype: 'fp32' });
    assert.equal(fp32.dir, r.dir);
    assert.equal(fp32.downloadedBytes, original.length);
    assert.deepEqual(hub.requests.filter((q) => q.path.includes('/resolve/')).map((q) => q.path.split('/').pop()), ['model.onnx']);
    assert.ok(existsSync(join(r.dir, 'onnx', 'model_int8.onnx')) && existsSync(join(r.dir, ONNX)));
    assert.deepEqual((JSON.parse(readFileSync(join(r.dir, SOURCE_RECORD), 'utf8')) as { dtypes: string[] }).dtypes.sort(), ['fp32', 'int8']);
  });

  test('a connection cut mid-file is resumed with Range to the same bytes', async () => {
    hub.repos.set('org/tiny', repoFromFolder(TINY));
    hub.faults.cut = { path: ONNX, afterBytes: 200_000, times: 2 };
    const store = freshStore();
    const r = await pull(store, 'org/tiny');
    assert.deepEqual(readFileSync(join(r.dir, ONNX)), original);
    const ranges = hub.fileRequests(ONNX).map((q) => q.range);
    assert.deepEqual(ranges, [undefined, 'bytes=200000-', 'bytes=200000-']);
  });

  test('after the retry budget: a clear error, the partial file kept, and the next pull resumes it', async () => {
    hub.repos.set('org/tiny', repoFromFolder(TINY));
    hub.faults.cut = { path: ONNX, afterBytes: 300_000, times: 100 };
    const store = freshStore();
    await assert.rejects(pull(store, 'org/tiny', { retries: 2 }), (err: unknown) => {
      assert.ok(err instanceof DownloadError && err.kind === 'cut');
      assert.match(err.message, /onnx\/model\.onnx: the download broke off 3 times .*; 300000 of \d+ bytes are kept, run it again to resume/);
      return true;
    });
    const part = join(store.incomingDir, 'org--tiny', `${ONNX}.part`);
    assert.equal(statSync(part).size, 300_000);
    assert.equal(existsSync(join(store.modelsDir, 'org--tiny')), false, 'nothing half-done is offered');
    hub.faults = {};
    hub.requests.length = 0;
    const r = await pull(store, 'org/tiny');
    assert.equal(r.resumedBytes >= 300_000, true);
    assert.deepEqual(hub.fileRequests(ONNX).map((q) => q.range), ['bytes=300000-']);
    assert.deepEqual(readFileSync(join(r.dir, ONNX)), original);
  });

  test('a server that ignores Range sends the whole file again: the part starts over', async () => {
    hub.repos.set('org/tiny', repoFromFolder(TINY));
    hub.faults = { cut: { path: ONNX, afterBytes: 100_000, times: 1 }, ignoreRange: true };
    const r = await pull(freshStore(), 'org/tiny');
    assert.deepEqual(readFileSync(join(r.dir, ONNX)), original);
  });

  test('a file whose sha256 disagrees with the hub is removed and named', async () => {
    hub.repos.set('org/tiny', repoFromFolder(TINY));
    hub.faults.wrongSha256 = ONNX;
    const store = freshStore();
    await assert.rejects(pull(store, 'org/tiny'), (err: unknown) => {
      assert.ok(err instanceof DownloadError && err.kind === 'hash');
      assert.match(err.message, /^onnx\/model\.onnx does not match the hub's sha256 \(expected [0-9a-f]{64}, got [0-9a-f]{64}\); the file was removed/);
      return true;
    });
    assert.equal(existsSync(join(store.incomingDir, 'org--tiny', ONNX)), false);
    assert.equal(existsSync(join(store.incomingDir, 'org--tiny', `${ONNX}.part`)), false);
    assert.deepEqual(store.downloaded(), []);
  });

  test('a server that stalls mid-file times out instead of hanging', async () => {
    hub.repos.set('org/tiny', repoFromFolder(TINY));
    hub.faults.stall = { path: ONNX, afterBytes: 50_000 };
    await assert.rejects(pull(freshStore(), 'org/tiny', { stallTimeoutMs: 200, retries: 1 }), (err: unknown) => {
      assert.ok(err instanceof DownloadError && err.kind === 'cut');
      assert.match(err.message, /broke off 2 times \(last: no data for 0\.2 s\); 50000 of \d+ bytes are kept/);
      return true;
    });
  });

  test('repositories that cannot make a model folder are refused before any download, saying what is missing', async () => {
    const store = freshStore();
    const cases: Array<[string, Record<string, Buffer>, RegExp]> = [
      ['org/pytorch', { 'config.json': Buffer.from('{}'), 'tokenizer.json': Buffer.from('{}'), 'model.safetensors': Buffer.from('x') }, /org\/pytorch cannot be used: it has no ONNX weights \(onnx\/model\*\.onnx\): Lathe runs ONNX exports/],
      ['org/flat', { 'config.json': Buffer.from('{}'), 'tokenizer.json': Buffer.from('{}'), 'model.onnx': Buffer.from('x') }, /its ONNX files \(model\.onnx\) are not the onnx\/model\*\.onnx layout/],
      ['org/notok', { 'config.json': Buffer.from('{}'), 'onnx/model.onnx': Buffer.from('x') }, /org\/notok cannot be used: it lacks tokenizer\.json, which the engine needs/],
    ];
    for (const [repo, files, re] of cases) {
      hub.repos.set(repo, { sha: 'b'.repeat(40), files: new Map(Object.entries(files)), lfs: new Set() });
      await assert.rejects(pull(store, repo), re);
    }
    hub.repos.set('org/tiny', repoFromFolder(TINY));
    await assert.rejects(pull(store, 'org/tiny', { dtype: 'q4' }), /org\/tiny has no q4 weights \(looked for onnx\/model_q4\.onnx, onnx\/model_q4f16\.onnx\); it has fp32/);
    await assert.rejects(pull(store, 'org/missing'), /there is no repository 'org\/missing' on http:\/\/127\.0\.0\.1:\d+ \(HTTP 404\)/);
    await assert.rejects(pull(store, '../etc'), /is not a repository id/);
    assert.deepEqual(hub.requests.filter((q) => q.path.includes('/resolve/')), []);
  });

  test('not enough free disk space is refused up front', async () => {
    hub.repos.set('org/tiny', repoFromFolder(TINY));
    await assert.rejects(pull(freshStore(), 'org/tiny', { freeBytes: () => Promise.resolve(10_000_000) }), /needs 0\.6 MB more on disk, but only 10\.0 MB is free/);
    assert.deepEqual(hub.requests.filter((q) => q.path.includes('/resolve/')), []);
  });

  test('a disk that fills up mid-file: a clear error, the partial file kept for the next resume', async () => {
    hub.repos.set('org/tiny', repoFromFolder(TINY));
    let budget = 250_000;
    const fullDisk: WriterFs = {
      ...nodeWriterFs,
      open: async (path, flags, mode) => {
        const file = await nodeWriterFs.open(path, flags, mode);
        if (!path.endsWith('model.onnx.part')) return file;
        return {
          ...file,
          write: async (data, offset, length) => {
            if (budget <= 0) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
            const n = Math.min(length, budget);
            budget -= n;
            return file.write(data, offset, n);
          },
          sync: () => file.sync(),
          stat: () => file.stat(),
          close: () => file.close(),
        };
      },
    };
    const store = freshStore();
    await assert.rejects(pull(store, 'org/tiny', { fs: fullDisk }), (err: unknown) => {
      assert.ok(err instanceof DownloadError && err.kind === 'disk');
      assert.match(err.message, /the disk is full \(ENOSPC\); 250000 of \d+ bytes of onnx\/model\.onnx are kept for the next resume/);
      return true;
    });
    const r = await pull(store, 'org/tiny');
    assert.deepEqual(hub.fileRequests(ONNX).at(-1)?.range, 'bytes=250000-');
    assert.deepEqual(readFileSync(join(r.dir, ONNX)), original);
  });
});
