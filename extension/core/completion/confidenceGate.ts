/**
 * The gate's verdict on one suggestion: shown, or hidden with a reason the completion stats
 * count and the log can say ("low-confidence", "invented-name", "repeats-above", "runaway").
 */
import { confidenceScore, confidenceSignals, DEFAULT_WEIGHTS, type ConfidenceInput, type ConfidenceSignals, type ScoreWeights } from './confidence';
import type { RunawayCut } from './runaway';

export type HideReason = 'low-confidence' | 'invented-name' | 'repeats-above' | 'runaway';

export interface GateOptions {
  /** Suggestions scoring below this are hidden; 0 shows everything (the score is still computed). */
  readonly threshold: number;
  readonly weights?: ScoreWeights;
}

export interface GateVerdict {
  readonly show: boolean;
  /** Undefined when the generator gave no log-probabilities. */
  readonly score?: number;
  readonly signals?: ConfidenceSignals;
  readonly reason?: HideReason;
  /** One line for the log: the score against the threshold and what pulled it down. */
  readonly detail?: string;
}

export interface GateInput extends ConfidenceInput {
  /** The runaway cut post-processing made, if any. */
  readonly runaway?: RunawayCut;
}

export function judgeSuggestion(input: GateInput, options: GateOptions): GateVerdict {
  const signals = confidenceSignals(input);
  // The model repeated itself on the suggestion's own line: what is left is a fragment, with no confidence.
  if (input.runaway && input.runaway.line === 0 && input.runaway.kind !== 'max-lines') {
    const show = options.threshold <= 0;
    return show ? { show, score: 0, signals } : { show, score: 0, signals, reason: 'runaway', detail: `the first line repeats itself (${input.runaway.kind})` };
  }
  const score = signals ? confidenceScore(signals, options.weights ?? DEFAULT_WEIGHTS) : undefined;
  if (score === undefined || signals === undefined || score >= options.threshold) return { show: true, score, signals };
  const why = signals.invented.length > 0 ? 'invented-name' : signals.repeatsAbove ? 'repeats-above' : 'low-confidence';
  const parts = [`score ${score.toFixed(3)} < ${options.threshold.toFixed(3)}`, `mean logprob ${signals.meanLogprob.toFixed(2)}`, `min ${signals.minLogprob.toFixed(2)}`];
  if (signals.invented.length > 0) parts.push(`unknown names: ${signals.invented.slice(0, 3).join(', ')}`);
  if (signals.repeatsAbove) parts.push('repeats a line above');
  return { show: false, score, signals, reason: why, detail: parts.join('; ') };
}
