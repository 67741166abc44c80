/**
 * The one way Lathe replaces a user's file: the content goes to a temp file next to the
 * target; every write's byte count is checked (a short write is retried, a write that makes no
 * progress fails); the temp file is fsynced, its size checked, and only then renamed over the
 * target, and the folder is fsynced. Any failure before the rename removes the temp file and
 * leaves the target exactly as it was, reported as a FileWriteError naming the file (a full disk,
 * a quota, an I/O error). Writes to the same file from one process run one after another. A
 * symlinked target is written through the link. Temp files a killed writer left are removed on
 * the next write to their folder once they are a day old.
 */
import { dirname } from 'node:path';
import { cleanStaleTemps, tempPathFor } from './staleTemps';
import { asWriteError, errnoCode, FileWriteError } from './writeError';
import { nodeWriterFs, type WritableFile, type WriterFs } from './writerFs';

/** What can be written: text (UTF-8), bytes, or a stream of byte chunks. */
export type Content = string | Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

export interface WriteOptions {
  /** The file system (tests inject short writes and failures). */
  readonly fs?: WriterFs;
}

/** Small chunks are gathered into writes of about this size. */
const BATCH_BYTES = 1 << 20;

const queues = new Map<string, Promise<unknown>>();

/** Runs `task` after every earlier task for the same file has settled. */
export function serialized<T>(file: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(file) ?? Promise.resolve();
  const run = previous.then(task, task);
  queues.set(file, run);
  const cleanup = () => {
    if (queues.get(file) === run) queues.delete(file);
  };
  run.then(cleanup, cleanup);
  return run;
}

async function* chunksOf(content: Content): AsyncGenerator<Uint8Array> {
  if (typeof content === 'string') yield Buffer.from(content, 'utf8');
  else if (content instanceof Uint8Array) yield content;
  else yield* content;
}

/** Writes all of `data`, retrying short writes; a write that makes no progress is an error. */
export async function writeFully(file: WritableFile, data: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await file.write(data, offset, data.length - offset);
    if (!(bytesWritten > 0)) throw Object.assign(new Error(`wrote ${offset} of ${data.length} bytes`), { code: 'ESHORT' });
    offset += bytesWritten;
  }
}

async function writeAll(file: WritableFile, content: Content): Promise<number> {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let total = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    await writeFully(file, pending.length === 1 ? pending[0] : Buffer.concat(pending));
    total += pendingBytes;
    pending = [];
    pendingBytes = 0;
  };
  for await (const chunk of chunksOf(content)) {
    if (chunk.length === 0) continue;
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes >= BATCH_BYTES) await flush();
  }
  await flush();
  return total;
}

/** The path to write and the mode to give it: a symlink's target keeps its link; an existing file keeps its mode. */
async function resolveTarget(path: string, fs: WriterFs): Promise<{ target: string; mode: number }> {
  try {
    const target = await fs.realpath(path);
    const st = await fs.stat(target);
    if (!st.isFile()) throw Object.assign(new Error(`${path} is not a file`), { code: 'EISDIR' });
    return { target, mode: st.mode & 0o7777 };
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
    return { target: path, mode: 0o644 };
  }
}

/** The replace itself, without the per-file queue (callers hold it). */
export async function replaceFile(path: string, content: Content, fs: WriterFs = nodeWriterFs): Promise<number> {
  let target = path;
  let temp: string | undefined;
  let file: WritableFile | undefined;
  try {
    const dir = dirname(path);
    await fs.mkdir(dir);
    const resolved = await resolveTarget(path, fs);
    target = resolved.target;
    const targetDir = dirname(target);
    await cleanStaleTemps(targetDir, fs);
    temp = tempPathFor(target, targetDir);
    file = await fs.open(temp, 'wx', resolved.mode);
    const written = await writeAll(file, content);
    await file.sync();
    const { size } = await file.stat();
    if (size !== written) throw Object.assign(new Error(`the temp file holds ${size} of ${written} bytes`), { code: 'ESHORT' });
    const closing = file;
    file = undefined;
    await closing.close();
    await fs.rename(temp, target);
    temp = undefined;
    await fs.syncDir(targetDir);
    return written;
  } catch (err) {
    await file?.close().catch(() => undefined);
    if (temp) await fs.unlink(temp).catch(() => undefined);
    throw asWriteError(err, path);
  }
}

/**
 * Replaces `path` with `content` atomically (creating its folder if needed); resolves with the
 * bytes written. Rejects with a FileWriteError when the system refuses a write; the file is
 * then unchanged.
 */
export function atomicWrite(path: string, content: Content, options: WriteOptions = {}): Promise<number> {
  return serialized(path, () => replaceFile(path, content, options.fs));
}

export { FileWriteError };
