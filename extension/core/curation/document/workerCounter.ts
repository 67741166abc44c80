/**
 * Client side of the token-counting worker: batches of texts in, counts out, every reply
 * checked before use. A TypeScript worker entry (tests, tsx runs) is started through tsx's
 * CommonJS hook, since worker threads do not inherit the parent's loader.
 */
import { Worker } from 'node:worker_threads';

/** Counts many texts at once, off the calling thread. */
export interface BatchTokenCounter {
  readonly name: string;
  countMany(texts: readonly string[]): Promise<number[]>;
  dispose(): void;
}

function startWorker(script: string, modelDir: string): Worker {
  if (script.endsWith('.ts')) {
    // A variable, not a literal: bundles never contain tsx (they start the .js worker).
    const hookName = 'tsx/cjs';
    const hook = require.resolve(hookName);
    return new Worker(`require(${JSON.stringify(hook)});\nrequire(${JSON.stringify(script)});`, { eval: true, workerData: { modelDir } });
  }
  return new Worker(script, { workerData: { modelDir } });
}

export class WorkerTokenCounter implements BatchTokenCounter {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(c: number[]): void; reject(e: Error): void; size: number }>();
  private nextId = 1;
  private failure: Error | undefined;

  constructor(script: string, modelDir: string, readonly name: string) {
    this.worker = startWorker(script, modelDir);
    this.worker.unref();
    this.worker.on('message', (m: unknown) => this.onReply(m));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`the token counting worker exited (code ${code})`)));
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private onReply(m: unknown): void {
    const msg = m as { id?: unknown; counts?: unknown; error?: unknown };
    const waiting = typeof msg?.id === 'number' ? this.pending.get(msg.id) : undefined;
    if (!waiting) return;
    this.pending.delete(msg.id as number);
    if (typeof msg.error === 'string') waiting.reject(new Error(msg.error));
    else if (Array.isArray(msg.counts) && msg.counts.length === waiting.size && msg.counts.every((c) => Number.isInteger(c) && c >= 0)) waiting.resolve(msg.counts as number[]);
    else waiting.reject(new Error('the token counting worker sent a malformed reply'));
  }

  countMany(texts: readonly string[]): Promise<number[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, size: texts.length });
      this.worker.postMessage({ id, texts });
    });
  }

  dispose(): void {
    this.fail(new Error('the token counter was disposed'));
    void this.worker.terminate();
  }
}
