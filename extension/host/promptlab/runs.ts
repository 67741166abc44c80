/** Runs in flight for one Prompt Lab view, each stoppable by its id. */
import type { IDisposable } from '../../core/common/lifecycle';

export class RunRegistry implements IDisposable {
  private readonly active = new Map<string, AbortController>();

  /** Runs `work` with a signal that `stop(runId)` (or disposing the view) aborts. */
  async run<T>(runId: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.active.has(runId)) throw new Error(`run '${runId}' is already in progress`);
    const ac = new AbortController();
    this.active.set(runId, ac);
    try {
      return await work(ac.signal);
    } finally {
      this.active.delete(runId);
    }
  }

  stop(runId: string): boolean {
    const ac = this.active.get(runId);
    ac?.abort(new Error('stopped by the user'));
    return ac !== undefined;
  }

  dispose(): void {
    for (const ac of this.active.values()) ac.abort(new Error('the Prompt Lab view was closed'));
    this.active.clear();
  }
}
