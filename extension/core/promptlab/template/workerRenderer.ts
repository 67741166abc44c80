/**
 * Renders templates on a worker thread (through the RPC layer in `core/common/rpc`), so a
 * prompt file cannot freeze the extension host. Requests run one at a time. The worker applies
 * RenderLimits itself; a watchdog also ends the thread if a render outlives its time limit by a
 * margin (a render stuck inside a library call — pure JavaScript, so ending the thread is
 * safe), answering with the same time-limit error, and the next request starts a fresh thread.
 */
import type { IDisposable } from '../../common/lifecycle';
import type { ScriptEntry } from '../../common/rpc/channel';
import { RpcClient } from '../../common/rpc/client';
import { startThread } from '../../common/rpc/threadChannel';
import { PromptLabError } from '../errors';
import { DEFAULT_RENDER_LIMITS, limitReason, TemplateLimitError, type RenderLimits } from './limits';
import type { RenderRequest, TemplateRenderer } from './renderer';
import { TEMPLATE_PROTOCOL, type TemplateEvents, type TemplateMethods } from './worker/protocol';

/** dist/template-worker.js, or worker/main.ts under tsx (tests). */
export type WorkerScript = ScriptEntry;

/** Extra time the watchdog allows beyond the worker's own time limit. */
const WATCHDOG_MARGIN_MS = 3_000;

type TemplateClient = RpcClient<TemplateMethods, TemplateEvents>;

export class WorkerRenderer implements IDisposable {
  private thread: { client: TemplateClient; ready: Promise<TemplateClient> } | undefined;
  private queue: Promise<unknown> = Promise.resolve();
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

  /** The thread's client, once the thread has loaded (it says so with a `ready` event). */
  private start(): Promise<TemplateClient> {
    if (this.thread?.client.alive) return this.thread.ready;
    let loaded: (client: TemplateClient) => void = () => undefined;
    let lost: (err: Error) => void = () => undefined;
    const ready = new Promise<TemplateClient>((resolve, reject) => {
      loaded = resolve;
      lost = reject;
    });
    const client: TemplateClient = new RpcClient(startThread(this.script, { unref: true }), TEMPLATE_PROTOCOL, {
      remoteError: (info) => new Error(info.message),
      failure: (message) => new Error(message),
      onEvent: (event) => {
        if (event.name === 'ready') loaded(client);
      },
      onCrash: lost,
    });
    this.thread = { client, ready };
    return ready;
  }

  private async renderNow(request: RenderRequest, signal?: AbortSignal): Promise<string> {
    if (this.disposed) throw new Error('the template renderer was disposed');
    signal?.throwIfAborted();
    const client = await this.start();
    return new Promise<string>((resolve, reject) => {
      const { id, result } = client.request('render', { source: request.source, origin: request.origin, values: request.values, limits: this.limits });
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(watchdog);
        signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const onAbort = () => {
        client.cancel(id);
        settle(() => reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted')));
      };
      const watchdog = setTimeout(() => {
        settle(() => reject(new TemplateLimitError('time', limitReason('time', this.limits), { file: request.origin.file, field: 'template' })));
        client.kill('the template worker outlived its time limit');
      }, this.limits.timeMs + this.watchdogMarginMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      result.then(
        (outcome) =>
          settle(() => {
            if ('text' in outcome) return resolve(outcome.text);
            const { reason, location, limit } = outcome.error;
            const where = location ?? { file: request.origin.file };
            reject(limit ? new TemplateLimitError(limit, reason, where) : new PromptLabError(reason, where));
          }),
        (err: unknown) => settle(() => reject(err)),
      );
    });
  }

  dispose(): void {
    this.disposed = true;
    // Pure JavaScript: a thread that does not end at once (a render stuck in a loop) is terminated.
    void this.thread?.client.close(new Error('the template renderer was disposed'), 500);
    this.thread = undefined;
  }
}
