/**
 * MinHash signatures over word n-gram shingles, computed with one permutation hashing and
 * optimal densification (Shrivastava, ICML 2017): each shingle is hashed once; the top bits
 * pick one of `numPerm` bins and the rest is a value, and each bin keeps its minimum value.
 * An empty bin copies the bin found by a fixed pseudo-random probe sequence (the same for
 * every text), which keeps the estimator unbiased. Cost is O(shingles + numPerm) per text
 * instead of O(shingles × numPerm). The fraction of equal positions in two signatures
 * estimates the Jaccard similarity of their shingle sets.
 */
import { fmix32, textWords } from './normalize';

export interface MinHashOptions {
  /** Signature length, a power of two (default 128; other values round up). */
  readonly numPerm?: number;
  /** Words per shingle (default 3); texts shorter than that are one shingle. */
  readonly shingleWords?: number;
  readonly seed?: number;
}

const EMPTY = 0x7fffffff;

export class MinHasher {
  readonly numPerm: number;
  private readonly bits: number;
  private readonly shingleWords: number;
  private readonly seed: number;
  /** For each bin, its densification probe sequence (bins to copy from, in order). */
  private readonly probes: Int32Array[];

  constructor(options: MinHashOptions = {}) {
    this.bits = Math.max(1, Math.ceil(Math.log2(options.numPerm ?? 128)));
    this.numPerm = 1 << this.bits;
    this.shingleWords = options.shingleWords ?? 3;
    this.seed = fmix32((options.seed ?? 1) + 0x9e3779b9);
    // 4·numPerm probes per bin: the chance that all miss when at least one bin is full is
    // (1 - 1/numPerm)^(4·numPerm) < 2%, and a text whose probes all miss falls back to a scan.
    this.probes = Array.from({ length: this.numPerm }, (_, i) => {
      const seq = new Int32Array(this.numPerm * 4);
      for (let a = 0; a < seq.length; a++) seq[a] = fmix32(Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(a + 1, 0x85ebca6b) ^ this.seed) >>> (32 - this.bits);
      return seq;
    });
  }

  /** Hashes of the text's distinct word shingles, ascending. */
  shingles(text: string): Uint32Array {
    return this.shinglesOf(textWords(text).words);
  }

  shinglesOf(wordHashes: Uint32Array): Uint32Array {
    const out = this.shingleHashes(wordHashes);
    const count = out.length;
    out.sort();
    let u = 0;
    for (let i = 0; i < count; i++) if (i === 0 || out[i] !== out[i - 1]) out[u++] = out[i];
    return out.subarray(0, u);
  }

  /** One hash per shingle, in text order, repeats included (the signature ignores repeats). */
  private shingleHashes(wordHashes: Uint32Array): Uint32Array {
    const n = wordHashes.length;
    const k = Math.min(this.shingleWords, n);
    const count = n - k + 1;
    const out = new Uint32Array(count);
    for (let i = 0; i < count; i++) {
      let h = wordHashes[i];
      for (let j = 1; j < k; j++) h = Math.imul(h, 0x9e3779b1) ^ wordHashes[i + j];
      out[i] = fmix32(h ^ k);
    }
    return out;
  }

  signature(text: string): Int32Array {
    return this.signatureOf(textWords(text).words);
  }

  signatureOf(wordHashes: Uint32Array): Int32Array {
    const bins = new Int32Array(this.numPerm).fill(EMPTY);
    const shift = 32 - this.bits;
    const mask = (1 << shift) - 1;
    const shingles = this.shingleHashes(wordHashes);
    const seed = this.seed;
    for (let s = 0; s < shingles.length; s++) {
      let h = (shingles[s] ^ seed) >>> 0;
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      h >>>= 0;
      const bin = h >>> shift;
      const value = h & mask;
      if (value < bins[bin]) bins[bin] = value;
    }
    const sig = new Int32Array(bins);
    for (let i = 0; i < sig.length; i++) {
      if (bins[i] !== EMPTY) continue;
      const seq = this.probes[i];
      let found = EMPTY;
      for (let a = 0; a < seq.length && found === EMPTY; a++) found = bins[seq[a]];
      // Practically never: every probe hit an empty bin. Take the first full bin after i.
      for (let d = 1; d < sig.length && found === EMPTY; d++) found = bins[(i + d) % sig.length];
      sig[i] = found;
    }
    return sig;
  }
}

/** Estimated Jaccard similarity: the fraction of positions where two signatures agree. */
export function estimateJaccard(a: Int32Array, b: Int32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

/** Exact Jaccard similarity of two shingle sets (for tests and verification). */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  const sa = new Set(a);
  let inter = 0;
  for (const x of new Set(b)) if (sa.has(x)) inter++;
  const union = sa.size + new Set(b).size - inter;
  return union === 0 ? 1 : inter / union;
}

/**
 * LSH banding for a similarity threshold: `bands` × `rows` ≤ numPerm, chosen so that the
 * S-curve's midpoint (1/bands)^(1/rows) is the closest to the threshold.
 */
export function lshParams(numPerm: number, threshold: number): { bands: number; rows: number } {
  let best = { bands: numPerm, rows: 1 };
  let bestErr = Number.POSITIVE_INFINITY;
  for (let rows = 1; rows <= numPerm; rows++) {
    const bands = Math.floor(numPerm / rows);
    if (bands < 1) break;
    // Sit slightly below the threshold so pairs just above it are still found (recall first;
    // candidates are verified against the threshold afterwards).
    const err = Math.abs(Math.pow(1 / bands, 1 / rows) - (threshold - 0.05));
    if (err < bestErr) {
      bestErr = err;
      best = { bands, rows };
    }
  }
  return best;
}
