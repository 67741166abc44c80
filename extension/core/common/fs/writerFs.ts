/**
 * The few file-system calls the atomic writer makes, behind an interface so that tests can
 * return short writes or fail with ENOSPC halfway. `nodeWriterFs` is the real thing.
 */
import * as fsp from 'node:fs/promises';

export interface WritableFile {
  /** One write(2): may write fewer bytes than asked. */
  write(data: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}

export interface WriterFs {
  open(path: string, flags: string, mode?: number): Promise<WritableFile>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Follows symlinks. */
  stat(path: string): Promise<{ mode: number; size: number; isFile(): boolean }>;
  /** Does not follow symlinks. */
  lstat(path: string): Promise<{ mtimeMs: number; isFile(): boolean }>;
  realpath(path: string): Promise<string>;
  readdir(path: string): Promise<string[]>;
  mkdir(path: string): Promise<void>;
  /** fsyncs a folder so that a rename in it is durable; a no-op where folders cannot be synced. */
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
    await handle?.close().catch(() => undefined);
  }
}

export const nodeWriterFs: WriterFs = {
  open: (path, flags, mode) => fsp.open(path, flags, mode),
  rename: fsp.rename,
  unlink: fsp.unlink,
  stat: fsp.stat,
  lstat: fsp.lstat,
  realpath: (path) => fsp.realpath(path),
  readdir: (path) => fsp.readdir(path),
  mkdir: async (path) => {
    await fsp.mkdir(path, { recursive: true });
  },
  syncDir,
};
