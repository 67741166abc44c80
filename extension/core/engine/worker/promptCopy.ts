/**
 * Copying from the prompt. A small model often knows that a name from its context comes next
 * (`readonly layout?: ContextLayout;` two lines below `layout` was declared) but spreads its
 * probability over common words instead. Code repeats itself, so the text right before the
 * cursor is a strong hint: where its last tokens also occur earlier in the prompt, the token that
 * followed them there is likely to follow now.
 *
 * Each step finds the longest run of tokens, M long, that ends at the cursor and also ends at
 * some earlier prompt position (runs are counted up to `maxMatch`), and mixes the model's
 * distribution with the tokens that followed those positions:
 *
 *     p(token) = (1 − λ) · p_model(token) + λ · p_copy(token),   λ = M / (M + strength)
 *
 * only when M ≥ `minMatch` (short runs are common and say little). Other texts can be searched
 * too (`sources`: the parts of the document the prompt leaves out); runs never cross from one
 * text into the next. The defaults were chosen on held-out packages of the corpus with
 * models/train/decode_sim.py and checked on code outside it (models/train/README.md). The match
 * lengths are kept per position and advanced by one comparison per position per token, so a step
 * costs O(prompt + sources) plus O(vocabulary) for the mix.
 */
import { logSumExp } from './sampling';

export interface PromptCopyOptions {
  /** `strength` in λ = M / (M + strength): smaller copies more eagerly. */
  readonly strength: number;
  /** Shortest run (tokens) that lets the prompt vote. */
  readonly minMatch: number;
  /** Runs are counted up to this many tokens. */
  readonly maxMatch: number;
}

export const DEFAULT_PROMPT_COPY: PromptCopyOptions = { strength: 8, minMatch: 3, maxMatch: 32 };

/** Between two searched texts: equals no token, so runs stop there and nothing is copied across. */
const GAP = -1;

/** The match state of one sequence (the prompt followed by its generated tokens). */
export class PromptCopy {
  /** match[j]: how many tokens ending at the cursor equal the tokens ending at text[j]. */
  private readonly match: Int32Array;

  private constructor(
    /** The prompt, then each source, GAP between them. */
    private readonly text: Int32Array,
    private readonly options: PromptCopyOptions,
    match: Int32Array,
  ) {
    this.match = match;
  }

  /**
   * The state after `prompt`, searching the prompt and `sources`. Only positions followed by a
   * token of the same text can vote (the prompt's own end, where the cursor is, cannot).
   */
  static after(prompt: readonly number[], options: PromptCopyOptions = DEFAULT_PROMPT_COPY, sources: readonly (readonly number[])[] = []): PromptCopy {
    if (!(options.strength > 0) || !(options.minMatch >= 1) || !(options.maxMatch >= options.minMatch)) {
      throw new RangeError('prompt copy needs strength > 0 and 1 ≤ minMatch ≤ maxMatch');
    }
    const text = Int32Array.from([prompt, ...sources].flatMap((ids, i) => (i === 0 ? ids : [GAP, ...ids])));
    const state = new PromptCopy(text, options, new Int32Array(Math.max(0, text.length - 1)));
    // Runs are capped at maxMatch, so the last maxMatch tokens give the exact capped lengths.
    for (let i = Math.max(0, prompt.length - options.maxMatch); i < prompt.length; i++) state.push(prompt[i]);
    return state;
  }

  clone(): PromptCopy {
    return new PromptCopy(this.text, this.options, this.match.slice());
  }

  /** The cursor moves past `token`. */
  push(token: number): void {
    const { match, text } = this;
    const cap = this.options.maxMatch;
    // match[j] grows from match[j-1] of the previous token: walk down so it is still unchanged.
    // A position followed by GAP (the end of the prompt or of a source) has nothing to vote for
    // and no run to extend, so it stays 0.
    for (let j = match.length - 1; j >= 0; j--) {
      match[j] = text[j] === token && text[j + 1] !== GAP ? Math.min(cap, (j > 0 ? match[j - 1] : 0) + 1) : 0;
    }
  }

  /** The longest run that ends at the cursor and at an earlier position of the prompt or a source. */
  get longest(): number {
    let m = 0;
    for (let j = 0; j < this.match.length; j++) if (this.match[j] > m) m = this.match[j];
    return m;
  }

  /**
   * `logits` mixed with the copy distribution, as log-probabilities (usable wherever logits
   * are, since softmax of log-probabilities gives them back). Unchanged when no run is long
   * enough.
   */
  mix(logits: Float32Array): Float32Array {
    const m = this.longest;
    if (m < this.options.minMatch) return logits;
    const votes = new Map<number, number>();
    let total = 0;
    for (let j = 0; j < this.match.length; j++) {
      if (this.match[j] !== m) continue;
      const next = this.text[j + 1];
      if (next >= logits.length) continue;
      votes.set(next, (votes.get(next) ?? 0) + 1);
      total++;
    }
    if (total === 0) return logits;
    const lambda = m / (m + this.options.strength);
    const lse = logSumExp(logits);
    const out = new Float32Array(logits.length);
    for (let i = 0; i < logits.length; i++) out[i] = Math.log1p(-lambda) + (logits[i] - lse);
    for (const [id, n] of votes) out[id] = Math.log((1 - lambda) * Math.exp(logits[id] - lse) + (lambda * n) / total);
    return out;
  }
}
