/**
 * Token healing, engine side: the first generated tokens are constrained so the output begins
 * with a given text. A caller that cuts the partial word before the cursor off its prompt
 * ("return fo" → prompt ends at "return", forced " fo") lets the model choose the token
 * boundary it was trained on (" foo", " format") instead of continuing from an odd token.
 */
import type { Choice, Sampler, SeenTokens } from './sampling';
import type { ModelTokenizer } from '../../models/tokenizer';

/** Each token's standalone text, indexed by first character for fast candidate lookup. */
export class TokenTexts {
  private readonly texts: (string | undefined)[];
  private readonly byFirstChar = new Map<string, number[]>();

  constructor(tokenizer: ModelTokenizer, vocabSize: number) {
    // Decoders such as Metaspace drop a leading space at the start of a text, so each token is
    // decoded after an anchor token and the anchor's text is cut off again.
    const anchorIds = tokenizer.encode('a');
    const anchor = anchorIds.length === 1 ? anchorIds[0] : undefined;
    const anchorText = anchor === undefined ? '' : tokenizer.decode([anchor]);
    this.texts = new Array<string | undefined>(vocabSize);
    for (let id = 0; id < vocabSize; id++) {
      if (tokenizer.specialIds.has(id)) continue;
      const text = anchor === undefined ? tokenizer.decode([id]) : tokenizer.decode([anchor, id]).slice(anchorText.length);
      // Pieces of a multi-byte character decode to U+FFFD and cannot be matched as text.
      if (text === '' || text.includes('\uFFFD')) continue;
      this.texts[id] = text;
      const first = text[0];
      let bucket = this.byFirstChar.get(first);
      if (!bucket) this.byFirstChar.set(first, (bucket = []));
      bucket.push(id);
    }
  }

  text(id: number): string | undefined {
    return this.texts[id];
  }

  /** Tokens whose text starts with the character `first`. */
  startingWith(first: string): readonly number[] {
    return this.byFirstChar.get(first) ?? [];
  }

  /** Tokens whose text keeps an output on course to start with `rest`. */
  candidates(rest: string): number[] {
    if (rest === '') return [];
    const bucket = this.byFirstChar.get(rest[0]) ?? [];
    return bucket.filter((id) => {
      const t = this.texts[id]!;
      return t.length >= rest.length ? t.startsWith(rest) : rest.startsWith(t);
    });
  }
}

/**
 * Whether `text` ends with a line's indentation (a newline, then spaces or tabs): the cursor
 * sits where the line's code starts, so the code comes next, not more whitespace.
 */
function endsInIndentation(text: string): boolean {
  return /\n[ \t]+$/.test(text);
}

/** The constraint for one request: picks tokens until the forced text is covered. */
export class ForcedPrefix {
  private rest: string;
  private queue: number[] = [];
  private steps = 0;
  private readonly maxSteps: number;
  /**
   * A line start's indentation is the user's (the editor put the cursor there), and code comes
   * next. Left to choose, a small model splits it oddly ("\n" + 7 spaces, " ", " ") and, from a
   * boundary byte-level BPE never makes, goes on emitting spaces. So the indentation is forced
   * as the tokenizer splits it when code follows ("\n" + 9 spaces, then " return": the last
   * space belongs to the code's first token), and for what is left the model may only pick a
   * token that goes on with code, not with more whitespace.
   */
  private readonly indentation: boolean;
  /** Most tokens the forced text can take (for the context-window budget). */
  readonly reserve: number;

  constructor(
    text: string,
    private readonly texts: TokenTexts,
    private readonly encode: (text: string) => number[],
  ) {
    this.rest = text;
    this.indentation = endsInIndentation(text);
    if (this.indentation) {
      let covered = 0;
      for (const id of encode(`${text}x`)) {
        const t = texts.text(id);
        if (t === undefined || text.slice(covered, covered + t.length) !== t) break;
        this.queue.push(id);
        covered += t.length;
      }
      this.rest = text.slice(covered);
    }
    const plain = encode(text).length;
    this.maxSteps = plain + 2;
    this.reserve = 2 * plain + 2;
  }

  get active(): boolean {
    return this.rest !== '' || this.queue.length > 0;
  }

  /**
   * The next token: the best one (by the sampler) among those that agree with the forced text.
   * When none does, or the constraint has taken more steps than the text's own encoding, the
   * rest is appended as its plain encoding.
   */
  pick(logits: Float32Array, sampler: Sampler, seen: SeenTokens): Choice {
    const options = this.options();
    if (this.queue.length > 0) {
      this.take(options[0]);
      return { id: options[0] };
    }
    const masked = new Float32Array(logits.length).fill(-Infinity);
    for (const id of options) if (id < logits.length) masked[id] = logits[id];
    const choice = sampler.pick(masked, seen);
    this.take(choice.id);
    return choice;
  }

  /**
   * The tokens the next step may take: those that agree with the forced text, or the one next
   * token of its plain encoding once the constraint has given up choosing (see `pick`).
   */
  options(): readonly number[] {
    if (this.queue.length === 0) {
      const allowed = this.steps < this.maxSteps ? this.allowed() : [];
      if (allowed.length > 0) return allowed;
      this.queue = this.encode(this.rest);
      this.rest = '';
    }
    return [this.queue[0]];
  }

  /** Whether `options()` is the forced text's own encoding (no choice left), not the tokens that agree with it. */
  get queued(): boolean {
    return this.queue.length > 0;
  }

  /** Records the token taken, one of `options()`. */
  take(id: number): void {
    if (this.queue.length > 0) {
      this.queue.shift();
      return;
    }
    this.steps++;
    const t = this.texts.text(id)!;
    this.rest = t.length >= this.rest.length ? '' : this.rest.slice(t.length);
  }

  /** An independent copy at the same point (beam search follows several continuations). */
  clone(): ForcedPrefix {
    const copy = Object.create(ForcedPrefix.prototype) as ForcedPrefix;
    Object.assign(copy, this);
    copy.queue = [...this.queue];
    return copy;
  }

  private allowed(): number[] {
    const all = this.texts.candidates(this.rest);
    if (!this.indentation) return all;
    const rest = this.rest;
    const fit = all.filter((id) => {
      const t = this.texts.text(id)!;
      if (t.length > rest.length) return !/^\s/.test(t.slice(rest.length));
      return !(t.length === rest.length && rest.endsWith(' '));
    });
    return fit.length > 0 ? fit : all;
  }
}
