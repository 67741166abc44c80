/**
 * Beam search over one line: the most likely whole line rather than the line greedy decoding
 * happens to walk into. A small model often ranks the right line's first token second
 * (`name` after ` ` where greedy takes `self`); keeping a few partial lines and comparing
 * finished ones by their total log-probability finds it.
 *
 * A line ends at a token whose new text has a newline. The tokens that start with a newline
 * ("\n", "\n    ", "\n\t\t"…) all say "the line ends here" and split that probability between
 * indentations, so they count as one ending: its probability is their sum, and the token taken
 * is the likeliest of them. Lines without code (only whitespace) never finish.
 *
 * Lines are compared by their log-probability per token^`lengthAlpha`, by default 0: the total.
 * A total favours short lines (every token costs, so `er);` can beat a long line copied from an
 * open file whose tokens are each likely); alpha 0.5 lifts exact lines a little on the embedded
 * model but makes a random-weight model's lines long junk (models/train/README.md). The search
 * stops when the best finished line scores at least as well as the best partial one would if it
 * ended now (with alpha 0, when no partial line can beat it, since log-probabilities only fall),
 * at the token limit, or when the caller aborts; it then returns the best finished line, or the
 * best partial one when that scores higher still, for the caller to go on with.
 */
import type { ForcedPrefix, TokenTexts } from './forcedPrefix';
import type { Choice } from './sampling';
import { logSumExp, topIndices } from './sampling';

export interface LineBeamOptions {
  /** Partial lines kept per step (≥ 2). */
  readonly width: number;
  /** Most tokens of the line, forced text included. */
  readonly maxTokens: number;
  /** Text the output must begin with (token healing), followed as in greedy decoding. */
  readonly forced?: ForcedPrefix;
  readonly forcedText: string;
  readonly texts: TokenTexts;
  readonly eosTokenIds: readonly number[];
  /** Alternatives reported per token (`logprobs` of the request); undefined: none. */
  readonly logprobs?: number;
  /** Lines are compared by log-probability / tokens^lengthAlpha (default DEFAULT_LENGTH_ALPHA). */
  readonly lengthAlpha?: number;
  isAborted(): boolean;
}

/** Total log-probability; 0.5 was measured with models/train/decode_sim.py and the engine (models/train/README.md). */
export const DEFAULT_LENGTH_ALPHA = 0;

/** Runs the model one token further on several lines at once. */
export interface BeamStepper {
  /**
   * Row i of the result: the logits after line `parents[i]` (an index into the previous call's
   * lines, or 0 for the first call's single line) followed by `tokens[i]`.
   */
  advance(parents: readonly number[], tokens: readonly number[]): Promise<Float32Array[]>;
}

interface Line {
  readonly choices: readonly Choice[];
  readonly score: number;
  /** Text of the line so far, forced part included. */
  readonly text: string;
  readonly forced?: ForcedPrefix;
}

interface Candidate {
  readonly parent: number;
  readonly choice: Choice;
  readonly score: number;
  readonly text: string;
}

export interface LineBeamResult {
  /** The tokens of the line, its ending token included when it finished. */
  readonly choices: readonly Choice[];
  readonly finished: boolean;
  /** Model steps taken (each runs all kept lines). */
  readonly steps: number;
}

