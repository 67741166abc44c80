/**
 * Completion stats that outlive the window: loaded from a key-value storage when created
 * (the extension passes VS Code's per-workspace `workspaceState`), saved shortly after each
 * change and once more when disposed. The storage stays on this machine, like the stats.
 */
import type { IDisposable } from '../common/lifecycle';
import type { Clock } from './clock';
import { CompletionStats } from './stats';

/** The part of a VS Code Memento the store uses. */
export interface StatsStorage {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface StatsStoreOptions {
  /** The storage key (default `lathe.completionStats`). */
  readonly key?: string;
  /** Changes within this time are saved together (default 1 s). */
  readonly saveDelayMs?: number;
  /** How many recent latencies are kept in storage (default 500). */
  readonly keepLatencies?: number;
  /** Wall-clock time for `since` (default Date.now). */
  readonly now?: () => number;
  /** Told when stored stats could not be read or a save failed. */
  readonly onProblem?: (message: string, err?: unknown) => void;
}

export const STATS_STORAGE_KEY = 'lathe.completionStats';

export class StatsStore implements IDisposable {
  readonly stats: CompletionStats;
  private readonly key: string;
  private cancelSave: (() => void) | undefined;
  private saving: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(private readonly storage: StatsStorage, private readonly clock: Clock, private readonly options: StatsStoreOptions = {}) {
    this.key = options.key ?? STATS_STORAGE_KEY;
    this.stats = new CompletionStats(1000, () => this.changed(), options.now);
    const stored = storage.get(this.key);
    if (stored !== undefined && !this.stats.restore(stored)) {
      options.onProblem?.('the stored completion stats are not readable; counting starts from zero');
    }
  }

  /** Zeroes the stats and saves that at once. */
  reset(): Promise<void> {
    this.stats.reset((this.options.now ?? Date.now)());
    return this.flush();
  }

  /** Saves now (what is pending); resolves when the storage has it. */
  flush(): Promise<void> {
    this.cancelSave?.();
    this.cancelSave = undefined;
    const value = this.stats.toStored(this.options.keepLatencies);
    // One write at a time, in order: a late first write must not overwrite a newer one.
    this.saving = this.saving.then(() =>
      Promise.resolve(this.storage.update(this.key, value)).catch((err: unknown) => this.options.onProblem?.('saving the completion stats failed', err)),
    );
    return this.saving;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.cancelSave) void this.flush();
  }

  private changed(): void {
    if (this.disposed || this.cancelSave) return;
    this.cancelSave = this.clock.schedule(() => {
      this.cancelSave = undefined;
      void this.flush();
    }, this.options.saveDelayMs ?? 1000);
  }
}
