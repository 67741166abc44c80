/**
 * Cooperative time slicing for long loops on a shared thread (the extension host): call
 * `tick()` often; it yields to the event loop once `budgetMs` of work has run, so other
 * messages (the webview's page requests, other extensions) are served in between.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';

export class Slicer {
  private last = performance.now();

  constructor(private readonly budgetMs = 12, private readonly signal?: AbortSignal) {}

  async tick(): Promise<void> {
    if (performance.now() - this.last < this.budgetMs) return;
    this.signal?.throwIfAborted();
    await yieldToLoop();
    this.last = performance.now();
  }
}