export async function searchLine(first: Float32Array, stepper: BeamStepper, o: LineBeamOptions): Promise<LineBeamResult> {
  const width = Math.max(2, o.width);
  const eos = new Set(o.eosTokenIds);
  const newlineStarts = o.texts.startingWith('\n');
  let live: Line[] = [{ choices: [], score: 0, text: '', forced: o.forced?.clone() }];
  let rows = [first];
  const alpha = o.lengthAlpha ?? DEFAULT_LENGTH_ALPHA;
  if (!(alpha >= 0)) throw new RangeError(`lengthAlpha must be ≥ 0, got ${alpha}`);
  const norm = (score: number, tokens: number): number => (alpha === 0 || tokens === 0 ? score : score / tokens ** alpha);
  /** The best finished line, and its score as lines are compared (normalised by length). */
  let best: { choices: Choice[]; score: number } | undefined;
  let steps = 0;
  for (let n = 0; n < o.maxTokens && !o.isAborted(); n++) {
    const candidates: Candidate[] = [];
    const ending = (line: Line, choice: Choice, text: string, logprob: number): void => {
      const score = norm(line.score + logprob, line.choices.length + 1);
      if (hasCode(text.slice(o.forcedText.length)) && (!best || score > best.score)) best = { choices: [...line.choices, choice], score };
    };
    live.forEach((line, i) => {
      const row = rows[i];
      const forcing = line.forced?.active === true;
      const pool = forcing ? line.forced.options() : undefined;
      // Lines are ranked by the model's own probabilities. What a token reports is what greedy
      // decoding would (the confidence gate is calibrated on it): a forced step's log-probability
      // is over the tokens it allows, and a token of the forced text's own encoding carries none.
      const lse = logSumExp(row);
      const lp = (id: number): number => row[id] - lse;
      const queued = forcing && line.forced.queued;
      const reportLse = pool ? logSumExpOf(row, pool) : lse;
      const choice = (id: number): Choice => (queued ? { id } : withTop({ id, logprob: row[id] - reportLse }, row, reportLse, o.logprobs));
      if (!forcing) {
        // Ending the line here: every token that starts with a newline, as one choice (the
        // likeliest of them is the token taken and reports its own log-probability).
        let top = -1;
        let sum = 0;
        for (const id of newlineStarts) {
          if (id >= row.length) continue;
          sum += Math.exp(lp(id));
          if (top < 0 || row[id] > row[top]) top = id;
        }
        if (top >= 0) ending(line, choice(top), line.text, Math.log(sum));
        for (const id of eos) if (id < row.length) ending(line, choice(id), line.text, lp(id));
      }
      for (const id of pool ? bestOf(row, pool, 2 * width) : topIndices(row, 3 * width)) {
        const text = o.texts.text(id);
        if (text === undefined || (!forcing && (eos.has(id) || text.startsWith('\n')))) continue;
        const full = line.text + text;
        const free = full.slice(o.forcedText.length);
        const score = line.score + lp(id);
        if (full.length > o.forcedText.length && free.includes('\n')) {
          ending(line, choice(id), full.slice(0, o.forcedText.length + free.indexOf('\n')), lp(id));
          continue;
        }
        candidates.push({ parent: i, choice: choice(id), score, text: full });
      }
    });
    candidates.sort((a, b) => b.score - a.score);
    const kept = candidates.slice(0, width);
    if (kept.length === 0 || (best && best.score >= norm(kept[0].score, live[kept[0].parent].choices.length + 1))) {
      live = [];
      break;
    }
    live = kept.map((c) => {
      const forced = live[c.parent].forced?.clone();
      if (forced?.active) forced.take(c.choice.id);
      return { choices: [...live[c.parent].choices, c.choice], score: c.score, text: c.text, forced };
    });
    if (n + 1 >= o.maxTokens || o.isAborted()) break;
    rows = await stepper.advance(
      kept.map((c) => c.parent),
      kept.map((c) => c.choice.id),
    );
    steps++;
  }
  // Stopped by the token limit or an abort: a partial line the model likes better than every
  // finished one is returned for the caller to go on with.
  const open = live[0];
  if (best && (!open || open.choices.length === 0 || best.score >= norm(open.score, open.choices.length))) return { choices: best.choices, finished: true, steps };
  return { choices: open?.choices ?? [], finished: false, steps };
}

function hasCode(text: string): boolean {
  return text.trim() !== '';
}

/** The `k` best of `ids` by logit, best first. */
function bestOf(row: Float32Array, ids: readonly number[], k: number): number[] {
  return [...ids].filter((id) => id < row.length).sort((a, b) => row[b] - row[a] || a - b).slice(0, k);
}

function withTop(c: Choice, row: Float32Array, lse: number, logprobs: number | undefined): Choice {
  if (!logprobs) return c;
  return { ...c, top: topIndices(row, logprobs).map((id) => ({ id, logprob: row[id] - lse })) };
}

function logSumExpOf(row: Float32Array, ids: readonly number[]): number {
  let max = -Infinity;
  for (const id of ids) if (id < row.length && row[id] > max) max = row[id];
  let s = 0;
  for (const id of ids) if (id < row.length) s += Math.exp(row[id] - max);
  return max + Math.log(s);
}
