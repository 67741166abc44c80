/**
 * Turning a row of logits into the next token: repetition penalty, then greedy argmax or
 * temperature → top-k → softmax → top-p → min-p → a draw from the seeded RNG. Optionally
 * reports the chosen token's logprob and the top alternatives (log-softmax of the penalised,
 * temperature-scaled logits, before truncation: the model's own view of each choice).
 */
import type { SamplingParams } from '../shared/generator';
import type { GenerationDefaults } from '../../models/config';
import { Rng } from '../../common/rng';
import { argmax, DrawScratch, drawToken, topIndices } from './truncation';

export { argmax, topIndices };

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
  private readonly scratch = new DrawScratch();

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
    return drawToken(logits, this.params, this.rng.next(), this.scratch);
  }
}

/** log Σ exp(row): the normaliser of a row of logits. */
export function logSumExp(row: Float32Array): number {
  const max = row[argmax(row)];
  return max + Math.log(fullSum(row, max));
}

function fullSum(row: Float32Array, max: number): number {
  let s = 0;
  for (let i = 0; i < row.length; i++) s += Math.exp(row[i] - max);
  return s;
}
