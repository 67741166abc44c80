/**
 * Near-duplicate search with MinHash LSH: signatures are cut into bands; items sharing any
 * band bucket are candidates, and a candidate pair is kept when its estimated Jaccard
 * similarity reaches the threshold. Kept pairs are joined into clusters (union-find).
 */
import { estimateJaccard, lshParams, MinHasher, type MinHashOptions } from './minhash';
import { fmix32, textWords } from './normalize';

export interface NearDuplicateOptions extends MinHashOptions {
  /** Estimated Jaccard similarity at or above which two rows are near-duplicates (default 0.8). */
  readonly threshold?: number;
}

export interface NearCluster {
  /** Item ids in the cluster, ascending. */
  readonly ids: readonly number[];
  /** The lowest estimated similarity among the pairs that joined the cluster. */
  readonly similarity: number;
}

/** Buckets larger than this compare each member to the first only (keeps pairs linear). */
const ALL_PAIRS_BUCKET = 64;

class UnionFind {
  private readonly parent = new Map<number, number>();
  find(x: number): number {
    let p = this.parent.get(x) ?? x;
    if (p !== x) {
      p = this.find(p);
      this.parent.set(x, p);
    }
    return p;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(Math.max(ra, rb), Math.min(ra, rb));
  }
}

export class NearDuplicateIndex {
  readonly threshold: number;
  private readonly hasher: MinHasher;
  private readonly bands: number;
  private readonly rows: number;
  private readonly signatures = new Map<number, Int32Array>();
  private readonly buckets: Array<Map<number, number[]>>;

  constructor(options: NearDuplicateOptions = {}) {
    this.threshold = options.threshold ?? 0.8;
    if (!(this.threshold > 0 && this.threshold <= 1)) throw new RangeError(`threshold must be in (0, 1], got ${this.threshold}`);
    this.hasher = new MinHasher(options);
    ({ bands: this.bands, rows: this.rows } = lshParams(this.hasher.numPerm, this.threshold));
    this.buckets = Array.from({ length: this.bands }, () => new Map<number, number[]>());
  }

  get banding(): { bands: number; rows: number } {
    return { bands: this.bands, rows: this.rows };
  }

  add(id: number, text: string): void {
    this.addWords(id, textWords(text).words);
  }

  /** Adds an item by its normalized word hashes (see `textWords`). */
  addWords(id: number, words: Uint32Array): void {
    const sig = this.hasher.signatureOf(words);
    this.signatures.set(id, sig);
    for (let b = 0; b < this.bands; b++) {
      let h = b + 1;
      for (let r = 0; r < this.rows; r++) h = fmix32(Math.imul(h, 0x01000193) ^ sig[b * this.rows + r]);
      const bucket = this.buckets[b].get(h);
      if (bucket) bucket.push(id);
      else this.buckets[b].set(h, [id]);
    }
  }

  similarity(a: number, b: number): number {
    const sa = this.signatures.get(a);
    const sb = this.signatures.get(b);
    return sa && sb ? estimateJaccard(sa, sb) : 0;
  }

  clusters(): NearCluster[] {
    const uf = new UnionFind();
    const minSim = new Map<number, number>();
    const checked = new Set<string>();
    const tryPair = (a: number, b: number) => {
      const key = a < b ? `${a},${b}` : `${b},${a}`;
      if (checked.has(key)) return;
      checked.add(key);
      const s = this.similarity(a, b);
      if (s < this.threshold) return;
      uf.union(a, b);
      minSim.set(a, Math.min(minSim.get(a) ?? 1, s));
      minSim.set(b, Math.min(minSim.get(b) ?? 1, s));
    };
    for (const band of this.buckets) {
      for (const ids of band.values()) {
        if (ids.length < 2) continue;
        if (ids.length <= ALL_PAIRS_BUCKET) {
          for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) tryPair(ids[i], ids[j]);
        } else {
          for (let i = 1; i < ids.length; i++) tryPair(ids[0], ids[i]);
        }
      }
    }
    const groups = new Map<number, number[]>();
    for (const id of minSim.keys()) {
      const root = uf.find(id);
      const g = groups.get(root);
      if (g) g.push(id);
      else groups.set(root, [id]);
    }
    return [...groups.values()]
      .map((ids) => ({ ids: ids.sort((a, b) => a - b), similarity: Math.min(...ids.map((i) => minSim.get(i) ?? 1)) }))
      .sort((a, b) => a.ids[0] - b.ids[0]);
  }
}
