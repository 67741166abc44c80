/**
 * Entry point of the image process (bundled as dist/imagegen-worker.js, started as a child
 * process by imageGenerator.ts). Owns the image model's onnxruntime sessions: their blocking
 * run() calls never touch the extension host's event loop, and a native crash ends only this
 * process. Requests run one at a time; a cancel or close arrives as a message between steps
 * and the pipeline stops at the next step boundary. On close the session is released and the
 * process exits by itself.
 */
import { createLogger, type LogLevel } from '../../common/logger';
import { currentPeer, serveRpc, type RequestContext } from '../../common/rpc/server';
import { errorMessage } from '../../../base/errorText';
import { ImageGenError } from '../errors';
import { generateImages } from '../pipeline';
import { encodePng, resultPng } from '../png';
import { SdModel } from '../sdModel';
import { IMAGE_PROTOCOL, type GenerateParams, type ImageEvents, type PngResult, type WorkerLoadOptions } from './protocol';

// Ctrl+C in a terminal reaches the whole process group: the host decides when this process ends.
process.on('SIGINT', () => undefined);

let model: { key: string; sd: SdModel } | undefined;
let queue: Promise<unknown> = Promise.resolve();

const server = serveRpc(
  currentPeer(),
  IMAGE_PROTOCOL,
  {
    generate: (params, context) => {
      const next = queue.then(() => generate(params, context));
      queue = next.catch(() => undefined);
      return next;
    },
  },
  {
    errorInfo: (err) => {
      if (err instanceof ImageGenError) return err.toInfo();
      log.error('unexpected failure', err);
      return { code: 'inference-failed', message: errorMessage(err) };
    },
    onClose: release,
    log: { error: (message) => log.error(message) },
  },
);

const log = createLogger({ log: (level: LogLevel, message: string) => server.emit('log', { level, message }) }, 'image-worker');

async function release(): Promise<void> {
  const current = model;
  model = undefined;
  if (current) await current.sd.dispose();
}

async function modelFor(load: WorkerLoadOptions): Promise<SdModel> {
  const key = JSON.stringify([load.modelDir, load.threads, load.cacheDir]);
  if (model?.key === key) return model.sd;
  await release();
  model = { key, sd: await SdModel.load(load, log) };
  return model.sd;
}

async function generate({ load, request }: GenerateParams, context: RequestContext<ImageEvents>): Promise<PngResult> {
  const sd = await modelFor(load);
  const result = await generateImages(sd, request, {
    isAborted: () => context.signal.aborted,
    onProgress: (p) => context.emit('progress', { step: p.step, steps: p.steps, previewPng: p.preview ? encodePng(p.preview) : undefined }),
  });
  return {
    images: result.images.map((img, k) => ({ seed: img.seed, width: img.width, height: img.height, png: resultPng(result, k) })),
    params: result.params,
    model: result.model,
    truncated: result.truncated,
    timings: result.timings,
  };
}
