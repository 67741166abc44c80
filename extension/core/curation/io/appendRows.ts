/**
 * `appendRows(file, rows)`: the one way other features (Prompt Lab winners, accepted inline
 * completions) add training rows to a dataset. The existing bytes are copied unchanged, a
 * missing final newline is added, the new rows follow one JSON object per line, and the file is
 * replaced atomically. Appends to the same file from one process are serialized.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { atomicWrite, nodeAtomicFs, type AtomicFs } from './atomicWrite';

const queues = new Map<string, Promise<unknown>>();

async function lastByte(path: string, size: number): Promise<number | undefined> {
  if (size === 0) return undefined;
  for await (const chunk of createReadStream(path, { start: size - 1, end: size - 1 })) return (chunk as Buffer)[0];
  return undefined;
}

async function* appended(path: string, exists: boolean, size: number, lines: readonly string[]): AsyncGenerator<Uint8Array> {
  if (exists) {
    for await (const chunk of createReadStream(path, { end: size - 1, highWaterMark: 1 << 20 })) yield chunk as Buffer;
    if (size > 0 && (await lastByte(path, size)) !== 0x0a) yield Buffer.from('\n');
  }
  yield Buffer.from(lines.map((l) => `${l}\n`).join(''));
}

export interface AppendResult {
  readonly file: string;
  readonly appended: number;
}

/** Appends rows (objects, serialized as one JSON line each) to a JSONL file, creating it if needed. */
export function appendRows(file: string, rows: readonly object[], fs: AtomicFs = nodeAtomicFs): Promise<AppendResult> {
  const lines = rows.map((r, i) => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new TypeError(`row ${i} is not a JSON object`);
    return JSON.stringify(r);
  });
  const previous = queues.get(file) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(async () => {
    let size = 0;
    let exists = true;
    try {
      size = (await stat(file)).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      exists = false;
    }
    await atomicWrite(file, appended(file, exists, size, lines), fs);
    return { file, appended: lines.length };
  });
  queues.set(file, run);
  const cleanup = () => {
    if (queues.get(file) === run) queues.delete(file);
  };
  run.then(cleanup, cleanup);
  return run;
}
