/**
 * When to ask the model, and when not to. Between a keystroke and a model request sit, in
 * order: an exact LRU cache hit, "typed as suggested" (the user typed the start of the ghost
 * text: show the rest, no request), reuse of the in-flight request whose prefix the new one
 * extends, and an adaptive debounce. An answer a token or time limit cut short is only reused at
 * its own position: its rest is not the model's whole line. Model requests are owned here, not by the caller: when
 * VS Code cancels a call, the request lives on briefly so the next keystroke can reuse it.
 */
import type { Clock } from './clock';
import { LruCache } from './lruCache';

export interface CompletionKey {
  readonly languageId: string;
  readonly prefix: string;
  readonly suffix: string;
}

/** A model's answer at one position. */
export interface Fetched {
  readonly text: string;
  /**
   * The model was stopped by a token or time limit before it ended the answer: the text is all
   * there is at its own position, but a later position (the user typed its start) asks again
   * instead of showing the rest of a cut line.
   */
  readonly cut: boolean;
}

/**
 * Runs one model request. Calls `onFirst` with the completion so far once its first line is
 * final (or never, for a one-line answer), and resolves with the whole completion.
 */
export type Fetcher<K extends CompletionKey = CompletionKey> = (key: K, signal: AbortSignal, onFirst: (text: string) => void) => Promise<Fetched>;

export type OutcomeSource = 'cache' | 'typed-through' | 'inflight' | 'model';

export interface PolicyOutcome {
  readonly text: string;
  readonly source: OutcomeSource;
  /** From the call to the answer, debounce included. */
  readonly latencyMs: number;
}

export interface PolicyOptions<K extends CompletionKey = CompletionKey> {
  readonly cacheSize?: number;
  readonly minDebounceMs?: number;
  readonly maxDebounceMs?: number;
  /** How long an abandoned request keeps running, waiting for a caller to reuse it. */
  readonly keepAliveMs?: number;
  /** Called when a multi-line completion finished after its first line was shown. */
  readonly onBackgroundComplete?: (key: K, text: string) => void;
}

interface InFlight<K extends CompletionKey> {
  readonly key: K;
  readonly controller: AbortController;
  readonly first: Promise<string>;
  readonly full: Promise<Fetched>;
  waiters: number;
  /** `first` resolved early with the first line of a multi-line answer. */
  readonly firstShown: boolean;
  cancelKeepAlive?: () => void;
}

