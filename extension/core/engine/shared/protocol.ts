/**
 * The typed RPC between an engine (host side) and its inference process, carried by the RPC
 * layer in `core/common/rpc`. Each side validates every message it receives: a malformed
 * message is a bug or a corrupted process, and is reported instead of being trusted.
 *
 * Methods: load, generate, tokenize, renderChat, info, clearCache. Events: `prompt` and
 * `tokens` for a running generate (tokens arrive in batches: the ones that became final
 * together), `log` lines for the host's logger. Cancellation is the RPC layer's `cancel`.
 */
import { arrayOf, bool, num, object, oneOf, optional, str, type Check } from '../../../base/schema';
import type { LogLevel } from '../../common/logger';
import type { RpcProtocol } from '../../common/rpc/protocol';
import { DTYPE_CHOICES, type DtypeChoice } from '../../models/onnxFiles';
import { ENGINE_ERROR_CODES } from './errors';
import type { ChatMessage, GenerateRequest, GenerateResult, ModelInfo, TokenEvent } from './generator';

/** A request as it crosses into the inference process: everything but the callback. */
export type GenerationParams = Omit<GenerateRequest, 'onToken'>;

export interface LoadOptions {
  readonly modelDir: string;
  readonly dtype: DtypeChoice;
  /** 0 = cores − 1 (min 1). */
  readonly threads: number;
  /** Busy-waiting pool threads; the default (shared/defaults) when absent. */
  readonly spinning?: boolean;
  readonly cacheDir?: string;
  readonly speculation: boolean;
  /** The runner's defaults when absent. */
  readonly prefixCacheEntries?: number;
  readonly prefixCacheBytes?: number;
}

export interface EngineMethods {
  load: { params: LoadOptions; result: ModelInfo };
  generate: { params: GenerationParams; result: GenerateResult };
  tokenize: { params: { readonly text: string }; result: number[] };
  renderChat: { params: { readonly messages: readonly ChatMessage[] }; result: string };
  info: { params: null; result: ModelInfo };
  clearCache: { params: null; result: null };
}

export interface EngineEvents {
  prompt: { readonly promptTokens: number; readonly cachedTokens: number };
  tokens: { readonly events: readonly TokenEvent[] };
  log: { readonly level: LogLevel; readonly message: string };
}

const int: Check = (v, p) => (typeof v === 'number' && Number.isInteger(v) ? undefined : `${p} must be an integer`);
const nonNegInt: Check = (v, p) => int(v, p) ?? ((v as number) >= 0 ? undefined : `${p} must be ≥ 0`);
/** A log probability: finite or -Infinity. */
const logprob: Check = (v, p) => (typeof v === 'number' && !Number.isNaN(v) && v !== Infinity ? undefined : `${p} must be a log probability`);
const none: Check = (v, p) => (v === null ? undefined : `${p} must be null`);

const loadOptions = object({
  modelDir: str,
  dtype: oneOf(...DTYPE_CHOICES),
  threads: nonNegInt,
  spinning: optional(bool),
  cacheDir: optional(str),
  speculation: bool,
  prefixCacheEntries: optional(nonNegInt),
  prefixCacheBytes: optional(nonNegInt),
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
  beams: optional(nonNegInt),
  promptCopy: optional(bool),
  copySources: optional(arrayOf(str, 8)),
  forcePrefix: optional(str),
});

const tokenEvent = object({
  text: str,
  tokenId: nonNegInt,
  logprob: optional(logprob),
  top: optional(arrayOf(object({ token: str, logprob }), 100)),
});

const modelInfo = object({
  id: str,
  contextLength: nonNegInt,
  vocabSize: nonNegInt,
  hasChatTemplate: bool,
  tokenHealing: optional(bool),
  fim: optional(object({ prefix: str, suffix: str, middle: str, fileSeparator: optional(str) })),
  weights: optional(object({ file: str, dtype: str, bytes: nonNegInt })),
});

const generateResult = object({
  text: str,
  tokens: arrayOf(tokenEvent, 1_000_000),
  finishReason: oneOf('stop', 'eos', 'length', 'time', 'abort'),
  promptTokens: nonNegInt,
  completionTokens: nonNegInt,
  cachedTokens: nonNegInt,
  timings: object({ ttftMs: num, totalMs: num, decodeTokensPerSecond: num, cpuMs: optional(num), decodeRunMs: optional(num), decodeCpuMs: optional(num) }),
  speculation: optional(object({ drafted: nonNegInt, accepted: nonNegInt })),
});

export const ENGINE_PROTOCOL: RpcProtocol<EngineMethods, EngineEvents> = {
  peer: 'the inference process',
  methods: {
    load: { params: loadOptions, result: modelInfo },
    generate: { params: generationParams, result: generateResult },
    tokenize: { params: object({ text: str }), result: arrayOf(nonNegInt, 10_000_000) },
    renderChat: { params: object({ messages: arrayOf(object({ role: oneOf('system', 'user', 'assistant'), content: str }), 10_000) }), result: str },
    info: { params: none, result: modelInfo },
    clearCache: { params: none, result: none },
  },
  events: {
    prompt: object({ promptTokens: nonNegInt, cachedTokens: nonNegInt }),
    tokens: object({ events: arrayOf(tokenEvent, 1_000_000) }),
    log: object({ level: oneOf('trace', 'debug', 'info', 'warn', 'error'), message: str }),
  },
  errorCodes: ENGINE_ERROR_CODES,
};

/** The request without its callback, with only defined fields (the process validates strictly). */
export function toGenerationParams(r: GenerateRequest): GenerationParams {
  const out: Record<string, unknown> = {};
  const keys = ['prompt', 'maxTokens', 'stop', 'maxTimeMs', 'logprobs', 'temperature', 'topP', 'topK', 'minP', 'repetitionPenalty', 'seed', 'prefixCache', 'speculative', 'beams', 'promptCopy', 'copySources', 'forcePrefix'] as const;
  for (const k of keys) if (r[k] !== undefined) out[k] = k === 'stop' ? [...(r.stop ?? [])] : r[k];
  return out as unknown as GenerationParams;
}

/** `value` without its undefined fields (structured clone would keep them as present-but-undefined). */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
