/**
 * The typed messages between the image generator (host side) and its worker thread. Both sides
 * validate what they receive. One request kind does the work: `generate` (the worker loads or
 * reuses the model folder it names); the worker answers with `progress` notifications and
 * exactly one `result` or `error`, and sends `log` lines for the host's logger.
 */
import { arrayOf, bool, num, object, oneOf, optional, str, type Check } from '../../../base/schema';
import { IMAGEGEN_ERROR_CODES, type ImageGenErrorInfo } from '../errors';
import type { ImageRequest } from '../params';
import type { ImageParams } from '../params';
import type { ImageTimings } from '../pipeline';
import { SCHEDULER_NAMES } from '../schedulerConfig';
import type { LogLevel } from '../../common/logger';

export interface WorkerLoadOptions {
  readonly modelDir: string;
  readonly threads: number;
  readonly cacheDir?: string;
}

export type ImageHostMessage = {
  readonly type: 'generate';
  readonly id: number;
  readonly load: WorkerLoadOptions;
  readonly request: ImageRequest;
  /** An Int32Array(1) over shared memory: the host stores 1 to cancel between steps. */
  readonly abort: SharedArrayBuffer;
};

export interface PngImage {
  readonly seed: number;
  readonly width: number;
  readonly height: number;
  /** The PNG file's bytes, parameters in its text chunks. */
  readonly png: Uint8Array;
}

export interface PngResult {
  readonly images: PngImage[];
  readonly params: ImageParams;
  readonly model: string;
  readonly truncated?: { readonly prompt?: string; readonly negativePrompt?: string };
  readonly timings: ImageTimings;
}

export interface PreviewProgress {
  readonly step: number;
  readonly steps: number;
  /** A PNG of image 0's current estimate, when the step had one. */
  readonly previewPng?: Uint8Array;
}

export type ImageWorkerMessage =
  | { readonly type: 'progress'; readonly id: number; readonly progress: PreviewProgress }
  | { readonly type: 'result'; readonly id: number; readonly value: PngResult }
  | { readonly type: 'error'; readonly id: number; readonly error: ImageGenErrorInfo }
  | { readonly type: 'log'; readonly level: LogLevel; readonly message: string };

const int: Check = (v, p) => (typeof v === 'number' && Number.isInteger(v) ? undefined : `${p} must be an integer`);
const bytes: Check = (v, p) => (v instanceof Uint8Array ? undefined : `${p} must be a Uint8Array`);
const sharedFlag: Check = (v, p) => (v instanceof SharedArrayBuffer && v.byteLength >= 4 ? undefined : `${p} must be a SharedArrayBuffer of ≥ 4 bytes`);

const request = object({
  prompt: str,
  negativePrompt: optional(str),
  steps: optional(num),
  guidance: optional(num),
  scheduler: optional(oneOf(...SCHEDULER_NAMES)),
  seed: optional(num),
  width: optional(num),
  height: optional(num),
  batch: optional(num),
  previews: optional(bool),
});

const hostShape = object({
  type: oneOf('generate'),
  id: int,
  load: object({ modelDir: str, threads: int, cacheDir: optional(str) }),
  request,
  abort: sharedFlag,
});

const params = object({
  prompt: str,
  negativePrompt: str,
  steps: int,
  guidance: num,
  scheduler: oneOf(...SCHEDULER_NAMES),
  seed: int,
  width: int,
  height: int,
  batch: int,
});

const timings = object({
  totalMs: num,
  stepsMs: num,
  msPerStep: num,
  textMs: num,
  unetMs: num,
  unetCalls: int,
  decoderMs: num,
  previewMs: num,
  runMs: num,
  overheadMs: num,
});

const pngResult = object({
  images: arrayOf(object({ seed: int, width: int, height: int, png: bytes }), 64),
  params,
  model: str,
  truncated: optional(object({ prompt: optional(str), negativePrompt: optional(str) })),
  timings,
});

const workerShapes: Record<ImageWorkerMessage['type'], Check> = {
  progress: object({ type: str, id: int, progress: object({ step: int, steps: int, previewPng: optional(bytes) }) }),
  result: object({ type: str, id: int, value: pngResult }),
  error: object({ type: str, id: int, error: object({ code: oneOf(...IMAGEGEN_ERROR_CODES), message: str, subject: optional(str) }) }),
  log: object({ type: str, level: oneOf('trace', 'debug', 'info', 'warn', 'error'), message: str }),
};

export function parseImageHostMessage(raw: unknown): ImageHostMessage | string {
  return hostShape(raw, 'image host message') ?? (raw as ImageHostMessage);
}

export function parseImageWorkerMessage(raw: unknown): ImageWorkerMessage | string {
  if (typeof raw !== 'object' || raw === null) return 'image worker message is not an object';
  const type = (raw as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.hasOwn(workerShapes, type)) return `image worker message has unknown type ${JSON.stringify(type)}`;
  return workerShapes[type as ImageWorkerMessage['type']](raw, 'image worker message') ?? (raw as ImageWorkerMessage);
}
