/**
 * Turning a row of logits into the next token: repetition penalty, then greedy argmax or
 * temperature → top-k → softmax → top-p → min-p → a draw from the seeded RNG. Optionally
 * reports the chosen token's logprob and the top alternatives (log-softmax of the penalised,
 * temperature-scaled logits, before truncation: the model's own view of each choice).
 */
import type { SamplingParams } from '../shared/generator';
import type { GenerationDefaults } from '../../models/config';
import { Rng } from '../../common/rng';

export interface ResolvedSampling {
  readonly greedy: boolean;
  readonly temperature: number;
  /** 0 disables. */
  readonly topK: number;
  /** 1 disables. */
  readonly topP: number;
  /** 0 disables. */
  readonly minP: number;
  /** 1 disables. */
  readonly repetitionPenalty: number;
}

export interface Choice {
  readonly id: number;
  readonly logprob?: number;
  readonly top?: ReadonlyArray<{ readonly id: number; readonly logprob: number }>;
}

/** Request values win; otherwise generation_config.json's (sampling only when it says do_sample). */
export function resolveSampling(req: SamplingParams, defaults: GenerationDefaults): ResolvedSampling {
  const temperature = req.temperature ?? (defaults.doSample ? (defaults.temperature ?? 1) : 0);
  return {
    greedy: temperature <= 0,
    temperature: temperature > 0 ? temperature : 1,
    topK: req.topK ?? (defaults.doSample ? (defaults.topK ?? 0) : 0),
    topP: req.topP ?? (defaults.doSample ? (defaults.topP ?? 1) : 1),
    minP: req.minP ?? (defaults.doSample ? (defaults.minP ?? 0) : 0),
    repetitionPenalty: req.repetitionPenalty ?? defaults.repetitionPenalty ?? 1,
  };
}

export function validateSampling(s: ResolvedSampling): string | undefined {
  if (!(s.topP > 0 && s.topP <= 1)) return 'topP must be in (0, 1]';
  if (!(s.minP >= 0 && s.minP < 1)) return 'minP must be in [0, 1)';
  if (!(s.topK >= 0 && Number.isInteger(s.topK))) return 'topK must be a non-negative integer';
  if (!(s.repetitionPenalty > 0)) return 'repetitionPenalty must be > 0';
  if (!Number.isFinite(s.temperature)) return 'temperature must be finite';
  return undefined;
}

/** Which token ids have occurred (prompt and output), for the repetition penalty. */
export class SeenTokens {
  private readonly seen: Uint8Array;
  private readonly list: number[] = [];

  constructor(size: number, initial: readonly number[]) {
    this.seen = new Uint8Array(size);
    for (const id of initial) this.add(id);
  }

  add(id: number): void {
    if (id >= 0 && id < this.seen.length && this.seen[id] === 0) {
      this.seen[id] = 1;
      this.list.push(id);
    }
  }

  get ids(): readonly number[] {
    return this.list;
  }
}

export class Sampler {
  constructor(
    private readonly params: ResolvedSampling,
    private readonly rng: Rng,
    /** Number of alternatives to report; undefined = no logprobs. */
    private readonly logprobs: number | undefined,
  ) {}

  get greedy(): boolean {
    return this.params.greedy;
  }

  /** Picks from `logits` (modified in place by the penalty and temperature). */
  pick(logits: Float32Array, seen: SeenTokens): Choice {
    const { repetitionPenalty, greedy, temperature } = this.params;
    if (repetitionPenalty !== 1) {
      for (const id of seen.ids) {
        if (id < logits.length) logits[id] = logits[id] > 0 ? logits[id] / repetitionPenalty : logits[id] * repetitionPenalty;
      }
    }
    if (!greedy && temperature !== 1) {
      const inv = 1 / temperature;
      for (let i = 0; i < logits.length; i++) logits[i] *= inv;
    }
    const id = greedy ? argmax(logits) : this.draw(logits);
    if (this.logprobs === undefined) return { id };
    const lse = logSumExp(logits);
    const top = this.logprobs > 0 ? topIndices(logits, this.logprobs).map((t) => ({ id: t, logprob: logits[t] - lse })) : undefined;
    return { id, logprob: logits[id] - lse, top };
  }

  private draw(logits: Float32Array): number {
    const { topK, topP, minP } = this.params;
    // Candidates, highest first: the top-k, or the smallest threshold set that can hold the nucleus.
    let candidates: number[];
    const max = logits[argmax(logits)];
    if (topK > 0) {
      candidates = topIndices(logits, Math.min(topK, logits.length));
    } else {
      candidates = nucleusCandidates(logits, max, topP);
    }
    const probs = new Float64Array(candidates.length);
    let sum = 0;
    for (let i = 0; i < candidates.length; i++) {
      probs[i] = Math.exp(logits[candidates[i]] - max);
      sum += probs[i];
    }
    if (topK > 0) {
      // Renormalised over the top-k, then top-p applies within.
    } else {
      // Normalise over the full vocabulary: the candidate set was chosen to contain the nucleus.
      sum = fullSum(logits, max);
    }
    let keep = candidates.length;
    if (topP < 1) {
      let acc = 0;
      for (let i = 0; i < candidates.length; i++) {
        acc += probs[i] / sum;
        if (acc >= topP) {
          keep = i + 1;
          break;
        }
      }
    }
    if (minP > 0) {
      const floor = minP * (probs[0] / sum);
      let k = 1;
      while (k < keep && probs[k] / sum >= floor) k++;
      keep = k;
    }
    let total = 0;
    for (let i = 0; i < keep; i++) total += probs[i];
    let r = this.rng.next() * total;
    for (let i = 0; i < keep; i++) {
      r -= probs[i];
      if (r < 0) return candidates[i];
    }
    return candidates[keep - 1];
  }
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

function logSumExp(row: Float32Array): number {
  const max = row[argmax(row)];
  return max + Math.log(fullSum(row, max));
}

function fullSum(row: Float32Array, max: number): number {
  let s = 0;
  for (let i = 0; i < row.length; i++) s += Math.exp(row[i] - max);
  return s;
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

/**
 * Tokens sorted by logit that are guaranteed to contain the top-p nucleus: all tokens above a
 * threshold whose probability mass reaches topP. Avoids sorting a 150k vocabulary every step.
 */
function nucleusCandidates(row: Float32Array, max: number, topP: number): number[] {
  const total = fullSum(row, max);
  for (let margin = 8; ; margin *= 2) {
    const threshold = max - margin;
    const ids: number[] = [];
    let mass = 0;
    for (let i = 0; i < row.length; i++) {
      if (row[i] >= threshold) {
        ids.push(i);
        mass += Math.exp(row[i] - max);
      }
    }
    if (mass / total >= Math.min(topP, 0.999999) || ids.length === row.length || margin > 1e4) {
      ids.sort((a, b) => row[b] - row[a] || a - b);
      return ids;
    }
  }
}
