/**
 * The DOM-free half of a token stream view: queues tokens, asks for one flush per animation
 * frame however many tokens arrive, and splits each flush into tokens that get their own
 * element (up to `maxSpans` in total) and plain text for everything past the cap.
 */
export interface BufferedToken {
  readonly text: string;
}

export interface FlushPlan<T extends BufferedToken> {
  /** Tokens to render as individual elements; `firstIndex` is the index of the first one. */
  readonly spans: readonly T[];
  readonly firstIndex: number;
  /** Text of tokens past the cap, to append as one text node. */
  readonly plain: string;
}

export class StreamBuffer<T extends BufferedToken> {
  private queue: T[] = [];
  private spanCount = 0;
  private scheduled = false;

  constructor(
    private readonly maxSpans: number,
    private readonly schedule: (flush: () => void) => void,
    private readonly onFlush: (plan: FlushPlan<T>) => void,
  ) {}

  /** Tokens rendered as elements so far. */
  get spans(): number {
    return this.spanCount;
  }

  push(tokens: readonly T[]): void {
    this.queue.push(...tokens);
    if (this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    this.schedule(() => this.flush());
  }

  /** Hands everything queued to `onFlush` now (also what the scheduled callback does). */
  flush(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    const room = Math.max(0, this.maxSpans - this.spanCount);
    const spans = this.queue.slice(0, room);
    const plain = this.queue.slice(room).map((t) => t.text).join('');
    const firstIndex = this.spanCount;
    this.spanCount += spans.length;
    this.queue = [];
    this.onFlush({ spans, firstIndex, plain });
  }

  /** Drops queued tokens and the span count (a new run); a pending scheduled flush becomes a no-op. */
  reset(): void {
    this.queue = [];
    this.spanCount = 0;
  }
}
