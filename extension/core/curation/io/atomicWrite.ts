/**
 * Atomic file replacement: write a temp file next to the target, fsync it, rename it over the
 * target, fsync the folder. A crash or a failed write leaves the original file as it was.
 * The file system is injectable so tests can fail a write halfway.
 */
import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface WritableFile {
  write(data: Uint8Array): Promise<unknown>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface AtomicFs {
  open(path: string, flags: string, mode?: number): Promise<WritableFile>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  stat(path: string): Promise<{ mode: number }>;
  /** fsyncs a folder so the rename itself is durable; may be a no-op where unsupported. */
  syncDir(path: string): Promise<void>;
}

async function syncDir(path: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(path, 'r');
    await handle.sync();
  } catch {
    // Some platforms cannot open or fsync folders; the rename is still atomic there.
  } finally {
    await handle?.close();
  }
}

export const nodeAtomicFs: AtomicFs = {
  open: (path, flags, mode) => fsp.open(path, flags, mode),
  rename: fsp.rename,
  unlink: fsp.unlink,
  stat: fsp.stat,
  syncDir,
};

export type Chunks = Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/** Batches small chunks into writes of about 1 MiB. */
async function writeAll(file: WritableFile, chunks: Chunks): Promise<number> {
  const LIMIT = 1 << 20;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let total = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    await file.write(pending.length === 1 ? pending[0] : Buffer.concat(pending));
    total += pendingBytes;
    pending = [];
    pendingBytes = 0;
  };
  for await (const chunk of chunks) {
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes >= LIMIT) await flush();
  }
  await flush();
  return total;
}

/** Replaces `path` with `chunks` atomically; resolves with the bytes written. */
export async function atomicWrite(path: string, chunks: Chunks, fs: AtomicFs = nodeAtomicFs): Promise<number> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let mode = 0o644;
  try {
    mode = (await fs.stat(path)).mode & 0o7777;
  } catch {
    // a new file
  }
  const file = await fs.open(temp, 'wx', mode);
  let closed = false;
  try {
    const n = await writeAll(file, chunks);
    await file.sync();
    await file.close();
    closed = true;
    await fs.rename(temp, path);
    await fs.syncDir(dir);
    return n;
  } catch (err) {
    if (!closed) await file.close().catch(() => undefined);
    await fs.unlink(temp).catch(() => undefined);
    throw err;
  }
}
