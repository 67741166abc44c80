/**
 * `createEngine`: the local model as a TextGenerator, used by the extension host, the CLI,
 * `lathe serve` and the Prompt Lab alike. The model lives in a child process (worker/, started
 * by runtime.ts); this object manages that process's life: load on first use, report state,
 * restart after a crash, unload after an idle period, and turn AbortSignals into immediate
 * results. Unloading never kills the process inside a model step: it asks it to stop, waits
 * for the step to return and the session to be released, and kills it only after a grace time.
 */
import type { IDisposable } from '../../common/lifecycle';
import { toDisposable } from '../../common/lifecycle';
import type { Logger } from '../../common/logger';
import type { ScriptEntry } from '../../common/rpc/channel';
import { describeExit } from '../../common/rpc/channel';
import { EngineError } from '../shared/errors';
import type { ChatMessage, GenerateRequest, GenerateResult, ModelInfo, TextGenerator, TokenEvent } from '../shared/generator';
import type { DtypeChoice } from '../../models/onnxFiles';
import { toGenerationParams, withoutUndefined } from '../shared/protocol';
import { defaultRuntimeEntry, startRuntime, type RuntimeClient } from './runtime';
import { errorMessage } from '../../../base/errorText';
import type { ModelStateOf } from '../../../base/modelState';

export type EngineState = ModelStateOf<{ ready: { readonly info: ModelInfo }; error: { readonly message: string } }>;

export interface EngineOptions {
  /** Model folder in the engine-contract layout. */
  readonly modelDir: string;
  readonly dtype?: DtypeChoice;
  /** Intra-op threads; 0 or undefined = cores − 1 (min 1). */
  readonly threads?: number;
  /** onnxruntime's pool threads busy-wait between ops; undefined = the default (off, see shared/defaults). */
  readonly spinning?: boolean;
  /** Unload the model after this long without requests; 0 or undefined keeps it loaded. */
  readonly idleUnloadMs?: number;
  readonly logger: Logger;
  /** Where optimized ONNX graphs are cached between sessions; none when undefined. */
  readonly cacheDir?: string;
  /** Prompt-lookup speculation for greedy requests (default true). */
  readonly speculation?: boolean;
  readonly prefixCacheEntries?: number;
  readonly prefixCacheBytes?: number;
  /**
   * A request with `maxTimeMs` whose inference process has not answered this long after its
   * deadline is treated as hung: the process is killed and the request fails (default 30 s;
   * the deadline is checked between steps, so one long step may legitimately overrun it).
   */
  readonly watchdogGraceMs?: number;
  /**
   * How long an unloading inference process may take to finish its current model step and
   * release the model before it is killed (default 5 s).
   */
  readonly closeGraceMs?: number;
  /** Inference process script; defaults to engine-worker.js next to this bundle (or worker/main.ts under tsx). */
  readonly workerPath?: string;
  readonly workerExecArgv?: readonly string[];
}

export interface Engine extends TextGenerator, IDisposable {
  readonly state: EngineState;
  onStateChange(listener: (state: EngineState) => void): IDisposable;
  /** Frees the model and its process; the next request loads it again. */
  unload(): void;
  /** Drops the prefix KV cache. */
  clearCache(signal?: AbortSignal): Promise<void>;
}

export function createEngine(options: EngineOptions): Engine {
  return new ProcessEngine(options);
}

class ProcessEngine implements Engine {
  private connection: RuntimeClient | undefined;
  private loading: Promise<ModelInfo> | undefined;
  private current: EngineState = { kind: 'unloaded' };
  private readonly listeners = new Set<(state: EngineState) => void>();
  private active = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  private readonly log: Logger;

  constructor(private readonly options: EngineOptions) {
    this.log = options.logger;
  }

  get state(): EngineState {
    return this.current;
  }

  onStateChange(listener: (state: EngineState) => void): IDisposable {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  }

  info(signal?: AbortSignal): Promise<ModelInfo> {
    return this.track(signal, () => this.ensureLoaded());
  }

  tokenize(text: string, signal?: AbortSignal): Promise<number[]> {
    return this.track(signal, async () => {
      await this.ensureLoaded();
      return this.live().request('tokenize', { text }).result;
    });
  }

  renderChat(messages: readonly ChatMessage[], signal?: AbortSignal): Promise<string> {
    return this.track(signal, async () => {
      await this.ensureLoaded();
      return this.live().request('renderChat', { messages: messages.map((m) => ({ role: m.role, content: m.content })) }).result;
    });
  }

  clearCache(signal?: AbortSignal): Promise<void> {
    return this.track(signal, async () => {
      if (!this.connection?.alive) return;
      await this.ensureLoaded();
      await this.live().request('clearCache', null).result;
    });
  }

