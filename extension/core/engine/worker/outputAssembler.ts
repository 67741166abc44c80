/**
 * Builds a request's output token by token: incremental detokenization, stop-sequence
 * hold-back, end-of-sequence, token and time limits, and the per-token events that stream to
 * the caller. Each event carries the text that became final with that token; the last event
 * also carries any text released at the end (so an EOS token's event may carry held text).
 */
import { IncrementalDetokenizer } from './detokenizer';
import type { FinishReason, TokenEvent } from '../shared/generator';
import type { Choice } from './sampling';
import { StopMatcher } from './stopSequences';
import type { ModelTokenizer } from '../../models/tokenizer';

export interface AssemblerOptions {
  readonly stop: readonly string[];
  readonly eosTokenIds: readonly number[];
  readonly maxTokens: number;
  /** performance.now() deadline. */
  readonly deadline: number;
  readonly onToken?: (event: TokenEvent) => void;
  /**
   * Text the output starts with that the caller already has (a forced prefix): consumed
   * silently. Tokens that only cover it produce no event and do not count; stop sequences
   * apply to what follows it.
   */
  readonly skip?: string;
}

export class OutputAssembler {
  readonly events: TokenEvent[] = [];
  private readonly detok: IncrementalDetokenizer;
  private readonly stops: StopMatcher;
  private readonly eos: ReadonlySet<number>;
  private parts: string[] = [];
  private finish: FinishReason | undefined;
  private skip: string;

  constructor(private readonly tokenizer: ModelTokenizer, private readonly options: AssemblerOptions) {
    this.detok = new IncrementalDetokenizer(tokenizer);
    this.stops = new StopMatcher(options.stop);
    this.eos = new Set(options.eosTokenIds);
    this.skip = options.skip ?? '';
  }

  get count(): number {
    return this.events.length;
  }

  get finishReason(): FinishReason | undefined {
    return this.finish;
  }

  get text(): string {
    return this.parts.join('');
  }

  /** Adds a sampled token; returns true when generation must end. */
  add(choice: Choice): boolean {
    let text: string;
    if (this.eos.has(choice.id)) {
      text = this.release('eos');
    } else {
      let piece = this.detok.push(choice.id);
      if (this.skip !== '') {
        const n = Math.min(piece.length, this.skip.length);
        this.skip = this.skip.slice(n);
        piece = piece.slice(n);
        // Still inside the forced text (or a character of it not yet complete): no event.
        if (piece === '') return false;
      }
      const step = this.stops.push(piece);
      text = step.text;
      if (step.stopped) this.finish = 'stop';
      else if (this.events.length + 1 >= this.options.maxTokens) text += this.release('length');
      else if (performance.now() >= this.options.deadline) text += this.release('time');
    }
    const event = this.event(choice, text);
    this.events.push(event);
    this.parts.push(text);
    this.options.onToken?.(event);
    return this.finish !== undefined;
  }

  /** Ends the output without releasing held text (the caller cancelled). */
  abort(): void {
    this.finish ??= 'abort';
  }

  private release(reason: FinishReason): string {
    const tail = this.stops.push(this.detok.flush());
    if (tail.stopped) {
      this.finish = 'stop';
      return tail.text;
    }
    this.finish = reason;
    return tail.text + this.stops.flush();
  }

  private event(choice: Choice, text: string): TokenEvent {
    if (choice.logprob === undefined) return { text, tokenId: choice.id };
    const top = choice.top?.map((t) => ({ token: this.tokenizer.decode([t.id]), logprob: t.logprob }));
    return top ? { text, tokenId: choice.id, logprob: choice.logprob, top } : { text, tokenId: choice.id, logprob: choice.logprob };
  }
}
