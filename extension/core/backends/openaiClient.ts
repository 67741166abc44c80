/**
 * A remote OpenAI-compatible server (vLLM, llama.cpp server, Ollama, `lathe serve`) as a
 * TextGenerator, for users who outgrow one machine. Text is streamed from /v1/completions;
 * token ids are not part of that API, so streamed events carry tokenId -1.
 */
import { errorMessage } from '../../base/errorText';
import type { ChatMessage, FinishReason, GenerateRequest, GenerateResult, ModelInfo, TextGenerator, TokenEvent } from '../engine/shared/generator';
import { OfflineError } from '../common/network';
import { readModelList, type ServerModel } from './modelList';

export interface RemoteOptions {
  /** Base URL up to and including `/v1`, e.g. `http://gpu-box:8000/v1`. */
  readonly baseUrl: string;
  /** Model name to request; the server's first model when empty. */
  readonly model?: string;
  readonly apiKey?: string;
  /** Used when the server does not report the model's context length. */
  readonly contextLength?: number;
  readonly fetch?: typeof fetch;
  /** How long the model list may take to answer (default 10 s): a hung server fails instead of hanging. */
  readonly infoTimeoutMs?: number;
}

export class RemoteError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'RemoteError';
  }
}

export class OpenAiClient implements TextGenerator {
  private readonly base: string;
  private readonly fetchFn: typeof fetch;
  private infoCache: ModelInfo | undefined;
  private served: ServerModel | undefined;

  constructor(private readonly options: RemoteOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.fetchFn = options.fetch ?? fetch;
  }

