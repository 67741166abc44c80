/**
 * One file from the hub into `<path>.part`, resumable: an existing part is continued with
 * `Range: bytes=<n>-` (a server that ignores the range starts the file over), a connection
 * that breaks or stalls is retried with backoff until a retry budget is spent (the part is kept
 * for the next run), and the finished bytes are checked against the hub's sha256 (LFS) or git
 * blob id before the part is renamed to its final name. A mismatch removes the part and names
 * the file. Writes go through the atomic writer's file-system seam, so a full disk is reported
 * as such.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { dirname } from 'node:path';
import { errorMessage } from '../../../base/errorText';
import { writeFully } from '../../common/fs/atomicWrite';
import { asWriteError, errnoCode } from '../../common/fs/writeError';
import { nodeWriterFs, type WritableFile, type WriterFs } from '../../common/fs/writerFs';
import type { Network } from '../../common/network';
import { HUB_FEATURE, type HubFile } from './hubClient';

export class DownloadError extends Error {
  constructor(message: string, readonly file: string, readonly kind: 'cut' | 'hash' | 'http' | 'disk' | 'size') {
    super(message);
    this.name = 'DownloadError';
  }
}

export interface FileDownloadOptions {
  readonly network: Network;
  readonly url: string;
  readonly file: HubFile;
  /** Final path; bytes go to `<dest>.part` first. */
  readonly dest: string;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
  /** No byte for this long: the attempt is abandoned and retried (default 30 s). */
  readonly stallTimeoutMs?: number;
  /** Retries after a broken or stalled connection (default 5). */
  readonly retries?: number;
  /** First backoff (default 500 ms; doubles per retry, at most 10 s). */
  readonly backoffMs?: number;
  readonly fs?: WriterFs;
  /** Bytes of this file on disk so far (including resumed ones). */
  readonly onBytes?: (bytesOnDisk: number) => void;
  readonly log?: (message: string) => void;
}

export interface FileDownloadResult {
  readonly resumedFrom: number;
  readonly attempts: number;
}

async function partSize(fs: WriterFs, path: string): Promise<number> {
  try {
    return (await fs.stat(path)).size;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return 0;
    throw err;
  }
}

/** The hash the hub gives for this file, fed with the bytes already on disk. */
async function startHash(file: HubFile, part: string, bytes: number): Promise<Hash | undefined> {
  let hash: Hash | undefined;
  if (file.sha256) hash = createHash('sha256');
  else if (file.gitOid) hash = createHash('sha1').update(`blob ${file.size}\0`);
  if (!hash || bytes === 0) return hash;
  for await (const chunk of createReadStream(part, { start: 0, end: bytes - 1 })) hash.update(chunk as Buffer);
  return hash;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });

export async function downloadFile(o: FileDownloadOptions): Promise<FileDownloadResult> {
  const fs = o.fs ?? nodeWriterFs;
  const part = `${o.dest}.part`;
  const expected = o.file.size;
  const retries = o.retries ?? 5;
  await fs.mkdir(dirname(o.dest));
  const resumedFrom = await partSize(fs, part);
  let failures = 0;
  for (let attempt = 1; ; attempt++) {
    o.signal?.throwIfAborted();
    let offset = await partSize(fs, part);
    if (offset > expected) {
      await fs.unlink(part);
      offset = 0;
    }
    if (offset < expected) {
      try {
        offset = await fetchInto(o, fs, part, offset);
      } catch (err) {
        if (o.signal?.aborted) throw o.signal.reason;
        if (err instanceof DownloadError) throw err;
        const code = errnoCode(err);
        if (code && code !== 'ECONNRESET' && code !== 'ETIMEDOUT' && code !== 'EPIPE' && code !== 'ECONNREFUSED') {
          const written = await partSize(fs, part).catch(() => 0);
          throw new DownloadError(`${errorMessage(asWriteError(err, part, false))}; ${written} of ${expected} bytes of ${o.file.path} are kept for the next resume`, o.file.path, 'disk');
        }
        failures++;
        const kept = await partSize(fs, part).catch(() => 0);
        if (failures > retries) {
          throw new DownloadError(`${o.file.path}: the download broke off ${failures} times (last: ${errorMessage(err)}); ${kept} of ${expected} bytes are kept, run it again to resume`, o.file.path, 'cut');
        }
        o.log?.(`${o.file.path}: ${errorMessage(err)} at ${kept} of ${expected} bytes; retry ${failures} of ${retries}`);
        await sleep(Math.min(10_000, (o.backoffMs ?? 500) * 2 ** (failures - 1)), o.signal);
        continue;
      }
    }
    await verify(o.file, part);
    await fs.rename(part, o.dest);
    await fs.syncDir(dirname(o.dest));
    return { resumedFrom, attempts: attempt };
  }
}

