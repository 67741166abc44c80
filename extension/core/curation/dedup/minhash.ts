/**
 * MinHash signatures over word n-gram shingles. Each of `numPerm` hash functions is the
 * murmur3 finalizer of the shingle hash xor a per-function seed; the signature keeps the
 * minimum of each. The fraction of equal positions in two signatures estimates the Jaccard
 * similarity of their shingle sets.
 */
import { fmix32, textWords } from './normalize';

export interface MinHashOptions {
  /** Hash functions per signature (default 128). */
  readonly numPerm?: number;
  /** Words per shingle (default 3); texts shorter than that are one shingle. */
  readonly shingleWords?: number;
  readonly seed?: number;
}

export class MinHasher {
  readonly numPerm: number;
  private readonly shingleWords: number;
  private readonly mul: Int32Array;
  private readonly add: Int32Array;

  constructor(options: MinHashOptions = {}) {
    this.numPerm = options.numPerm ?? 128;
    this.shingleWords = options.shingleWords ?? 3;
    this.mul = new Int32Array(this.numPerm);
    this.add = new Int32Array(this.numPerm);
    let s = (options.seed ?? 1) >>> 0;
    for (let i = 0; i < this.numPerm; i++) {
      s = fmix32(s + 0x9e3779b9);
      this.mul[i] = s | 1;
      s = fmix32(s + 0x9e3779b9);
      this.add[i] = s;
    }
  }

  /** Hashes of the text's distinct word shingles, ascending. */
  shingles(text: string): Uint32Array {
    return this.shinglesOf(textWords(text).words);
  }

  shinglesOf(wordHashes: Uint32Array): Uint32Array {
    const n = wordHashes.length;
    const k = Math.min(this.shingleWords, n);
    const count = n - k + 1;
    const out = new Uint32Array(count);
    for (let i = 0; i < count; i++) {
      let h = 0x12345;
      for (let j = 0; j < k; j++) h = fmix32(Math.imul(h, 31) ^ wordHashes[i + j]);
      out[i] = h;
    }
    out.sort();
    let u = 0;
    for (let i = 0; i < count; i++) if (i === 0 || out[i] !== out[i - 1]) out[u++] = out[i];
    return out.subarray(0, u);
  }

  /**
   * The signature: for each i, the minimum over shingles x of (mul[i]·x mod 2³²) xor add[i],
   * compared as signed 32-bit integers (any fixed order works), with odd random multipliers;
   * shingle hashes are already well mixed by fmix32. All int32 arithmetic keeps it fast.
   */
  signature(text: string): Int32Array {
    return this.signatureOf(textWords(text).words);
  }

  signatureOf(wordHashes: Uint32Array): Int32Array {
    const k = this.numPerm;
    const sig = new Int32Array(k);
    const shingles = new Int32Array(this.shinglesOf(wordHashes));
    const m = shingles.length;
    const mul = this.mul;
    const add = this.add;
    let i = 0;
    // Four hash functions per pass over the shingles: independent chains the CPU overlaps.
    for (; i + 4 <= k; i += 4) {
      const a0 = mul[i], a1 = mul[i + 1], a2 = mul[i + 2], a3 = mul[i + 3];
      const b0 = add[i], b1 = add[i + 1], b2 = add[i + 2], b3 = add[i + 3];
      let m0 = 0x7fffffff, m1 = 0x7fffffff, m2 = 0x7fffffff, m3 = 0x7fffffff;
      for (let s = 0; s < m; s++) {
        const x = shingles[s];
        const h0 = Math.imul(a0, x) ^ b0;
        const h1 = Math.imul(a1, x) ^ b1;
        const h2 = Math.imul(a2, x) ^ b2;
        const h3 = Math.imul(a3, x) ^ b3;
        if (h0 < m0) m0 = h0;
        if (h1 < m1) m1 = h1;
        if (h2 < m2) m2 = h2;
        if (h3 < m3) m3 = h3;
      }
      sig[i] = m0;
      sig[i + 1] = m1;
      sig[i + 2] = m2;
      sig[i + 3] = m3;
    }
    for (; i < k; i++) {
      const a = mul[i];
      const b = add[i];
      let min = 0x7fffffff;
      for (let s = 0; s < m; s++) {
        const h = Math.imul(a, shingles[s]) ^ b;
        if (h < min) min = h;
      }
      sig[i] = min;
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
