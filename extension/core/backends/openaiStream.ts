/**
 * The streamed answer of an OpenAI-compatible server, one reader for `/completions` (`text`
 * pieces) and `/chat/completions` (`delta.content` pieces): server-sent events become token
 * events, with logprobs in either API's shape where the server sends them, plus the finish
 * reason and usage. A server that ignored `"stream": true` and sent one JSON answer is read
 * the same way. An error event, an HTML page (a proxy's sign-in) or an event that is not JSON
 * is an error that says so.
 */
import type { FinishReason, TokenAlternative, TokenEvent } from '../engine/shared/generator';

/** A remote server's failure, in words (`status`: its HTTP status, when it answered one). */
export class RemoteError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'RemoteError';
  }
}

export interface StreamedAnswer {
  readonly text: string;
  readonly tokens: TokenEvent[];
  readonly finish: FinishReason;
  readonly promptTokens?: number;
  readonly completionTokens?: number;
}

/** `/completions` logprobs: parallel arrays. */
interface CompletionLogprobs {
  tokens?: string[];
  token_logprobs?: Array<number | null>;
  top_logprobs?: Array<Record<string, number> | null>;
}
/** `/chat/completions` logprobs: one entry per token. */
interface ChatLogprobs {
  content?: Array<{ token?: string; logprob?: number; top_logprobs?: Array<{ token?: string; logprob?: number }> }> | null;
}
interface Chunk {
  choices?: Array<{ text?: string; delta?: { content?: string | null }; message?: { content?: string | null }; finish_reason?: string | null; logprobs?: (CompletionLogprobs & ChatLogprobs) | null }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: { message?: string } | string;
}

interface Scored {
  readonly token: string;
  readonly logprob?: number;
  readonly top?: readonly TokenAlternative[];
}

function scored(lp: (CompletionLogprobs & ChatLogprobs) | null | undefined): Scored[] {
  if (!lp) return [];
  if (Array.isArray(lp.content)) {
    return lp.content.map((e) => ({ token: e.token ?? '', logprob: e.logprob, top: e.top_logprobs?.map((a) => ({ token: a.token ?? '', logprob: a.logprob ?? -Infinity })) }));
  }
  return (lp.tokens ?? []).map((token, i) => ({
    token,
    logprob: lp.token_logprobs?.[i] ?? undefined,
    top: lp.top_logprobs?.[i] ? Object.entries(lp.top_logprobs[i]).map(([t, l]) => ({ token: t, logprob: l })) : undefined,
  }));
}

/** The events of one streamed piece: one per scored token when they spell the piece, else one for the whole piece. */
function pieceEvents(piece: string, scores: readonly Scored[]): TokenEvent[] {
  if (scores.length > 0 && scores.map((s) => s.token).join('') === piece) {
    return scores.map((s) => ({ text: s.token, tokenId: -1, logprob: s.logprob, top: s.top }));
  }
  if (scores.length === 1) return [{ text: piece, tokenId: -1, logprob: scores[0].logprob, top: scores[0].top }];
  return [{ text: piece, tokenId: -1 }];
}

/** Reads a streamed answer from `res` (`url` names it in errors), calling `onToken` as text arrives. */
export async function readAnswerStream(res: Response, url: string, onToken?: (event: TokenEvent) => void): Promise<StreamedAnswer> {
  let text = '';
  let finish: FinishReason = 'eos';
  let usage: Chunk['usage'];
  const tokens: TokenEvent[] = [];
  const take = (chunk: Chunk) => {
    const failed = errorOf(chunk, url);
    if (failed) throw new RemoteError(failed);
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (!choice) return;
    const piece = choice.text ?? choice.delta?.content ?? choice.message?.content ?? '';
    if (piece) {
      text += piece;
      for (const ev of pieceEvents(piece, scored(choice.logprobs))) {
        tokens.push(ev);
        onToken?.(ev);
      }
    }
    if (choice.finish_reason) finish = choice.finish_reason === 'length' ? 'length' : 'stop';
  };
  const type = res.headers.get('content-type') ?? '';
  if (/text\/html/i.test(type)) throw new RemoteError(`${url} answered with an HTML page, not an OpenAI-compatible event stream`);
  if (/application\/json/i.test(type)) take(parseChunk(await res.text(), url));
  else {
    let events = 0;
    for await (const data of sseEvents(res)) {
      events++;
      if (data === '[DONE]') break;
      take(parseChunk(data, url));
    }
    if (events === 0) throw new RemoteError(`${url} answered without a single event: not an OpenAI-compatible event stream`);
  }
  return { text, tokens, finish, promptTokens: usage?.prompt_tokens, completionTokens: usage?.completion_tokens };
}

function parseChunk(data: string, url: string): Chunk {
  try {
    const chunk: unknown = JSON.parse(data);
    if (typeof chunk === 'object' && chunk !== null && !Array.isArray(chunk)) return chunk;
  } catch {
    // reported below
  }
  if (/^\s*<(!doctype|html)/i.test(data)) throw new RemoteError(`${url} answered with an HTML page, not an OpenAI-compatible event stream`);
  throw new RemoteError(`${url} sent an event that is not a JSON object: ${data.slice(0, 120)}`);
}

function errorOf(chunk: Chunk, url: string): string | undefined {
  if (chunk.error === undefined || chunk.error === null) return undefined;
  const message = typeof chunk.error === 'string' ? chunk.error : (chunk.error.message ?? JSON.stringify(chunk.error));
  return `${url} reported an error: ${message}`;
}

/** The `data:` payloads of a server-sent event stream. */
async function* sseEvents(res: Response): AsyncGenerator<string> {
  if (!res.body) return;
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let sep: number;
    while ((sep = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const event = buffer.slice(0, sep);
      buffer = buffer.slice(sep).replace(/^\r?\n\r?\n/, '');
      const data = event
        .split(/\r?\n/)
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trimStart())
        .join('\n');
      if (data) yield data;
    }
  }
}