async function verify(file: HubFile, part: string): Promise<void> {
  const hash = await startHash(file, part, file.size);
  if (!hash) return;
  const got = hash.digest('hex');
  const want = file.sha256 ?? file.gitOid;
  if (got === want) return;
  await nodeWriterFs.unlink(part).catch(() => undefined);
  throw new DownloadError(`${file.path} does not match the hub's ${file.sha256 ? 'sha256' : 'git blob id'} (expected ${want}, got ${got}); the file was removed, run the download again`, file.path, 'hash');
}

/** One HTTP attempt: appends what arrives to the part; resolves with the part's size. */
async function fetchInto(o: FileDownloadOptions, fs: WriterFs, part: string, offset: number): Promise<number> {
  const stallMs = o.stallTimeoutMs ?? 30_000;
  const stall = new AbortController();
  let timer = setTimeout(() => stall.abort(new Error(`no data for ${stallMs / 1000} s`)), stallMs);
  const bump = () => {
    clearTimeout(timer);
    timer = setTimeout(() => stall.abort(new Error(`no data for ${stallMs / 1000} s`)), stallMs);
  };
  const signal = o.signal ? AbortSignal.any([o.signal, stall.signal]) : stall.signal;
  let file: WritableFile | undefined;
  try {
    let res: Response;
    try {
      res = await o.network.fetch(HUB_FEATURE, o.url, { headers: { ...o.headers, ...(offset > 0 ? { range: `bytes=${offset}-` } : {}) }, signal, redirect: 'follow' });
    } catch (err) {
      throw stall.signal.aborted ? stall.signal.reason : err;
    }
    let start = offset;
    if (res.status === 206) {
      const m = /^bytes (\d+)-/.exec(res.headers.get('content-range') ?? '');
      if (!m || Number(m[1]) !== offset) start = 0;
    } else if (res.status === 200) {
      start = 0;
    } else if (res.status === 416) {
      await res.body?.cancel();
      await fs.unlink(part).catch(() => undefined);
      throw Object.assign(new Error('the server refused the byte range; starting the file over'), { code: 'ECONNRESET' });
    } else {
      await res.body?.cancel();
      throw new DownloadError(`${o.file.path}: the hub answered HTTP ${res.status} for ${o.url}`, o.file.path, 'http');
    }
    if (start === 0 && offset > 0) {
      // The server sent the whole file: start the part over.
      await fs.unlink(part).catch(() => undefined);
      offset = 0;
    }
    file = await fs.open(part, offset > 0 ? 'a' : 'w');
    let size = offset;
    o.onBytes?.(size);
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        bump();
        if (size + chunk.length > o.file.size) throw new DownloadError(`${o.file.path}: the hub sent more than the ${o.file.size} bytes it listed`, o.file.path, 'size');
        await writeFully(file, chunk);
        size += chunk.length;
        o.onBytes?.(size);
      }
    } catch (err) {
      await file.sync().catch(() => undefined);
      throw stall.signal.aborted && !o.signal?.aborted ? stall.signal.reason : err;
    }
    await file.sync();
    // A body that ends early is a broken connection: the next attempt resumes from here.
    if (size < o.file.size) throw new Error(`the connection closed after ${size} of ${o.file.size} bytes`);
    return size;
  } finally {
    clearTimeout(timer);
    await file?.close().catch(() => undefined);
  }
}
