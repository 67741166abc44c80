/**
 * Entry point of the image worker thread (bundled as dist/imagegen-worker.js). Owns the image
 * model's onnxruntime sessions, so their blocking run() calls never touch the extension host's
 * event loop. Requests run one at a time; cancellation is read from shared memory between steps.
 */
import { parentPort } from 'node:worker_threads';
import { createLogger, type LogLevel } from '../../common/logger';
import { errorMessage } from '../../../base/errorText';
import { ImageGenError } from '../errors';
import { generateImages } from '../pipeline';
import { encodePng, resultPng } from '../png';
import { SdModel } from '../sdModel';
import { parseImageHostMessage, type ImageHostMessage, type ImageWorkerMessage, type PngResult, type WorkerLoadOptions } from './protocol';

const port = parentPort;
if (!port) throw new Error('the image worker must run in a worker thread');

function post(message: ImageWorkerMessage): void {
  port!.postMessage(message);
}

const log = createLogger({ log: (level: LogLevel, message: string) => post({ type: 'log', level, message }) }, 'image-worker');

let model: { key: string; sd: SdModel } | undefined;
let queue: Promise<void> = Promise.resolve();

async function modelFor(load: WorkerLoadOptions): Promise<SdModel> {
  const key = JSON.stringify([load.modelDir, load.threads, load.cacheDir]);
  if (model?.key === key) return model.sd;
  if (model) await model.sd.dispose();
  model = undefined;
  model = { key, sd: await SdModel.load(load, log) };
  return model.sd;
}

async function generate(msg: ImageHostMessage): Promise<PngResult> {
  const flag = new Int32Array(msg.abort);
  const sd = await modelFor(msg.load);
  const result = await generateImages(sd, msg.request, {
    isAborted: () => Atomics.load(flag, 0) !== 0,
    onProgress: (p) => post({ type: 'progress', id: msg.id, progress: { step: p.step, steps: p.steps, previewPng: p.preview ? encodePng(p.preview) : undefined } }),
  });
  return {
    images: result.images.map((img, k) => ({ seed: img.seed, width: img.width, height: img.height, png: resultPng(result, k) })),
    params: result.params,
    model: result.model,
    truncated: result.truncated,
    timings: result.timings,
  };
}

port.on('message', (raw: unknown) => {
  const msg = parseImageHostMessage(raw);
  if (typeof msg === 'string') {
    log.error(`rejected a malformed message: ${msg}`);
    const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
    if (typeof id === 'number' && Number.isInteger(id)) post({ type: 'error', id, error: { code: 'worker-failed', message: msg } });
    return;
  }
  queue = queue.then(() =>
    generate(msg).then(
      (value) => post({ type: 'result', id: msg.id, value }),
      (err: unknown) => {
        if (!(err instanceof ImageGenError)) log.error('unexpected failure', err);
        const error = err instanceof ImageGenError ? err.toInfo() : { code: 'inference-failed' as const, message: errorMessage(err) };
        post({ type: 'error', id: msg.id, error });
      },
    ),
  );
});
