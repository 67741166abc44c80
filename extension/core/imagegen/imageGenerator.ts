/**
 * The image generator the editor uses: runs generations in a worker thread (the image model's
 * sessions live there), relays progress with PNG previews, cancels through an AbortSignal
 * (the worker stops at its next step boundary; the promise rejects at once), and terminates
 * the worker after an idle period so the model's memory returns to the OS. A crashed worker
 * fails its requests with `worker-failed`; the next request starts a new one.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { IDisposable } from '../common/lifecycle';
import type { Logger } from '../common/logger';
import { errorMessage } from '../../base/errorText';
import { ImageGenError } from './errors';
import type { ImageRequest } from './params';
import { parseImageWorkerMessage, type ImageHostMessage, type PngResult, type PreviewProgress } from './worker/protocol';

export interface ImageGeneratorOptions {
  readonly logger: Logger;
  /** Intra-op threads for the sessions; 0 = cores − 1. */
  readonly threads?: number;
  readonly cacheDir?: string;
  /** Terminate the idle worker after this long (0 = keep it). Default 10 minutes. */
  readonly idleUnloadMs?: number;
  /** Worker script; defaults to imagegen-worker.js next to this bundle (or worker/main.ts under tsx). */
  readonly workerPath?: string;
}

export interface GenerateOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: PreviewProgress) => void;
}

export interface ImageGenerator extends IDisposable {
  generate(modelDir: string, request: ImageRequest, options?: GenerateOptions): Promise<PngResult>;
}

interface Pending {
  resolve(value: PngResult): void;
  reject(err: Error): void;
  onProgress?: (progress: PreviewProgress) => void;
}

function defaultWorkerPath(): string {
  const bundled = join(__dirname, 'imagegen-worker.js');
  if (existsSync(bundled)) return bundled;
  const source = join(__dirname, 'worker', 'main.ts');
  if (existsSync(source)) return source;
  throw new ImageGenError('worker-failed', `cannot find the image worker script (looked for ${bundled})`);
}

function spawn(path: string): Worker {
  if (path.endsWith('.ts')) {
    // Unbundled runs (unit tests under tsx): worker threads do not inherit the loader.
    const tsxHook = 'tsx/cjs';
    return new Worker(`require(${JSON.stringify(require.resolve(tsxHook))});\nrequire(${JSON.stringify(path)});`, { eval: true });
  }
  return new Worker(path);
}

export function createImageGenerator(options: ImageGeneratorOptions): ImageGenerator {
  return new WorkerImageGenerator(options);
}

class WorkerImageGenerator implements ImageGenerator {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(private readonly options: ImageGeneratorOptions) {}

  generate(modelDir: string, request: ImageRequest, opts: GenerateOptions = {}): Promise<PngResult> {
    if (this.disposed) return Promise.reject(new ImageGenError('disposed', 'the image generator was disposed'));
    if (opts.signal?.aborted) return Promise.reject(new ImageGenError('aborted', 'image generation was cancelled'));
    const worker = this.live();
    const id = this.nextId++;
    const abort = new SharedArrayBuffer(4);
    const message: ImageHostMessage = {
      type: 'generate',
      id,
      load: { modelDir, threads: this.options.threads ?? 0, ...(this.options.cacheDir ? { cacheDir: this.options.cacheDir } : {}) },
      request,
      abort,
    };
    this.clearIdle();
    return new Promise<PngResult>((resolve, reject) => {
      const onAbort = () => {
        Atomics.store(new Int32Array(abort), 0, 1);
        if (this.pending.delete(id)) reject(new ImageGenError('aborted', 'image generation was cancelled'));
        this.scheduleIdle();
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => {
        opts.signal?.removeEventListener('abort', onAbort);
        this.scheduleIdle();
      };
      this.pending.set(id, {
        resolve: (v) => (done(), resolve(v)),
        reject: (e) => (done(), reject(e)),
        onProgress: opts.onProgress,
      });
      worker.postMessage(message);
    });
  }

  private live(): Worker {
    if (this.worker) return this.worker;
    const worker = spawn(this.options.workerPath ?? defaultWorkerPath());
    worker.on('message', (raw: unknown) => this.receive(raw));
    worker.on('error', (err) => this.crashed(worker, `the image worker crashed: ${errorMessage(err)}`));
    worker.on('exit', (code) => this.crashed(worker, `the image worker exited unexpectedly (exit code ${code})`));
    this.worker = worker;
    return worker;
  }

  private receive(raw: unknown): void {
    const msg = parseImageWorkerMessage(raw);
    const log = this.options.logger;
    if (typeof msg === 'string') {
      log.error(`rejected a malformed message from the image worker: ${msg}`);
      const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
      const p = typeof id === 'number' ? this.pending.get(id) : undefined;
      if (p && typeof id === 'number') {
        this.pending.delete(id);
        p.reject(new ImageGenError('worker-failed', `the image worker sent a malformed reply: ${msg}`));
      }
      return;
    }
    if (msg.type === 'log') {
      log[msg.level](msg.message);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return; // a cancelled request's late reply
    if (msg.type === 'progress') {
      p.onProgress?.(msg.progress);
      return;
    }
    this.pending.delete(msg.id);
    if (msg.type === 'result') p.resolve(msg.value);
    else p.reject(ImageGenError.fromInfo(msg.error));
  }

  private crashed(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    const n = this.pending.size;
    const error = new ImageGenError('worker-failed', `${reason}${n > 0 ? `; ${n} pending request(s) failed` : ''}. It restarts on the next request.`);
    if (!this.disposed) this.options.logger.error(error.message);
    this.failAll(error);
  }

  private failAll(error: ImageGenError): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(error);
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private scheduleIdle(): void {
    this.clearIdle();
    const ms = this.options.idleUnloadMs ?? 10 * 60_000;
    if (ms <= 0 || this.pending.size > 0 || !this.worker) return;
    this.idleTimer = setTimeout(() => this.unload(), ms);
    this.idleTimer.unref?.();
  }

  /** Terminates the worker (the model's memory goes back to the OS); the next request loads again. */
  unload(): void {
    this.clearIdle();
    const w = this.worker;
    this.worker = undefined;
    if (w) {
      this.failAll(new ImageGenError('disposed', 'the image model was unloaded while the request was pending'));
      void w.terminate();
    }
  }

  dispose(): void {
    this.disposed = true;
    this.unload();
  }
}
