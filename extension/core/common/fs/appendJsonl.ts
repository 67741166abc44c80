/**
 * `appendJsonl(file, rows)`: the one way features add rows to a JSONL dataset (Prompt Lab
 * preference rows, captured completions). The file is streamed into a new copy (its bytes
 * unchanged, a missing final newline added), the rows follow one JSON object per line, and the
 * copy replaces the file through the atomic writer: a failed append leaves the file as it was.
 * Appends and writes to the same file from one process run one after another.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { replaceFile, serialized, type WriteOptions } from './atomicWrite';
import { errnoCode } from './writeError';

export interface AppendResult {
  readonly file: string;
  readonly appended: number;
}

async function lastByte(path: string, size: number): Promise<number | undefined> {
  for await (const chunk of createReadStream(path, { start: size - 1, end: size - 1 })) return (chunk as Buffer)[0];
  return undefined;
}

async function* appended(path: string, size: number, lines: readonly string[]): AsyncGenerator<Uint8Array> {
  if (size > 0) {
    for await (const chunk of createReadStream(path, { end: size - 1, highWaterMark: 1 << 20 })) yield chunk as Buffer;
    if ((await lastByte(path, size)) !== 0x0a) yield Buffer.from('\n');
  }
  yield Buffer.from(lines.map((l) => `${l}\n`).join(''));
}

/** Appends rows (JSON objects, one line each) to a JSONL file, creating it and its folder if needed. */
export function appendJsonl(file: string, rows: readonly object[], options: WriteOptions = {}): Promise<AppendResult> {
  const lines = rows.map((r, i) => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new TypeError(`row ${i} is not a JSON object`);
    return JSON.stringify(r);
  });
  return serialized(file, async () => {
    let size = 0;
    try {
      size = (await stat(file)).size;
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw err;
    }
    await replaceFile(file, appended(file, size, lines), options.fs);
    return { file, appended: lines.length };
  });
}
