/**
 * The confidence gate: a suggestion is shown only when the model is sure enough. The signals
 * are the model's own token log-probabilities over the suggestion's first line (how likely the
 * whole line is, its least likely token) and cheap checks (the line copies one just above; it
 * uses names that exist nowhere). A logistic score turns them into an estimate of "this line is
 * what the user will type"; a threshold, calibrated per model on held-out code by
 * `lathe bench quality`, decides. Generators that report no log-probabilities are not gated.
 */
import { inventedNames } from './inventedNames';

export interface TokenLogprob {
  readonly text: string;
  readonly logprob?: number;
}

export interface ConfidenceSignals {
  /** Tokens of the first line, the one that ends it included. */
  readonly tokens: number;
  readonly sumLogprob: number;
  readonly meanLogprob: number;
  readonly minLogprob: number;
  /** Names the first line uses that the document, context and tags index do not have. */
  readonly invented: readonly string[];
  /** The completed line is (nearly) a copy of one of the lines just above. */
  readonly repeatsAbove: boolean;
  /** The cursor was at the start of the line's code (nothing typed on it yet). */
  readonly lineStart: boolean;
}

export interface ConfidenceInput {
  /** The generated text before post-processing, and its token events. */
  readonly raw: string;
  readonly tokens: readonly TokenLogprob[];
  /** The suggestion as it would be shown. */
  readonly completion: string;
  /** Document text before the cursor (a window is enough: the line and a few above). */
  readonly prefix: string;
  /** Whether a name is known to the document, the prompt's context or the tags index. */
  readonly knows: (name: string) => boolean;
}

/** Log-probabilities of the tokens that make the raw text's first line (and end it); undefined without log-probabilities. */
export function firstLineLogprobs(raw: string, tokens: readonly TokenLogprob[]): number[] | undefined {
  const end = raw.indexOf('\n');
  const out: number[] = [];
  let at = 0;
  for (const t of tokens) {
    if (t.logprob === undefined) return undefined;
    out.push(t.logprob);
    at += t.text.length;
    if (end >= 0 && at > end) break;
  }
  return out.length > 0 ? out : undefined;
}

const normalize = (line: string) => line.replace(/\s+/g, ' ').trim();

export function confidenceSignals(input: ConfidenceInput): ConfidenceSignals | undefined {
  const lps = firstLineLogprobs(input.raw, input.tokens);
  if (!lps) return undefined;
  const head = input.prefix.slice(input.prefix.lastIndexOf('\n') + 1);
  const first = input.completion.split('\n')[0];
  const line = head + first;
  const above = input.prefix.slice(0, Math.max(0, input.prefix.length - head.length - 1)).split('\n').slice(-3).map(normalize);
  const sum = lps.reduce((a, b) => a + b, 0);
  return {
    tokens: lps.length,
    sumLogprob: sum,
    meanLogprob: sum / lps.length,
    minLogprob: Math.min(...lps),
    invented: inventedNames(line, head.length, input.knows),
    repeatsAbove: normalize(line).length > 2 && above.includes(normalize(line)),
    lineStart: head.trim() === '',
  };
}

/** Names the score (signals and weights); a calibration written for another score is not used. */
export const SCORE_VERSION = 'lathe-confidence-1';

/** Weights of the logistic score (fitted on held-out code with the embedded model; see README). */
export interface ScoreWeights {
  readonly intercept: number;
  readonly sumLogprob: number;
  readonly minLogprob: number;
  readonly meanLogprob: number;
  readonly invented: number;
  readonly repeatsAbove: number;
  readonly lineStart: number;
}

/**
 * Fitted (logistic regression) on 600 positions of the held-out packages (`lathe bench quality
 * --seed 7 --records`) with the embedded model: the whole line's log-probability carries most of it; an invented name, a
 * weak token and an empty line (the model guessing a whole statement) pull it down. A copy of
 * a line above barely mattered there, so it weighs little.
 */
export const DEFAULT_WEIGHTS: ScoreWeights = {
  intercept: 0.946,
  sumLogprob: 0.494,
  minLogprob: 0.567,
  meanLogprob: 0,
  invented: -0.702,
  repeatsAbove: -0.07,
  lineStart: -0.707,
};

/** The score in [0, 1]: a logistic estimate that the first line is exactly right. */
export function confidenceScore(s: ConfidenceSignals, w: ScoreWeights = DEFAULT_WEIGHTS): number {
  const z =
    w.intercept +
    w.sumLogprob * s.sumLogprob +
    w.minLogprob * s.minLogprob +
    w.meanLogprob * s.meanLogprob +
    w.invented * Math.min(s.invented.length, 3) +
    w.repeatsAbove * (s.repeatsAbove ? 1 : 0) +
    w.lineStart * (s.lineStart ? 1 : 0);
  return 1 / (1 + Math.exp(-z));
}
