/**
 * Reference-based text metrics on word tokens: sentence BLEU (up to 4-grams, brevity penalty,
 * add-one smoothing for n > 1 as in Lin & Och 2004) and ROUGE-L (LCS F1).
 */

/** Words and punctuation marks, lower-cased. */
export function metricTokens(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu) ?? []);
}

function ngrams(tokens: readonly string[], n: number): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join('\u0001');
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

export interface BleuDetail {
  readonly score: number;
  /** Clipped n-gram precisions before smoothing, n = 1..maxN. */
  readonly precisions: readonly number[];
  readonly brevityPenalty: number;
}

export function bleu(candidate: string, reference: string, maxN = 4): BleuDetail {
  const c = metricTokens(candidate);
  const r = metricTokens(reference);
  if (c.length === 0) return { score: 0, precisions: new Array<number>(maxN).fill(0), brevityPenalty: 0 };
  const precisions: number[] = [];
  let logSum = 0;
  for (let n = 1; n <= maxN; n++) {
    const cand = ngrams(c, n);
    const ref = ngrams(r, n);
    let matched = 0;
    let total = 0;
    for (const [g, count] of cand) {
      matched += Math.min(count, ref.get(g) ?? 0);
      total += count;
    }
    precisions.push(total === 0 ? 0 : matched / total);
    const smoothed = n === 1 ? (total === 0 ? 0 : matched / total) : (matched + 1) / (total + 1);
    if (smoothed === 0) return { score: 0, precisions: [...precisions, ...new Array<number>(maxN - n).fill(0)], brevityPenalty: brevity(c.length, r.length) };
    logSum += Math.log(smoothed) / maxN;
  }
  const bp = brevity(c.length, r.length);
  return { score: bp * Math.exp(logSum), precisions, brevityPenalty: bp };
}

function brevity(c: number, r: number): number {
  return c >= r ? 1 : Math.exp(1 - r / c);
}

export function lcsLength(a: readonly string[], b: readonly string[]): number {
  let prev = new Uint32Array(b.length + 1);
  let cur = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

export interface RougeDetail {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export function rougeL(candidate: string, reference: string): RougeDetail {
  const c = metricTokens(candidate);
  const r = metricTokens(reference);
  const l = lcsLength(c, r);
  const precision = c.length === 0 ? 0 : l / c.length;
  const recall = r.length === 0 ? 0 : l / r.length;
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}

/** exp of the mean negative log-likelihood per generated token; undefined without logprobs. */
export function perplexity(logprobs: ReadonlyArray<number | undefined>): number | undefined {
  const known = logprobs.filter((x): x is number => x !== undefined && Number.isFinite(x));
  if (known.length === 0) return undefined;
  return Math.exp(-known.reduce((a, b) => a + b, 0) / known.length);
}
