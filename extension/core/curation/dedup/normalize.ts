/** Text normalization and hashing shared by exact and near-duplicate detection. */
import { createHash } from 'node:crypto';

/** NFKC, lower case, whitespace runs collapsed, trimmed: "Hello,  World" ≡ "hello, world". */
export function normalizeText(text: string): string {
  // NFKC changes nothing in ASCII text; skipping it there is the common fast path.
  const folded = /^[\x00-\x7f]*$/.test(text) ? text : text.normalize('NFKC');
  return folded.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Key for exact-duplicate grouping: a hash of the normalized text. */
export function exactKey(text: string): string {
  return createHash('sha1').update(normalizeText(text)).digest('base64');
}

/** Murmur3's 32-bit finalizer: a fast, well-mixed bijection on 32-bit integers. */
export function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export interface TextWords {
  /** FNV-1a hash of each normalized word, in order. */
  readonly words: Uint32Array;
  /** 64-bit hash of the whole normalized text (two independent 32-bit hashes) and its length. */
  readonly key: string;
}

function isSpace(c: number): boolean {
  if (c > 32 && c < 0xa0) return false;
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * One pass over the text: the normalized words' hashes and a key for the normalized text, the
 * same normalization as `normalizeText` (NFKC for non-ASCII text, lower case, whitespace runs
 * as one space) without building the normalized string.
 */
export function textWords(text: string): TextWords {
  const ascii = /^[\x00-\x7f]*$/.test(text);
  const s = ascii ? text : text.normalize('NFKC').toLowerCase();
  let words = new Uint32Array(64);
  let n = 0;
  let w = 0x811c9dc5;
  let inWord = false;
  const push = () => {
    if (n === words.length) {
      const grown = new Uint32Array(n * 2);
      grown.set(words);
      words = grown;
    }
    words[n++] = w >>> 0;
  };
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (isSpace(c)) {
      if (inWord) push();
      inWord = false;
      continue;
    }
    if (ascii && c >= 65 && c <= 90) c += 32;
    if (!inWord) {
      w = 0x811c9dc5;
      inWord = true;
    }
    w = Math.imul(w ^ c, 0x01000193);
  }
  if (inWord) push();
  const out = words.subarray(0, n);
  // Two independent 32-bit hashes over the word sequence: equal keys mean equal normalized text
  // (up to a 2^-64 chance, far below anything a dataset of any size would meet).
  let a = 0x9747b28c;
  let b = 0x85ebca6b;
  for (let i = 0; i < n; i++) {
    a = Math.imul(a ^ out[i], 0x01000193);
    b = fmix32((b + out[i]) | 0);
  }
  return { words: out, key: `${(a >>> 0).toString(36)}.${b.toString(36)}.${n}` };
}
