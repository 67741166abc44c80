/**
 * Decoding one JSONL line: valid UTF-8 and JSON becomes a value; anything else is reported
 * with the reason and kept as it is (the caller still holds the exact bytes). A line over the
 * size cap is not parsed at all, and a value nested deeper than the depth cap is not handed on
 * (every later walk over it would be recursive): both are problems of that row.
 */
import { isUtf8 } from 'node:buffer';
import { errorMessage } from '../../../base/errorText';
import { jsonDepth, MAX_JSON_DEPTH } from '../../common/json/depth';

export type ParsedLine =
  | { readonly status: 'json'; readonly text: string; readonly value: unknown }
  | { readonly status: 'blank'; readonly text: string }
  | { readonly status: 'invalid-json'; readonly text: string; readonly error: string }
  | { readonly status: 'invalid-utf8'; readonly text: string; readonly error: string }
  | { readonly status: 'too-large'; readonly text: string; readonly error: string; readonly bytes: number }
  | { readonly status: 'too-deep'; readonly text: string; readonly error: string };

export interface RowLimits {
  /** Lines longer than this (in bytes) are not parsed, tokenized or scanned. */
  readonly maxRowBytes: number;
  /** Values nested deeper than this are not used. */
  readonly maxDepth: number;
}

/** 512 KiB: about 128k tokens of text, more than any model's context window Lathe runs. */
export const DEFAULT_MAX_ROW_BYTES = 512 * 1024;
export const DEFAULT_ROW_LIMITS: RowLimits = { maxRowBytes: DEFAULT_MAX_ROW_BYTES, maxDepth: MAX_JSON_DEPTH };

/** `n` bytes for people: 900 B, 12.5 KiB, 4.0 MiB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

const BOM = '\ufeff';

/** Byte offset of the first byte that is not part of a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need = 0;
    let min = 0;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

export function decodeLine(bytes: Buffer, isFirstLine = false, limits: RowLimits = DEFAULT_ROW_LIMITS): ParsedLine {
  if (bytes.length > limits.maxRowBytes) {
    return {
      status: 'too-large',
      text: bytes.toString('utf8'),
      bytes: bytes.length,
      error: `the row is ${formatBytes(bytes.length)}, over the ${formatBytes(limits.maxRowBytes)} row size cap: not parsed, tokenized or scanned (raise the cap to check it)`,
    };
  }
  if (isFirstLine && bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const order = bytes[0] === 0xff ? 'FF FE, little-endian' : 'FE FF, big-endian';
    return { status: 'invalid-utf8', text: bytes.toString('latin1'), error: `the file is UTF-16 (byte order mark ${order}), not UTF-8: save it as UTF-8` };
  }
  if (!isUtf8(bytes)) {
    const at = firstInvalidUtf8(bytes);
    return { status: 'invalid-utf8', text: bytes.toString('utf8'), error: `not valid UTF-8 (byte ${at + 1} of the line)` };
  }
  let text = bytes.toString('utf8');
  if (isFirstLine && text.startsWith(BOM)) text = text.slice(1);
  return parseText(text, limits);
}

export function parseText(text: string, limits: RowLimits = DEFAULT_ROW_LIMITS): ParsedLine {
  if (text.trim() === '') return { status: 'blank', text };
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (err) {
    return { status: 'invalid-json', text, error: `not JSON: ${errorMessage(err)}` };
  }
  if (jsonDepth(value, limits.maxDepth) > limits.maxDepth) {
    return { status: 'too-deep', text, error: `the row nests more than ${limits.maxDepth} levels deep: not read as a row (kept as it is)` };
  }
  return { status: 'json', text, value };
}
