/**
 * Streams tokens to a view in batches: tokens pushed while a flush is scheduled ride along,
 * so a fast model sends one message per tick instead of one per token.
 */
import type { TokenEvent } from '../engine/shared/generator';
import type { RunToken } from './labTypes';

/** A generated token as a run streams it: log probabilities only where they are finite. */
export function runToken(e: TokenEvent): RunToken {
  const finite = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x : undefined);
  return {
    text: e.text,
    logprob: finite(e.logprob),
    top: e.top?.filter((t) => Number.isFinite(t.logprob)).map((t) => ({ token: t.token, logprob: t.logprob })),
  };
}

export class TokenBatcher {
  private pending: RunToken[] = [];
  private scheduled = false;

  constructor(
    private readonly send: (tokens: RunToken[]) => void,
    private readonly schedule: (flush: () => void) => void,
  ) {}

  push(token: RunToken): void {
    this.pending.push(token);
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => this.flush());
  }

  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.send(batch);
  }
}
