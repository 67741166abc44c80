/**
 * Local completion statistics (never sent anywhere): how many suggestions were shown,
 * accepted fully or in part, and how long they took.
 */
import { percentileSorted } from '../../base/percentile';

export interface CompletionStatsSnapshot {
  readonly shown: number;
  readonly accepted: number;
  readonly partiallyAccepted: number;
  readonly acceptRate: number;
  readonly latencyP50Ms: number;
  readonly latencyP95Ms: number;
  readonly requests: number;
  readonly cacheHits: number;
  readonly errors: number;
}

export class CompletionStats {
  private shown = 0;
  private accepted = 0;
  private partial = 0;
  private requests = 0;
  private cacheHits = 0;
  private errors = 0;
  private readonly latencies: number[] = [];

  constructor(private readonly window = 1000) {}

  recordServed(latencyMs: number, fromModel: boolean): void {
    if (fromModel) this.requests++;
    else this.cacheHits++;
    this.latencies.push(latencyMs);
    if (this.latencies.length > this.window) this.latencies.shift();
  }

  recordShown(): void {
    this.shown++;
  }

  recordAccepted(): void {
    this.accepted++;
  }

  recordPartialAccept(): void {
    this.partial++;
  }

  recordError(): void {
    this.errors++;
  }

  snapshot(): CompletionStatsSnapshot {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return {
      shown: this.shown,
      accepted: this.accepted,
      partiallyAccepted: this.partial,
      acceptRate: this.shown === 0 ? 0 : this.accepted / this.shown,
      latencyP50Ms: percentileSorted(sorted, 0.5),
      latencyP95Ms: percentileSorted(sorted, 0.95),
      requests: this.requests,
      cacheHits: this.cacheHits,
      errors: this.errors,
    };
  }
}