  generate(request: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> {
    const started = performance.now();
    const events: TokenEvent[] = [];
    let promptTokens = 0;
    let cachedTokens = 0;
    let firstTokenAt: number | undefined;
    const partial = (): GenerateResult => {
      const now = performance.now();
      return {
        text: events.map((e) => e.text).join(''),
        tokens: events.slice(),
        finishReason: 'abort',
        promptTokens,
        completionTokens: events.length,
        cachedTokens,
        timings: {
          ttftMs: (firstTokenAt ?? now) - started,
          totalMs: now - started,
          decodeTokensPerSecond: firstTokenAt !== undefined && events.length > 1 ? ((events.length - 1) * 1000) / (now - firstTokenAt) : 0,
        },
      };
    };
    if (signal?.aborted) return Promise.resolve(partial());

    this.begin();
    return new Promise<GenerateResult>((resolve, reject) => {
      let settled = false;
      let cancel: (() => void) | undefined;
      let watchdog: NodeJS.Timeout | undefined;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        if (watchdog) clearTimeout(watchdog);
        signal?.removeEventListener('abort', onAbort);
        this.end();
        fn();
      };
      const onAbort = () => {
        cancel?.();
        settle(() => resolve(partial()));
      };
      signal?.addEventListener('abort', onAbort, { once: true });

      this.ensureLoaded()
        .then(() => {
          if (settled) return;
          const connection = this.live();
          const { id, result } = connection.request('generate', toGenerationParams(request), (event) => {
            if (event.name === 'prompt') {
              promptTokens = event.data.promptTokens;
              cachedTokens = event.data.cachedTokens;
            } else if (event.name === 'tokens') {
              firstTokenAt ??= performance.now();
              for (const token of event.data.events) {
                events.push(token);
                try {
                  request.onToken?.(token);
                } catch (err) {
                  this.log.error('onToken callback threw', err);
                }
              }
            }
          });
          // The process stops at its next step boundary; this promise resolves now.
          cancel = () => connection.cancel(id);
          if (request.maxTimeMs !== undefined) {
            const limit = request.maxTimeMs + (this.options.watchdogGraceMs ?? 30_000);
            watchdog = setTimeout(() => connection.kill(`the inference process did not answer within ${Math.round(limit)} ms of a time-limited request`), limit);
          }
          result.then(
            (value) => settle(() => resolve(value)),
            (err: unknown) => settle(() => reject(err)),
          );
        })
        .catch((err: unknown) => settle(() => reject(err)));
    });
  }

  unload(): void {
    this.clearIdleTimer();
    const connection = this.connection;
    this.connection = undefined;
    this.loading = undefined;
    if (connection) {
      this.close(connection);
      this.log.info('model unloaded');
    }
    if (!this.disposed) this.setState({ kind: 'unloaded' });
  }

  dispose(): void {
    if (this.disposed) return;
    this.unload();
    this.disposed = true;
    this.listeners.clear();
  }

  /** Runs non-generate work with activity tracking and abort support. */
  private async track<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    signal?.throwIfAborted();
    this.begin();
    try {
      if (!signal) return await work();
      return await new Promise<T>((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        work().then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      });
    } finally {
      this.end();
    }
  }

  private ensureLoaded(): Promise<ModelInfo> {
    if (this.disposed) return Promise.reject(new EngineError('disposed', 'the engine has been disposed'));
    if (this.loading && this.connection?.alive) return this.loading;
    if (this.connection) this.close(this.connection);
    const entry: ScriptEntry = this.options.workerPath ? { path: this.options.workerPath, execArgv: this.options.workerExecArgv } : defaultRuntimeEntry();
    const connection = startRuntime(entry, this.log, (error) => {
      if (this.connection !== connection) return;
      this.connection = undefined;
      this.loading = undefined;
      this.setState({ kind: 'error', message: error.message });
    });
    this.connection = connection;
    this.setState({ kind: 'loading' });
    const o = this.options;
    const loading = connection.request(
      'load',
      withoutUndefined({
        modelDir: o.modelDir,
        dtype: o.dtype ?? 'auto',
        threads: o.threads ?? 0,
        spinning: o.spinning,
        cacheDir: o.cacheDir,
        speculation: o.speculation ?? true,
        prefixCacheEntries: o.prefixCacheEntries,
        prefixCacheBytes: o.prefixCacheBytes,
      }),
    ).result;
    this.loading = loading.then(
      (info) => {
        if (this.connection === connection) this.setState({ kind: 'ready', info });
        return info;
      },
      (err: unknown) => {
        if (this.connection === connection) {
          // A model that fails to load leaves no process behind; the next request tries again.
          this.connection = undefined;
          this.loading = undefined;
          this.close(connection);
          this.setState({ kind: 'error', message: errorMessage(err) });
        }
        throw err;
      },
    );
    return this.loading;
  }

  private live(): RuntimeClient {
    if (!this.connection?.alive) throw new EngineError('worker-failed', 'the inference process stopped before the request was sent');
    return this.connection;
  }

  /** Asks a process to finish its current step, release the model and exit; kills it after the grace time. */
  private close(connection: RuntimeClient): void {
    const grace = this.options.closeGraceMs ?? 5000;
    void connection.close(new EngineError('disposed', 'the engine was unloaded while the request was pending'), grace).then((exit) => {
      const clean = exit.code === 0 && exit.signal === null;
      if (clean) this.log.debug('the inference process released the model and exited');
      else this.log.warn(`the inference process ended with ${describeExit(exit)} after it was asked to close`);
    });
  }

  private begin(): void {
    this.active++;
    this.clearIdleTimer();
  }

  private end(): void {
    this.active--;
    const ms = this.options.idleUnloadMs ?? 0;
    if (this.active === 0 && ms > 0 && this.connection) {
      this.idleTimer = setTimeout(() => {
        if (this.active === 0) {
          this.log.info(`unloading the model after ${ms} ms idle`);
          this.unload();
        }
      }, ms);
      this.idleTimer.unref();
    }
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private setState(state: EngineState): void {
    this.current = state;
    for (const listener of [...this.listeners]) {
      try {
        listener(state);
      } catch (err) {
        this.log.error('engine state listener threw', err);
      }
    }
  }
}
