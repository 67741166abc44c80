/**
 * The typed RPC between the image generator (host side) and its image process, carried by the
 * RPC layer in `core/common/rpc`; both sides validate what they receive. One method does the
 * work: `generate` (the process loads or reuses the model folder it names); it sends `progress`
 * events while it runs, and `log` lines for the host's logger. Cancellation is the RPC layer's.
 */
import { arrayOf, bool, num, object, oneOf, optional, str, type Check } from '../../../base/schema';
import type { RpcProtocol } from '../../common/rpc/protocol';
import { IMAGEGEN_ERROR_CODES } from '../errors';
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

export interface GenerateParams {
  readonly load: WorkerLoadOptions;
  readonly request: ImageRequest;
}

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

export interface ImageMethods {
  generate: { params: GenerateParams; result: PngResult };
}

export interface ImageEvents {
  progress: PreviewProgress;
  log: { readonly level: LogLevel; readonly message: string };
}

const int: Check = (v, p) => (typeof v === 'number' && Number.isInteger(v) ? undefined : `${p} must be an integer`);
const bytes: Check = (v, p) => (v instanceof Uint8Array ? undefined : `${p} must be a Uint8Array`);

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

const generateParams = object({
  load: object({ modelDir: str, threads: int, cacheDir: optional(str) }),
  request,
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

export const IMAGE_PROTOCOL: RpcProtocol<ImageMethods, ImageEvents> = {
  peer: 'the image process',
  methods: { generate: { params: generateParams, result: pngResult } },
  events: {
    progress: object({ step: int, steps: int, previewPng: optional(bytes) }),
    log: object({ level: oneOf('trace', 'debug', 'info', 'warn', 'error'), message: str }),
  },
  errorCodes: IMAGEGEN_ERROR_CODES,
  invalidRequestCode: 'invalid-parameter',
};
