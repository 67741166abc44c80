/**
 * Host side of one inference worker thread: sends validated requests, matches replies by id,
 * validates everything that comes back, and fails every pending request with a clear error
 * when the thread dies. A connection is single-use: after the thread exits it stays dead and
 * the engine creates a new one for the next request.
 */
import { Worker } from 'node:worker_threads';
import type { IDisposable } from '../../common/lifecycle';
import type { Logger } from '../../common/logger';
import { errorMessage } from '../../../base/errorText';
import { EngineError } from '../errors';
import type { TokenEvent } from '../generator';
import { parseWorkerMessage, resultChecks, type HostMessage, type HostRequestType, type ResultOf } from './protocol';

export interface WorkerEntry {
  /** Path of the worker script (dist/engine-worker.js, or the .ts entry under tsx). */
  readonly path: string;
  readonly execArgv?: readonly string[];
}

/** Distributes Omit over the union so each request keeps its own fields. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
export type HostRequest = WithoutId<HostMessage>;

export interface RequestHooks {
  onToken?(event: TokenEvent): void;
  onPrompt?(promptTokens: number, cachedTokens: number): void;
}

interface Pending extends RequestHooks {
  readonly type: HostRequestType;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

/**
 * Starts the worker thread. A TypeScript entry (unit tests, `tsx` runs) is loaded through tsx's
 * CommonJS hook from a small bootstrap, since worker threads do not inherit the parent's loader.
 */
function spawnWorker(entry: WorkerEntry): Worker {
  const execArgv = entry.execArgv ? [...entry.execArgv] : undefined;
  if (entry.path.endsWith('.ts')) {
    // A variable, not a literal: bundles never contain tsx (they start the .js worker).
    const tsxHook = 'tsx/cjs';
    const hook = require.resolve(tsxHook);
    return new Worker(`require(${JSON.stringify(hook)});\nrequire(${JSON.stringify(entry.path)});`, { eval: true, execArgv });
  }
  return new Worker(entry.path, { execArgv });
}

export class WorkerConnection implements IDisposable {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private exited = false;
  private disposing = false;

  constructor(
    entry: WorkerEntry,
    private readonly log: Logger,
    /** Called once if the thread dies without being disposed. */
    private readonly onCrash: (error: EngineError) => void,
  ) {
    this.worker = spawnWorker(entry);
    this.worker.on('message', (raw: unknown) => this.receive(raw));
    this.worker.on('messageerror', (err) => this.log.error('undeliverable message from the inference worker', err));
    this.worker.on('error', (err) => this.fail(`the inference worker crashed: ${errorMessage(err)}`));
    this.worker.on('exit', (code) => this.fail(`the inference worker exited unexpectedly (exit code ${code})`));
  }

  get alive(): boolean {
    return !this.exited;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  request<T extends HostRequestType>(message: Extract<HostRequest, { type: T }>, hooks: RequestHooks = {}): { id: number; result: Promise<ResultOf<T>> } {
    const id = this.nextId++;
    const result = new Promise<ResultOf<T>>((resolve, reject) => {
      if (this.exited) {
        reject(new EngineError('worker-failed', 'the inference worker is not running'));
        return;
      }
      this.pending.set(id, { type: message.type, resolve: resolve as (v: unknown) => void, reject, ...hooks });
      this.worker.postMessage({ ...message, id });
    });
    return { id, result };
  }

  /** Stops tracking a request whose caller has gone (cancelled); late replies are dropped. */
  forget(id: number): void {
    this.pending.delete(id);
  }

  /** Terminates the thread; pending requests fail with a 'disposed' error. */
  dispose(): void {
    if (this.exited) return;
    this.disposing = true;
    this.exited = true;
    this.rejectAll(new EngineError('disposed', 'the engine was unloaded while the request was pending'));
    void this.worker.terminate();
  }

  /** Terminates a thread that stopped answering; pending requests fail with `reason`. */
  kill(reason: string): void {
    if (this.exited) return;
    this.disposing = true;
    this.exited = true;
    const error = new EngineError('worker-failed', `${reason}. It restarts on the next request.`);
    this.log.error(error.message);
    this.rejectAll(error);
    void this.worker.terminate();
    this.onCrash(error);
  }

  private receive(raw: unknown): void {
    const msg = parseWorkerMessage(raw);
    if (typeof msg === 'string') {
      this.log.error(`rejected a malformed message from the inference worker: ${msg}`);
      const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
      const pending = typeof id === 'number' ? this.pending.get(id) : undefined;
      if (pending && typeof id === 'number') {
        this.pending.delete(id);
        pending.reject(new EngineError('worker-failed', `the inference worker sent a malformed reply: ${msg}`));
      }
      return;
    }
    if (msg.type === 'log') {
      this.log[msg.level](msg.message);
      return;
    }
    const pending = this.pending.get(msg.id);
    if (!pending) return; // a cancelled request's late reply
    switch (msg.type) {
      case 'token':
        pending.onToken?.(msg.event);
        return;
      case 'prompt':
        pending.onPrompt?.(msg.promptTokens, msg.cachedTokens);
        return;
      case 'error':
        this.pending.delete(msg.id);
        pending.reject(EngineError.fromInfo(msg.error));
        return;
      case 'result': {
        this.pending.delete(msg.id);
        const bad = resultChecks[pending.type](msg.value, `${pending.type} result`);
        if (bad) pending.reject(new EngineError('worker-failed', `the inference worker sent a malformed reply: ${bad}`));
        else pending.resolve(msg.value);
        return;
      }
    }
  }

  private fail(reason: string): void {
    if (this.exited && this.disposing) return;
    const first = !this.exited;
    this.exited = true;
    const n = this.pending.size;
    const error = new EngineError('worker-failed', `${reason}${n > 0 ? `; ${n} pending request(s) failed` : ''}. It restarts on the next request.`);
    this.rejectAll(error);
    if (first) {
      this.log.error(error.message);
      this.onCrash(error);
    }
  }

  private rejectAll(error: EngineError): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(error);
  }
}
