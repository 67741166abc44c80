/**
 * The image generator the editor uses: runs generations in a child process (the image model's
 * sessions live there, so a native crash or a kill never takes the extension host down),
 * relays progress with PNG previews, cancels through an AbortSignal (the process stops at its
 * next step boundary; the promise rejects at once), and closes the process after an idle
 * period so the model's memory returns to the OS — it finishes its step, releases the
 * sessions and exits by itself. A crashed process fails its requests with `worker-failed`;
 * the next request starts a new one.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { IDisposable } from '../common/lifecycle';
import type { Logger } from '../common/logger';
import { describeExit } from '../common/rpc/channel';
import { RpcClient } from '../common/rpc/client';
import { startProcess } from '../common/rpc/processChannel';
import { ImageGenError, type ImageGenErrorInfo } from './errors';
import type { ImageRequest } from './params';
import { IMAGE_PROTOCOL, type ImageEvents, type ImageMethods, type PngResult, type PreviewProgress } from './worker/protocol';

export interface ImageGeneratorOptions {
  readonly logger: Logger;
  /** Intra-op threads for the sessions; 0 = cores − 1. */
  readonly threads?: number;
  readonly cacheDir?: string;
  /** Close the idle process after this long (0 = keep it). Default 10 minutes. */
  readonly idleUnloadMs?: number;
  /** How long a closing process may take to finish its step and release the model before it is killed (default 5 s). */
  readonly closeGraceMs?: number;
  /** Process script; defaults to imagegen-worker.js next to this bundle (or worker/main.ts under tsx). */
  readonly workerPath?: string;
}

export interface GenerateOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: PreviewProgress) => void;
}

export interface ImageGenerator extends IDisposable {
  generate(modelDir: string, request: ImageRequest, options?: GenerateOptions): Promise<PngResult>;
}

function defaultWorkerPath(): string {
  const bundled = join(__dirname, 'imagegen-worker.js');
  if (existsSync(bundled)) return bundled;
  const source = join(__dirname, 'worker', 'main.ts');
  if (existsSync(source)) return source;
  throw new ImageGenError('worker-failed', `cannot find the image process script (looked for ${bundled})`);
}

export function createImageGenerator(options: ImageGeneratorOptions): ImageGenerator {
  return new ProcessImageGenerator(options);
}

type ImageClient = RpcClient<ImageMethods, ImageEvents>;

class ProcessImageGenerator implements ImageGenerator {
  private client: ImageClient | undefined;
  private active = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(private readonly options: ImageGeneratorOptions) {}

  generate(modelDir: string, request: ImageRequest, opts: GenerateOptions = {}): Promise<PngResult> {
    if (this.disposed) return Promise.reject(new ImageGenError('disposed', 'the image generator was disposed'));
    if (opts.signal?.aborted) return Promise.reject(new ImageGenError('aborted', 'image generation was cancelled'));
    const client = this.live();
    const load = { modelDir, threads: this.options.threads ?? 0, ...(this.options.cacheDir ? { cacheDir: this.options.cacheDir } : {}) };
    this.clearIdle();
    this.active++;
    const { id, result } = client.request('generate', { load, request }, (event) => {
      if (event.name === 'progress') opts.onProgress?.(event.data);
    });
    return new Promise<PngResult>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        opts.signal?.removeEventListener('abort', onAbort);
        this.active--;
        this.scheduleIdle();
        fn();
      };
      const onAbort = () => {
        client.cancel(id);
        settle(() => reject(new ImageGenError('aborted', 'image generation was cancelled')));
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      result.then(
        (value) => settle(() => resolve(value)),
        (err: unknown) => settle(() => reject(err)),
      );
    });
  }

  private live(): ImageClient {
    if (this.client?.alive) return this.client;
    const log = this.options.logger;
    const channel = startProcess({ path: this.options.workerPath ?? defaultWorkerPath() }, { onOutput: (line) => log.warn(`image process: ${line}`) });
    const client: ImageClient = new RpcClient(channel, IMAGE_PROTOCOL, {
      log,
      remoteError: (info) => ImageGenError.fromInfo(info as ImageGenErrorInfo),
      failure: (message) => new ImageGenError('worker-failed', message),
      crashNote: 'It restarts on the next request.',
      onEvent: (event) => {
        if (event.name === 'log') log[event.data.level](event.data.message);
      },
      onCrash: () => {
        if (this.client === client) this.client = undefined;
      },
    });
    this.client = client;
    return client;
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private scheduleIdle(): void {
    this.clearIdle();
    const ms = this.options.idleUnloadMs ?? 10 * 60_000;
    if (ms <= 0 || this.active > 0 || !this.client) return;
    this.idleTimer = setTimeout(() => this.unload(), ms);
    this.idleTimer.unref?.();
  }

  /**
   * Closes the process (the model's memory goes back to the OS): pending requests fail at
   * once; the process finishes its current step, releases the sessions and exits. The next
   * request loads again.
   */
  unload(): void {
    this.clearIdle();
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    const log = this.options.logger;
    const reason = new ImageGenError('disposed', 'the image model was unloaded while the request was pending');
    void client.close(reason, this.options.closeGraceMs ?? 5000).then((exit) => {
      if (exit.code === 0 && exit.signal === null) log.debug('the image process released the model and exited');
      else log.warn(`the image process ended with ${describeExit(exit)} after it was asked to close`);
    });
  }

  dispose(): void {
    this.disposed = true;
    this.unload();
  }
}
