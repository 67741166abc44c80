/**
 * The OpenAI-compatible request bodies `lathe serve` accepts, validated field by field: an
 * invalid request gets a 400 naming the parameter, never a crash.
 */
import type { ChatMessage, SamplingParams } from '../engine/shared/generator';

export class InvalidRequest extends Error {
  constructor(message: string, readonly param?: string) {
    super(message);
    this.name = 'InvalidRequest';
  }
}

export interface CommonParams extends SamplingParams {
  readonly maxTokens: number;
  readonly stop: string[];
  readonly stream: boolean;
  readonly logprobs?: number;
}

export interface CompletionBody extends CommonParams {
  readonly prompt: string;
  /** Fill-in-the-middle: text after the insertion point. */
  readonly suffix?: string;
}

export interface ChatBody extends CommonParams {
  readonly messages: ChatMessage[];
}

type Json = Record<string, unknown>;

function num(body: Json, key: string, min: number, max: number): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw new InvalidRequest(`'${key}' must be a number in [${min}, ${max}]`, key);
  return v;
}

function int(body: Json, key: string, min: number, max: number): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new InvalidRequest(`'${key}' must be an integer in [${min}, ${max}]`, key);
  return v;
}

/** The most tokens one request may ask for. */
export const MAX_TOKENS_LIMIT = 32_768;

function common(body: Json, defaultMax: number): CommonParams {
  // One choice per request: `n` other than 1 is refused rather than silently ignored.
  if (body.n !== undefined && body.n !== null && body.n !== 1) {
    throw new InvalidRequest("'n' must be 1: lathe serve returns one choice per request (send n requests, with different seeds, for n choices)", 'n');
  }
  const stop = body.stop;
  let stops: string[] = [];
  if (typeof stop === 'string') stops = [stop];
  else if (Array.isArray(stop) && stop.every((s) => typeof s === 'string')) stops = stop;
  else if (stop !== undefined && stop !== null) throw new InvalidRequest("'stop' must be a string or an array of strings", 'stop');
  if (stops.length > 16) throw new InvalidRequest("'stop' has more than 16 sequences", 'stop');
  if (body.stream !== undefined && typeof body.stream !== 'boolean') throw new InvalidRequest("'stream' must be a boolean", 'stream');
  const logprobs = body.logprobs === true ? (num(body, 'top_logprobs', 0, 20) ?? 0) : typeof body.logprobs === 'number' ? num(body, 'logprobs', 0, 20) : undefined;
  const maxTokens = int(body, 'max_tokens', 1, MAX_TOKENS_LIMIT) ?? int(body, 'max_completion_tokens', 1, MAX_TOKENS_LIMIT) ?? defaultMax;
  const seed = num(body, 'seed', 0, Number.MAX_SAFE_INTEGER);
  const topK = num(body, 'top_k', 0, 100_000);
  return {
    maxTokens,
    stop: stops,
    stream: body.stream === true,
    logprobs,
    temperature: num(body, 'temperature', 0, 2),
    topP: num(body, 'top_p', 0, 1),
    topK: topK === undefined ? undefined : Math.floor(topK),
    minP: num(body, 'min_p', 0, 1),
    repetitionPenalty: num(body, 'repetition_penalty', 0.01, 10),
    seed: seed === undefined ? undefined : Math.floor(seed),
  };
}

export function parseCompletionBody(body: unknown, defaultMax = 256): CompletionBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidRequest('the request body must be a JSON object');
  const b = body as Json;
  let prompt = b.prompt;
  if (Array.isArray(prompt) && prompt.length === 1 && typeof prompt[0] === 'string') prompt = prompt[0];
  if (typeof prompt !== 'string') throw new InvalidRequest("'prompt' must be a string (one prompt per request)", 'prompt');
  if (b.suffix !== undefined && b.suffix !== null && typeof b.suffix !== 'string') throw new InvalidRequest("'suffix' must be a string", 'suffix');
  return { ...common(b, defaultMax), prompt, suffix: typeof b.suffix === 'string' ? b.suffix : undefined };
}

/** A chat `messages` array (also `/apply-template`'s body). */
export function parseChatMessages(body: unknown): ChatMessage[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidRequest('the request body must be a JSON object');
  const b = body as Json;
  if (!Array.isArray(b.messages) || b.messages.length === 0) throw new InvalidRequest("'messages' must be a non-empty array", 'messages');
  return b.messages.map((m, i): ChatMessage => {
    const where = `messages[${i}]`;
    if (typeof m !== 'object' || m === null) throw new InvalidRequest(`${where} must be an object`, where);
    const { role, content } = m as Json;
    if (role !== 'system' && role !== 'user' && role !== 'assistant') throw new InvalidRequest(`${where}.role must be system, user or assistant`, `${where}.role`);
    let text = content;
    if (Array.isArray(content)) {
      text = content.map((part) => (typeof part === 'object' && part !== null && (part as Json).type === 'text' && typeof (part as Json).text === 'string' ? ((part as Json).text as string) : '')).join('');
    }
    if (typeof text !== 'string') throw new InvalidRequest(`${where}.content must be a string`, `${where}.content`);
    return { role, content: text };
  });
}

export function parseChatBody(body: unknown, defaultMax = 512): ChatBody {
  const messages = parseChatMessages(body);
  return { ...common(body as Json, defaultMax), messages };
}
