/**
 * Local completion statistics (never sent anywhere): how many suggestions were shown,
 * accepted fully or in part, and how long they took. `toStored`/`fromStored` turn them into
 * plain JSON for keeping between sessions (see statsStore.ts).
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
  /** When counting started (ms since the epoch): the first use, or the last reset. */
  readonly since: number;
  /** Suggestions the confidence gate hid, by reason. */
  readonly hidden: Readonly<Record<string, number>>;
}

/** The stats as plain JSON; `v` is the format version. */
export interface StoredStats {
  readonly v: 1;
  readonly since: number;
  readonly shown: number;
  readonly accepted: number;
  readonly partiallyAccepted: number;
  readonly requests: number;
  readonly cacheHits: number;
  readonly errors: number;
  /** The most recent latencies (whole ms), oldest first. */
  readonly latencies: readonly number[];
  /** Suggestions the confidence gate hid, by reason (absent in stats stored before the gate). */
  readonly hidden?: Readonly<Record<string, number>>;
}

const COUNTS = ['shown', 'accepted', 'partiallyAccepted', 'requests', 'cacheHits', 'errors'] as const;

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isLatency = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

export class CompletionStats {
  private shown = 0;
  private accepted = 0;
  private partial = 0;
  private requests = 0;
  private cacheHits = 0;
  private errors = 0;
  private since: number;
  private readonly hidden = new Map<string, number>();
  private readonly latencies: number[] = [];

  /**
   * @param window how many recent latencies the percentiles are taken over
   * @param onChange called after every change (a store saves then)
   */
  constructor(
    private readonly window = 1000,
    private readonly onChange: () => void = () => undefined,
    now: () => number = Date.now,
  ) {
    this.since = now();
  }

  recordServed(latencyMs: number, fromModel: boolean): void {
    if (fromModel) this.requests++;
    else this.cacheHits++;
    this.latencies.push(latencyMs);
    if (this.latencies.length > this.window) this.latencies.shift();
    this.onChange();
  }

  recordShown(): void {
    this.shown++;
    this.onChange();
  }

  recordAccepted(): void {
    this.accepted++;
    this.onChange();
  }

  recordPartialAccept(): void {
    this.partial++;
    this.onChange();
  }

  recordError(): void {
    this.errors++;
    this.onChange();
  }

  /** Back to zero, counting from `since`. */
  reset(since: number = Date.now()): void {
    this.shown = this.accepted = this.partial = this.requests = this.cacheHits = this.errors = 0;
    this.latencies.length = 0;
    this.hidden.clear();
    this.since = since;
    this.onChange();
  }

  /** A suggestion the confidence gate hid, and why ('low-confidence', 'invented-name', …). */
  recordHidden(reason: string): void {
    this.hidden.set(reason, (this.hidden.get(reason) ?? 0) + 1);
    this.onChange();
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
      since: this.since,
      hidden: Object.fromEntries(this.hidden),
    };
  }

  /** Plain JSON of the counts and the latest `keepLatencies` latencies. */
  toStored(keepLatencies = 500): StoredStats {
    return {
      v: 1,
      since: this.since,
      shown: this.shown,
      accepted: this.accepted,
      partiallyAccepted: this.partial,
      requests: this.requests,
      cacheHits: this.cacheHits,
      errors: this.errors,
      latencies: this.latencies.slice(-Math.max(0, keepLatencies)).map((ms) => Math.round(ms)),
      hidden: Object.fromEntries(this.hidden),
    };
  }

  /**
   * Takes over stored stats (replacing what this object counted). Returns false, changing
   * nothing, when `value` is not stats of a known version (storage written by something else).
   */
  restore(value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    const v = value as Record<string, unknown>;
    if (v.v !== 1 || !isLatency(v.since) || !COUNTS.every((k) => isCount(v[k]))) return false;
    if (!Array.isArray(v.latencies) || !v.latencies.every(isLatency)) return false;
    const s = value as StoredStats;
    this.shown = s.shown;
    this.accepted = s.accepted;
    this.partial = s.partiallyAccepted;
    this.requests = s.requests;
    this.cacheHits = s.cacheHits;
    this.errors = s.errors;
    this.since = s.since;
    this.latencies.length = 0;
    this.latencies.push(...s.latencies.slice(-this.window));
    this.hidden.clear();
    const hidden = typeof v.hidden === 'object' && v.hidden !== null ? Object.entries(v.hidden as Record<string, unknown>) : [];
    for (const [reason, n] of hidden) if (isCount(n)) this.hidden.set(reason, n);
    return true;
  }
}
