/**
 * The typed RPC between an engine (host side) and its inference worker thread. Each side
 * validates every message it receives: a malformed message is a bug or a corrupted worker,
 * and is reported instead of being trusted.
 *
 * host → worker: requests with an id (load, generate, tokenize, renderChat, info, clearCache).
 * worker → host: exactly one `result` or `error` per request id; `prompt` and `token`
 * notifications for a running generate; `log` lines for the host's logger.
 */
import { arrayOf, bool, num, object, oneOf, optional, str, type Check } from '../../../base/schema';
import { ENGINE_ERROR_CODES, type EngineErrorInfo } from '../errors';
import type { ChatMessage, GenerateResult, ModelInfo, TokenEvent } from '../generator';
import type { LogLevel } from '../../common/logger';
import { DTYPE_CHOICES, type DtypeChoice } from '../modelFiles';
import type { GenerationParams } from '../runner';

export interface LoadOptions {
  readonly modelDir: string;
  readonly dtype: DtypeChoice;
  readonly threads: number;
  readonly cacheDir?: string;
  readonly speculation: boolean;
  readonly prefixCacheEntries: number;
  readonly prefixCacheBytes: number;
}

export type HostMessage =
  | { readonly type: 'load'; readonly id: number; readonly options: LoadOptions }
  /** `abort` is an Int32Array(1) over shared memory: the host stores 1 to cancel. */
  | { readonly type: 'generate'; readonly id: number; readonly params: GenerationParams; readonly abort: SharedArrayBuffer }
  | { readonly type: 'tokenize'; readonly id: number; readonly text: string }
  | { readonly type: 'renderChat'; readonly id: number; readonly messages: readonly ChatMessage[] }
  | { readonly type: 'info'; readonly id: number }
  | { readonly type: 'clearCache'; readonly id: number };

export type HostRequestType = HostMessage['type'];

export type WorkerMessage =
  | { readonly type: 'result'; readonly id: number; readonly value: unknown }
  | { readonly type: 'error'; readonly id: number; readonly error: EngineErrorInfo }
  | { readonly type: 'prompt'; readonly id: number; readonly promptTokens: number; readonly cachedTokens: number }
  | { readonly type: 'token'; readonly id: number; readonly event: TokenEvent }
  | { readonly type: 'log'; readonly level: LogLevel; readonly message: string };

const int: Check = (v, p) => (typeof v === 'number' && Number.isInteger(v) ? undefined : `${p} must be an integer`);
const nonNegInt: Check = (v, p) => int(v, p) ?? ((v as number) >= 0 ? undefined : `${p} must be ≥ 0`);
/** A log probability: finite or -Infinity. */
const logprob: Check = (v, p) => (typeof v === 'number' && !Number.isNaN(v) && v !== Infinity ? undefined : `${p} must be a log probability`);
const sharedFlag: Check = (v, p) => (v instanceof SharedArrayBuffer && v.byteLength >= 4 ? undefined : `${p} must be a SharedArrayBuffer of ≥ 4 bytes`);

const loadOptions = object({
  modelDir: str,
  dtype: oneOf(...DTYPE_CHOICES),
  threads: nonNegInt,
  cacheDir: optional(str),
  speculation: bool,
  prefixCacheEntries: nonNegInt,
  prefixCacheBytes: nonNegInt,
});

const generationParams = object({
  prompt: str,
  maxTokens: nonNegInt,
  stop: optional(arrayOf(str, 64)),
  maxTimeMs: optional(num),
  logprobs: optional(nonNegInt),
  temperature: optional(num),
  topP: optional(num),
  topK: optional(nonNegInt),
  minP: optional(num),
  repetitionPenalty: optional(num),
  seed: optional(int),
  prefixCache: optional(bool),
  speculative: optional(bool),
  forcePrefix: optional(str),
});

const chatMessage = object({ role: oneOf('system', 'user', 'assistant'), content: str });

const hostShapes: Record<HostRequestType, Check> = {
  load: object({ type: str, id: int, options: loadOptions }),
  generate: object({ type: str, id: int, params: generationParams, abort: sharedFlag }),
  tokenize: object({ type: str, id: int, text: str }),
  renderChat: object({ type: str, id: int, messages: arrayOf(chatMessage, 10_000) }),
  info: object({ type: str, id: int }),
  clearCache: object({ type: str, id: int }),
};

const tokenEvent = object({
  text: str,
  tokenId: nonNegInt,
  logprob: optional(logprob),
  top: optional(arrayOf(object({ token: str, logprob }), 100)),
});

const workerShapes: Record<WorkerMessage['type'], Check> = {
  result: object({ type: str, id: int, value: () => undefined }),
  error: object({ type: str, id: int, error: object({ code: oneOf(...ENGINE_ERROR_CODES), message: str, file: optional(str) }) }),
  prompt: object({ type: str, id: int, promptTokens: nonNegInt, cachedTokens: nonNegInt }),
  token: object({ type: str, id: int, event: tokenEvent }),
  log: object({ type: str, level: oneOf('trace', 'debug', 'info', 'warn', 'error'), message: str }),
};

function parseTyped<T>(raw: unknown, shapes: Record<string, Check>, what: string): T | string {
  if (typeof raw !== 'object' || raw === null) return `${what} is not an object`;
  const type = (raw as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.hasOwn(shapes, type)) return `${what} has unknown type ${JSON.stringify(type)}`;
  const err = shapes[type](raw, what);
  return err ?? (raw as T);
}

export function parseHostMessage(raw: unknown): HostMessage | string {
  return parseTyped<HostMessage>(raw, hostShapes, 'host message');
}

export function parseWorkerMessage(raw: unknown): WorkerMessage | string {
  return parseTyped<WorkerMessage>(raw, workerShapes, 'worker message');
}

/** Validators for `result` values, per request type. */
export const resultChecks: Record<HostRequestType, Check> = {
  load: object({
    id: str,
    contextLength: nonNegInt,
    vocabSize: nonNegInt,
    hasChatTemplate: bool,
    tokenHealing: optional(bool),
    fim: optional(object({ prefix: str, suffix: str, middle: str, fileSeparator: optional(str) })),
    weights: optional(object({ file: str, dtype: str, bytes: nonNegInt })),
  }),
  generate: object({
    text: str,
    tokens: arrayOf(tokenEvent, 1_000_000),
    finishReason: oneOf('stop', 'eos', 'length', 'time', 'abort'),
    promptTokens: nonNegInt,
    completionTokens: nonNegInt,
    cachedTokens: nonNegInt,
    timings: object({ ttftMs: num, totalMs: num, decodeTokensPerSecond: num }),
    speculation: optional(object({ drafted: nonNegInt, accepted: nonNegInt })),
  }),
  tokenize: arrayOf(nonNegInt, 10_000_000),
  renderChat: str,
  info: () => undefined,
  clearCache: (v, p) => (v === null ? undefined : `${p} must be null`),
};
resultChecks.info = resultChecks.load;

export type ResultOf<T extends HostRequestType> = T extends 'load' | 'info'
  ? ModelInfo
  : T extends 'generate'
    ? GenerateResult
    : T extends 'tokenize'
      ? number[]
      : T extends 'renderChat'
        ? string
        : null;