  private headers(): Record<string, string> {
    return { 'content-type': 'application/json', ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}) };
  }

  private async call(path: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
    let res: Response;
    try {
      res = await this.fetchFn(`${this.base}${path}`, { ...init, headers: this.headers(), signal });
    } catch (err) {
      if (signal?.aborted || err instanceof OfflineError) throw err;
      throw new RemoteError(`cannot reach ${this.base}${path}: ${errorMessage(err instanceof Error && err.cause instanceof Error ? err.cause : err)}`);
    }
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      let message = text.slice(0, 300);
      try {
        const parsed = JSON.parse(text) as { error?: { message?: string } | string };
        message = typeof parsed.error === 'string' ? parsed.error : (parsed.error?.message ?? message);
      } catch {
        // not JSON: keep the text
      }
      throw new RemoteError(`${this.base}${path} answered ${res.status}: ${message}`, res.status);
    }
    return res;
  }

  async info(signal?: AbortSignal): Promise<ModelInfo> {
    if (this.infoCache) return this.infoCache;
    const timeoutMs = this.options.infoTimeoutMs ?? 10_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    let res: Response;
    try {
      res = await this.call('/models', { method: 'GET' }, signal ? AbortSignal.any([signal, timeout]) : timeout);
    } catch (err) {
      if (!signal?.aborted && timeout.aborted) throw new RemoteError(`${this.base}/models did not answer within ${timeoutMs / 1000} s`);
      throw err;
    }
    const models = await readModelList(res, `${this.base}/models`);
    const entry = this.options.model ? models.find((m) => m.id === this.options.model) : models[0];
    if (!entry) throw new RemoteError(this.options.model ? `${this.base} does not serve a model named '${this.options.model}' (it has: ${models.map((m) => m.id).join(', ') || 'none'})` : `${this.base} lists no models`);
    this.served = entry;
    this.infoCache = {
      id: entry.id,
      contextLength: entry.contextLength ?? this.options.contextLength ?? 4096,
      vocabSize: 0,
      hasChatTemplate: entry.chatTemplate ?? true,
    };
    return this.infoCache;
  }

  /** The server's entry for the model, once `info()` has read it (`lathe serve` reports its FIM tokens there). */
  servedModel(): ServerModel | undefined {
    return this.served;
  }

  async generate(request: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> {
    const model = (await this.info(signal)).id;
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timer = request.maxTimeMs ? setTimeout(() => ((timedOut = true), controller.abort(new Error('time limit'))), request.maxTimeMs) : undefined;
    const t0 = performance.now();
    let ttft = 0;
    let text = '';
    let finish: FinishReason = 'eos';
    let usage: { prompt_tokens?: number; completion_tokens?: number } = {};
    const tokens: TokenEvent[] = [];
    try {
      const res = await this.call(
        '/completions',
        {
          method: 'POST',
          body: JSON.stringify({
            model,
            prompt: request.prompt,
            max_tokens: request.maxTokens,
            temperature: request.temperature ?? 0,
            top_p: request.topP,
            top_k: request.topK,
            min_p: request.minP,
            repetition_penalty: request.repetitionPenalty,
            seed: request.seed,
            stop: request.stop && request.stop.length > 0 ? request.stop : undefined,
            stream: true,
            stream_options: { include_usage: true },
          }),
        },
        controller.signal,
      );
      for await (const data of sseEvents(res)) {
        if (data === '[DONE]') break;
        const chunk = JSON.parse(data) as { choices?: Array<{ text?: string; finish_reason?: string | null }>; usage?: typeof usage };
        if (chunk.usage) usage = chunk.usage;
        const choice = chunk.choices?.[0];
        if (!choice) continue;
        if (choice.text) {
          if (!ttft) ttft = performance.now() - t0;
          text += choice.text;
          const ev: TokenEvent = { text: choice.text, tokenId: -1 };
          tokens.push(ev);
          request.onToken?.(ev);
        }
        if (choice.finish_reason) finish = choice.finish_reason === 'length' ? 'length' : 'stop';
      }
    } catch (err) {
      if (!controller.signal.aborted) throw err;
      finish = timedOut ? 'time' : 'abort';
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
    const totalMs = performance.now() - t0;
    const completionTokens = usage.completion_tokens ?? tokens.length;
    return {
      text,
      tokens,
      finishReason: finish,
      promptTokens: usage.prompt_tokens ?? 0,
      completionTokens,
      cachedTokens: 0,
      timings: { ttftMs: ttft || totalMs, totalMs, decodeTokensPerSecond: totalMs > ttft ? (completionTokens * 1000) / (totalMs - ttft || 1) : 0 },
    };
  }

  /** Uses the server's /tokenize (vLLM and llama.cpp shapes); plain OpenAI has none. */
  async tokenize(text: string, signal?: AbortSignal): Promise<number[]> {
    const root = this.base.replace(/\/v1$/, '');
    const model = (await this.info(signal)).id;
    const res = await this.fetchFn(`${root}/tokenize`, { method: 'POST', headers: this.headers(), body: JSON.stringify({ model, prompt: text, content: text }), signal });
    if (!res.ok) throw new RemoteError(`${root} has no usable /tokenize endpoint (${res.status}); token counts need the server's tokenizer`, res.status);
    const body = (await res.json()) as { tokens?: unknown };
    if (!Array.isArray(body.tokens)) throw new RemoteError(`${root}/tokenize answered without a token list`);
    return body.tokens.map((t) => (typeof t === 'number' ? t : typeof t === 'object' && t !== null ? Number((t as { id?: number }).id) : Number.NaN));
  }

  /** Uses llama.cpp's /apply-template; other servers apply chat templates only inside chat requests. */
  async renderChat(messages: readonly ChatMessage[], signal?: AbortSignal): Promise<string> {
    const root = this.base.replace(/\/v1$/, '');
    const res = await this.fetchFn(`${root}/apply-template`, { method: 'POST', headers: this.headers(), body: JSON.stringify({ messages }), signal });
    if (!res.ok) throw new RemoteError(`${root} cannot render chat templates for Lathe (no /apply-template endpoint); use a completion prompt instead`, res.status);
    const body = (await res.json()) as { prompt?: unknown };
    if (typeof body.prompt !== 'string') throw new RemoteError(`${root}/apply-template answered without a prompt`);
    return body.prompt;
  }
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
