/**
 * Drawing a token from temperature-scaled logits under top-k / top-p / min-p, in time linear
 * in the vocabulary whatever the settings: a 152k vocabulary must not be sorted per token.
 *
 * Probabilities are computed once per step into a reused buffer. Top-k takes the k best
 * (sorted). Without top-k, the top-p nucleus is found by mass per logit bucket (1/16 of a logit
 * wide, below the maximum): every bucket above the one where the mass reaches top-p is kept
 * whole, and only that boundary bucket is sorted to take its best members. Min-p then drops
 * what falls below min-p × the best probability. The draw walks the kept tokens in index order
 * (top-k: best first).
 */
const BUCKETS_PER_LOGIT = 16;
/** Buckets cover 64 logits below the maximum; anything further (< e^-64 of the best) shares the last. */
const BUCKETS = 64 * BUCKETS_PER_LOGIT;

export interface Truncation {
  /** 0 disables. */
  readonly topK: number;
  /** 1 disables. */
  readonly topP: number;
  /** 0 disables. */
  readonly minP: number;
}

export function argmax(row: Float32Array): number {
  let best = 0;
  let value = row[0];
  for (let i = 1; i < row.length; i++) {
    if (row[i] > value) {
      value = row[i];
      best = i;
    }
  }
  return best;
}

/** Indices of the `k` largest values, largest first (ties: lower index first). */
export function topIndices(row: Float32Array, k: number): number[] {
  const ids: number[] = [];
  for (let i = 0; i < row.length; i++) {
    if (ids.length === k && row[i] <= row[ids[k - 1]]) continue;
    let j = ids.length < k ? ids.length : k - 1;
    if (ids.length < k) ids.push(i);
    while (j > 0 && row[ids[j - 1]] < row[i]) {
      ids[j] = ids[j - 1];
      j--;
    }
    ids[j] = i;
  }
  return ids;
}

/** Buffers reused from step to step (one set per sampler). */
export class DrawScratch {
  probs = new Float64Array(0);
  bucket = new Uint16Array(0);
  readonly mass = new Float64Array(BUCKETS);

  size(n: number): void {
    if (this.probs.length < n) {
      this.probs = new Float64Array(n);
      this.bucket = new Uint16Array(n);
    }
  }
}

/** The token drawn by `u` ∈ [0, 1) from `logits` under `t`. */
export function drawToken(logits: Float32Array, t: Truncation, u: number, scratch: DrawScratch): number {
  if (t.topK > 0) return drawTopK(logits, t, u);
  const n = logits.length;
  scratch.size(n);
  const p = scratch.probs;
  const max = logits[argmax(logits)];
  let total = 0;
  for (let i = 0; i < n; i++) {
    p[i] = Math.exp(logits[i] - max);
    total += p[i];
  }
  // The best token has p = 1, so min-p's floor is min-p itself.
  const floor = t.minP;

  // Without top-k: ids in buckets < `edge` are kept whole; `boundary` holds the best of bucket `edge`.
  let edge = BUCKETS;
  let boundary: number[] = [];
  if (t.topP < 1) {
    const mass = scratch.mass.fill(0);
    const bucket = scratch.bucket;
    for (let i = 0; i < n; i++) {
      const b = Math.min(BUCKETS - 1, Math.floor((max - logits[i]) * BUCKETS_PER_LOGIT));
      bucket[i] = b;
      mass[b] += p[i];
    }
    const want = t.topP * total;
    let acc = 0;
    edge = 0;
    while (edge < BUCKETS - 1 && acc + mass[edge] < want) acc += mass[edge++];
    const members: number[] = [];
    for (let i = 0; i < n; i++) if (bucket[i] === edge) members.push(i);
    members.sort((a, b) => logits[b] - logits[a] || a - b);
    for (const id of members) {
      boundary.push(id);
      acc += p[id];
      if (acc >= want) break;
    }
  } else {
    boundary = [];
  }
  const kept = (i: number) => p[i] >= floor && (edge === BUCKETS || scratch.bucket[i] < edge);
  let sum = 0;
  for (let i = 0; i < n; i++) if (kept(i)) sum += p[i];
  for (const id of boundary) if (p[id] >= floor) sum += p[id];
  let r = u * sum;
  let last = -1;
  for (let i = 0; i < n; i++) {
    if (!kept(i)) continue;
    last = i;
    r -= p[i];
    if (r < 0) return i;
  }
  for (const id of boundary) {
    if (p[id] < floor) continue;
    last = id;
    r -= p[id];
    if (r < 0) return id;
  }
  return last >= 0 ? last : argmax(logits);
}

/** Top-k needs probabilities of its k candidates only (the best first, p = 1). */
function drawTopK(logits: Float32Array, t: Truncation, u: number): number {
  const candidates = topIndices(logits, Math.min(t.topK, logits.length));
  const max = logits[candidates[0]];
  const p = candidates.map((id) => Math.exp(logits[id] - max));
  let mass = 0;
  for (const q of p) mass += q;
  let keep = candidates.length;
  if (t.topP < 1) {
    // Renormalised over the top-k, then top-p applies within.
    let acc = 0;
    for (let i = 0; i < candidates.length; i++) {
      acc += p[i] / mass;
      if (acc >= t.topP) {
        keep = i + 1;
        break;
      }
    }
  }
  let k = 1;
  while (k < keep && p[k] >= t.minP) k++;
  keep = k;
  let sum = 0;
  for (let i = 0; i < keep; i++) sum += p[i];
  let r = u * sum;
  for (let i = 0; i < keep; i++) {
    r -= p[i];
    if (r < 0) return candidates[i];
  }
  return candidates[keep - 1];
}
