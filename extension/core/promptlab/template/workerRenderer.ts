/**
 * Renders templates on a worker thread, so a prompt file cannot freeze the extension host.
 * Requests run one at a time. The worker applies RenderLimits itself; a watchdog also ends the
 * thread if a render outlives its time limit by a margin (a render stuck inside a library
 * call), answering with the same time-limit error, and the next request starts a fresh thread.
 */
import { Worker } from 'node:worker_threads';
import type { IDisposable } from '../../common/lifecycle';
import { PromptLabError } from '../errors';
import { DEFAULT_RENDER_LIMITS, limitReason, TemplateLimitError, type RenderLimits } from './limits';
import type { RenderRequest, TemplateRenderer } from './renderer';
import { isRenderReply, type RenderMessage, type RenderReply } from './worker/protocol';

export interface WorkerScript {
  /** dist/template-worker.js, or worker/main.ts under tsx (tests). */
  readonly path: string;
}

/** Extra time the watchdog allows beyond the worker's own time limit. */
const WATCHDOG_MARGIN_MS = 3_000;

function spawn(script: WorkerScript): Worker {
  if (!script.path.endsWith('.ts')) return new Worker(script.path);
  // Worker threads do not inherit tsx's loader: load it first (a variable: bundles never hold tsx).
  const tsx = 'tsx/cjs';
  return new Worker(`require(${JSON.stringify(require.resolve(tsx))});\nrequire(${JSON.stringify(script.path)});`, { eval: true });
}

export class WorkerRenderer implements IDisposable {
  private worker: Promise<Worker> | undefined;
  private readonly threads = new Map<Promise<Worker>, Worker>();
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private current: { id: number; settle: (reply: RenderReply | Error) => void } | undefined;
  private disposed = false;

  constructor(
    private readonly script: WorkerScript,
    private readonly limits: RenderLimits = DEFAULT_RENDER_LIMITS,
    private readonly watchdogMarginMs = WATCHDOG_MARGIN_MS,
  ) {}

  readonly render: TemplateRenderer = (request, signal) => {
    const run = this.queue.then(() => this.renderNow(request, signal));
    this.queue = run.catch(() => undefined);
    return run;
  };

  /** The thread, once it has loaded (it says so with a `ready` message). */
  private thread(): Promise<Worker> {
    if (this.worker) return this.worker;
    const worker = spawn(this.script);
    worker.unref();
    const ready = new Promise<Worker>((resolve, reject) => {
      const lost = (err: Error) => {
        reject(err);
        if (this.worker !== ready) return;
        this.worker = undefined;
        this.current?.settle(err);
      };
      worker.on('message', (m: unknown) => {
        if (typeof m === 'object' && m !== null && (m as { ready?: unknown }).ready === true) resolve(worker);
        else if (isRenderReply(m) && this.current?.id === m.id) this.current.settle(m);
      });
      worker.on('error', lost);
      worker.on('exit', (code) => lost(new Error(`the template worker stopped (exit code ${code})`)));
    });
    this.worker = ready;
    this.threads.set(ready, worker);
    return ready;
  }

  private stopThread(): void {
    const ready = this.worker;
    this.worker = undefined;
    if (!ready) return;
    void this.threads.get(ready)?.terminate();
    this.threads.delete(ready);
  }

  private async renderNow(request: RenderRequest, signal?: AbortSignal): Promise<string> {
    if (this.disposed) throw new Error('the template renderer was disposed');
    signal?.throwIfAborted();
    const worker = await this.thread();
    const id = this.nextId++;
    return new Promise<string>((resolve, reject) => {
      const done = () => {
        clearTimeout(watchdog);
        signal?.removeEventListener('abort', onAbort);
        this.current = undefined;
      };
      const onAbort = () => {
        done();
        reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      };
      const watchdog = setTimeout(() => {
        done();
        this.stopThread();
        reject(new TemplateLimitError('time', limitReason('time', this.limits), { file: request.origin.file, field: 'template' }));
      }, this.limits.timeMs + this.watchdogMarginMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.current = {
        id,
        settle: (reply) => {
          done();
          if (reply instanceof Error) reject(reply);
          else if ('text' in reply) resolve(reply.text);
          else {
            const { reason, location, limit } = reply.error;
            const where = location ?? { file: request.origin.file };
            reject(limit ? new TemplateLimitError(limit, reason, where) : new PromptLabError(reason, where));
          }
        },
      };
      const message: RenderMessage = { id, source: request.source, origin: request.origin, values: request.values, limits: this.limits };
      try {
        worker.postMessage(message);
      } catch (err) {
        // Values that cannot be copied to the thread (none come from JSON or YAML): report, do not hang.
        this.current?.settle(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  dispose(): void {
    this.disposed = true;
    this.current?.settle(new Error('the template renderer was disposed'));
    this.stopThread();
  }
}
