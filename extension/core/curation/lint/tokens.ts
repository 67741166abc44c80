/**
 * Token statistics over a dataset. Percentiles use linear interpolation between closest
 * ranks (Hyndman & Fan type 7, numpy's default): for sorted values x[0..n-1] and p in [0, 1],
 * h = (n - 1) p, and the result is x[⌊h⌋] + (h - ⌊h⌋)(x[⌊h⌋ + 1] - x[⌊h⌋]).
 */
import { exampleSegments } from '../formats/convert';
import type { Example } from '../formats/types';
import { percentileSorted } from '../../../base/percentile';
import type { TokenCounter } from '../../models/tokenCounter';

export interface TokenStats {
  readonly counter: string;
  readonly rows: number;
  readonly min: number;
  readonly mean: number;
  readonly p5: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
  readonly total: number;
  readonly limit: number;
  readonly overLimit: number;
}

export function tokenStats(counts: readonly number[], limit: number, counter: string): TokenStats {
  const sorted = Float64Array.from(counts).sort();
  let total = 0;
  let over = 0;
  for (const c of counts) {
    total += c;
    if (c > limit) over++;
  }
  const n = counts.length;
  return {
    counter,
    rows: n,
    min: n ? sorted[0] : 0,
    mean: n ? total / n : 0,
    p5: n ? percentileSorted(sorted, 0.05) : 0,
    p50: n ? percentileSorted(sorted, 0.5) : 0,
    p95: n ? percentileSorted(sorted, 0.95) : 0,
    max: n ? sorted[n - 1] : 0,
    total,
    limit,
    overLimit: over,
  };
}

export const PER_MESSAGE_OVERHEAD = 4;

/** Tokens of an example: every segment's text, plus a few per message for the chat markup. */
export function exampleTokens(example: Example, counter: TokenCounter, perMessageOverhead = PER_MESSAGE_OVERHEAD): number {
  return tokensFromCounts(example, exampleSegments(example).map((s) => counter.count(s.text)), perMessageOverhead);
}

/** `exampleTokens` from per-segment counts made elsewhere (a worker thread). */
export function tokensFromCounts(example: Example, segmentCounts: readonly number[], perMessageOverhead = PER_MESSAGE_OVERHEAD): number {
  const overhead = example.kind === 'chat' || example.kind === 'preference' ? perMessageOverhead : 0;
  let n = 0;
  for (const c of segmentCounts) n += c + overhead;
  return n;
}

/**
 * A counter for when no tokenizer is available: words, numbers and punctuation runs, with
 * long words split every 4 characters (close to BPE counts on English and code). Its name says
 * it is an estimate.
 */
export const approximateCounter: TokenCounter = {
  name: 'estimate (no tokenizer)',
  count(text: string): number {
    let n = 0;
    for (const m of text.matchAll(/[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu)) n += Math.max(1, Math.ceil(m[0].length / 4));
    return n;
  },
};

/** About 4 bytes of UTF-8 per token: the estimate for rows too large to tokenize. */
export const BYTES_PER_TOKEN_ESTIMATE = 4;

export function estimateTokensFromBytes(bytes: number): number {
  return Math.ceil(bytes / BYTES_PER_TOKEN_ESTIMATE);
}