/** Characters after which a completion is very likely wanted: no need to wait for more typing. */
const TRIGGER = /[.([{,:=\n]\s*$|=>\s*$/;

const keyOf = (k: CompletionKey) => `${k.languageId}\u0000${k.prefix}\u0000${k.suffix}`;

/**
 * `K` may carry more than the cache key (e.g. the document snapshot the fetcher needs); only
 * languageId, prefix and suffix take part in caching and reuse.
 */
export class CompletionPolicy<K extends CompletionKey = CompletionKey> {
  private readonly cache: LruCache<string, { key: CompletionKey; text: string; cut: boolean }>;
  private inflight: InFlight<K> | undefined;
  private lastKeystroke: number | undefined;
  private keyIntervalMs = 150;
  private latencyMs = 100;
  private readonly min: number;
  private readonly max: number;
  private readonly keepAliveMs: number;

  constructor(private readonly fetch: Fetcher<K>, private readonly clock: Clock, private readonly options: PolicyOptions<K> = {}) {
    this.cache = new LruCache(options.cacheSize ?? 256);
    this.min = options.minDebounceMs ?? 10;
    this.max = options.maxDebounceMs ?? 250;
    this.keepAliveMs = options.keepAliveMs ?? 1500;
  }

  /** Feed every document change: typing speed drives the debounce. */
  noteKeystroke(): void {
    const now = this.clock.now();
    if (this.lastKeystroke !== undefined) {
      const gap = Math.min(now - this.lastKeystroke, 1000);
      this.keyIntervalMs = 0.7 * this.keyIntervalMs + 0.3 * gap;
    }
    this.lastKeystroke = now;
  }

  /**
   * The debounce before a new model request. None (the minimum) after a trigger character, or
   * when the model usually answers before the next key comes: then waiting only adds latency,
   * and a superseded request is cancelled cheaply. Only when the model is slower than the
   * typist does it wait, for most of a typing interval, to see whether another key follows.
   */
  debounceMs(key: CompletionKey): number {
    if (TRIGGER.test(key.prefix.slice(-8)) || this.latencyMs <= this.keyIntervalMs) return this.min;
    return Math.round(Math.min(this.max, Math.max(this.min, 0.75 * this.keyIntervalMs)));
  }

  /** Whether no model request is running (or kept alive for reuse). */
  get idle(): boolean {
    return this.inflight === undefined;
  }

  /** Forget cached answers (model or settings changed). */
  clear(): void {
    this.cache.clear();
    this.inflight?.controller.abort(new Error('completion cache cleared'));
    this.inflight = undefined;
  }

  /** Resolves with a completion, or undefined when cancelled or nothing fits. */
  async provide(key: K, signal: AbortSignal): Promise<PolicyOutcome | undefined> {
    const start = this.clock.now();
    const done = (text: string, source: OutcomeSource): PolicyOutcome => {
      const latencyMs = this.clock.now() - start;
      if (source === 'model' || source === 'inflight') this.latencyMs = 0.7 * this.latencyMs + 0.3 * latencyMs;
      return { text, source, latencyMs };
    };

    const hit = this.cache.get(keyOf(key));
    if (hit) return done(hit.text, 'cache');
    const through = this.typedThrough(key);
    if (through !== undefined) {
      this.remember(key, through, false);
      return done(through, 'typed-through');
    }

    const reusable = this.inflight && this.extends(key, this.inflight.key) ? this.inflight : undefined;
    if (reusable) {
      const text = await this.await(reusable, signal);
      if (text === undefined) return undefined;
      const rest = (await this.wasCut(reusable)) ? undefined : remainder(reusable.key, text, key);
      if (rest !== undefined) return done(rest, 'inflight');
      if (signal.aborted) return undefined;
    }

    try {
      await this.clock.sleep(this.debounceMs(key), signal);
    } catch {
      return undefined;
    }
    const job = this.start(key);
    const text = await this.await(job, signal);
    return text === undefined ? undefined : done(text, 'model');
  }

  private typedThrough(key: CompletionKey): string | undefined {
    let n = 0;
    for (const [, entry] of this.cache.entriesNewestFirst()) {
      if (++n > 32) break;
      if (entry.cut) continue;
      const rest = remainder(entry.key, entry.text, key);
      if (rest) return rest;
    }
    return undefined;
  }

  private extends(key: CompletionKey, base: CompletionKey): boolean {
    return key.languageId === base.languageId && key.suffix === base.suffix && key.prefix.startsWith(base.prefix);
  }

  private remember(key: CompletionKey, text: string, cut: boolean): void {
    if (text.length > 0) this.cache.set(keyOf(key), { key, text, cut });
  }

  /**
   * Whether the job's answer was cut by a limit. Its first line, once shown, is final (the
   * model went on past it), so only a job that has not shown one waits for the whole answer.
   */
  private async wasCut(job: InFlight<K>): Promise<boolean> {
    if (job.firstShown) return false;
    return (await job.full.catch(() => undefined))?.cut === true;
  }

  private start(key: K): InFlight<K> {
    if (this.inflight) {
      this.inflight.cancelKeepAlive?.();
      this.inflight.controller.abort(new Error('superseded by a newer request'));
    }
    const controller = new AbortController();
    let resolveFirst!: (t: string) => void;
    const first = new Promise<string>((r) => (resolveFirst = r));
    let firstShown = false;
    const full = this.fetch(key, controller.signal, (t) => {
      if (!firstShown) {
        firstShown = true;
        this.remember(key, t, false);
        resolveFirst(t);
      }
    });
    const job: InFlight<K> = {
      key,
      controller,
      first,
      full,
      waiters: 0,
      get firstShown() {
        return firstShown;
      },
    };
    full.then(
      ({ text, cut }) => {
        this.remember(key, text, cut);
        if (firstShown) {
          if (text.length > 0 && !controller.signal.aborted) this.options.onBackgroundComplete?.(key, text);
        } else resolveFirst(text);
        if (this.inflight === job) this.inflight = undefined;
      },
      () => {
        // Errors are never cached; the caller sees the failure through `full`.
        if (this.inflight === job) this.inflight = undefined;
      },
    );
    this.inflight = job;
    return job;
  }

  /** Waits for the job's first answer on behalf of one caller. */
  private async await(job: InFlight<K>, signal: AbortSignal): Promise<string | undefined> {
    job.waiters++;
    job.cancelKeepAlive?.();
    job.cancelKeepAlive = undefined;
    const aborted = new Promise<undefined>((resolve) => {
      if (signal.aborted) resolve(undefined);
      signal.addEventListener('abort', () => resolve(undefined), { once: true });
    });
    try {
      // `full` rejecting (model error) rejects here too, before `first` could resolve.
      return await Promise.race([job.first, job.full.then(() => job.first), aborted]);
    } finally {
      job.waiters--;
      if (job.waiters === 0 && this.inflight === job) {
        job.cancelKeepAlive = this.clock.schedule(() => {
          if (job.waiters === 0) job.controller.abort(new Error('no longer wanted'));
        }, this.keepAliveMs);
      }
    }
  }
}

/**
 * What is left of `text` (a completion at `base`) at the position of `key`, when the user has
 * typed its start: undefined when the typing diverged, '' when it was typed entirely.
 */
export function remainder(base: CompletionKey, text: string, key: CompletionKey): string | undefined {
  if (key.languageId !== base.languageId || key.suffix !== base.suffix) return undefined;
  if (!key.prefix.startsWith(base.prefix)) return undefined;
  const typed = key.prefix.slice(base.prefix.length);
  if (!text.startsWith(typed)) return undefined;
  return text.slice(typed.length);
}
