/**
 * Streaming JSONL line reader. The file is read in fixed-size chunks and split on '\n'; each
 * line keeps its exact bytes and its line ending, so writing `bytes + eol` for every line gives
 * back the file byte for byte. Nothing is decoded here: a 2 GB file never becomes one string.
 */
import { open } from 'node:fs/promises';

export type Eol = '\n' | '\r\n' | '';

export interface RawLine {
  /** 0-based line index; the editor shows `index + 1`. */
  readonly index: number;
  /** The line's bytes without its line ending (a view into the read chunk: no copy). */
  readonly bytes: Buffer;
  readonly eol: Eol;
}

export interface ScanOptions {
  readonly signal?: AbortSignal;
  /** Called after each chunk with bytes read so far and the file size. */
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
  readonly chunkSize?: number;
}

const NL = 0x0a;
const CR = 0x0d;

function splitEol(bytes: Buffer): { bytes: Buffer; eol: Eol } {
  return bytes.length > 0 && bytes[bytes.length - 1] === CR ? { bytes: bytes.subarray(0, bytes.length - 1), eol: '\r\n' } : { bytes, eol: '\n' };
}

/** Yields every line of the file in order, reading `chunkSize` bytes at a time. */
export async function* readLines(path: string, options: ScanOptions = {}): AsyncGenerator<RawLine> {
  const chunkSize = options.chunkSize ?? 1 << 20;
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    let index = 0;
    let carry: Buffer[] = [];
    let read = 0;
    for (;;) {
      options.signal?.throwIfAborted();
      const chunk = Buffer.allocUnsafe(chunkSize);
      const { bytesRead } = await handle.read(chunk, 0, chunkSize, null);
      if (bytesRead === 0) break;
      read += bytesRead;
      const data = chunk.subarray(0, bytesRead);
      let start = 0;
      for (let nl = data.indexOf(NL, start); nl >= 0; nl = data.indexOf(NL, start)) {
        const piece = data.subarray(start, nl);
        const whole = carry.length > 0 ? Buffer.concat([...carry, piece]) : piece;
        carry = [];
        const { bytes, eol } = splitEol(whole);
        yield { index: index++, bytes, eol };
        start = nl + 1;
      }
      if (start < data.length) carry.push(data.subarray(start));
      options.onProgress?.(read, size);
    }
    if (carry.length > 0) yield { index: index++, bytes: carry.length === 1 ? carry[0] : Buffer.concat(carry), eol: '' };
  } finally {
    await handle.close();
  }
}

/** Calls `onLine` for every line of the file in order; resolves with the number of lines. */
export async function scanLines(path: string, onLine: (line: RawLine) => void, options: ScanOptions = {}): Promise<number> {
  let n = 0;
  for await (const line of readLines(path, options)) {
    onLine(line);
    n++;
  }
  return n;
}

/** Splits an in-memory buffer the same way `scanLines` splits a file. */
export function splitLines(data: Buffer): RawLine[] {
  const out: RawLine[] = [];
  let start = 0;
  for (let nl = data.indexOf(NL, start); nl >= 0; nl = data.indexOf(NL, start)) {
    const { bytes, eol } = splitEol(data.subarray(start, nl));
    out.push({ index: out.length, bytes, eol });
    start = nl + 1;
  }
  if (start < data.length) out.push({ index: out.length, bytes: data.subarray(start), eol: '' });
  return out;
}
