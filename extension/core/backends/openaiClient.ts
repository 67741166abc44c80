/**
 * A remote OpenAI-compatible server (vLLM, llama.cpp server, Ollama, LM Studio, `lathe serve`)
 * as a TextGenerator, for users who outgrow one machine. Text is streamed from /v1/completions,
 * chat answers from /v1/chat/completions (the server applies its model's chat template); token
 * ids are not part of that API, so streamed events carry tokenId -1.
 */
import { errorMessage } from '../../base/errorText';
import type { ChatMessage, ChatRequest, FinishReason, GenerateRequest, GenerateResult, ModelInfo, TextGenerator } from '../engine/shared/generator';
import { OfflineError } from '../common/network';
import { readModelList, type ServerModel } from './modelList';
import { readAnswerStream, RemoteError, type StreamedAnswer } from './openaiStream';

export { RemoteError } from './openaiStream';

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

export class OpenAiClient implements TextGenerator {
  private readonly base: string;
  private readonly fetchFn: typeof fetch;
  private infoCache: ModelInfo | undefined;
  private served: ServerModel | undefined;
  /** Endpoints beside the OpenAI API that this server does not have. */
  private readonly absent = new Map<string, RemoteError>();

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

  generate(request: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> {
    return this.stream('/completions', request, { prompt: request.prompt, ...(request.logprobs === undefined ? {} : { logprobs: request.logprobs }) }, signal);
  }

  /** The messages through the server's own chat template, on `/chat/completions`. */
  chat(request: ChatRequest, signal?: AbortSignal): Promise<GenerateResult> {
    const messages = request.messages.map((m) => ({ role: m.role, content: m.content }));
    return this.stream('/chat/completions', request, { messages, ...(request.logprobs === undefined ? {} : { logprobs: true, top_logprobs: request.logprobs }) }, signal);
  }

  /** One streamed request; `maxTimeMs` and the signal end it early with what arrived ('time', 'abort'). */
  private async stream(path: string, request: Omit<ChatRequest, 'messages'>, fields: Record<string, unknown>, signal?: AbortSignal): Promise<GenerateResult> {
    const model = (await this.info(signal)).id;
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timer = request.maxTimeMs ? setTimeout(() => ((timedOut = true), controller.abort(new Error('time limit'))), request.maxTimeMs) : undefined;
    const t0 = performance.now();
    // What arrived before a cancel or the time limit is kept.
    const partial = { text: '', tokens: [] as StreamedAnswer['tokens'], firstTextAt: 0 };
    let answer: StreamedAnswer | undefined;
    let finish: FinishReason;
    try {
      const body = {
        model,
        ...fields,
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
      };
      const res = await this.call(path, { method: 'POST', body: JSON.stringify(body) }, controller.signal);
      answer = await readAnswerStream(res, `${this.base}${path}`, (ev) => {
        partial.firstTextAt ||= performance.now();
        partial.text += ev.text;
        partial.tokens.push(ev);
        request.onToken?.(ev);
      });
      finish = answer.finish;
    } catch (err) {
      if (!controller.signal.aborted) throw err;
      finish = timedOut ? 'time' : 'abort';
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
    const totalMs = performance.now() - t0;
    const ttft = partial.firstTextAt ? partial.firstTextAt - t0 : totalMs;
    const completionTokens = answer?.completionTokens ?? partial.tokens.length;
    return {
      text: partial.text,
      tokens: partial.tokens,
      finishReason: finish,
      promptTokens: answer?.promptTokens ?? 0,
      completionTokens,
      cachedTokens: 0,
      timings: { ttftMs: ttft, totalMs, decodeTokensPerSecond: totalMs > ttft ? (completionTokens * 1000) / (totalMs - ttft || 1) : 0 },
    };
  }

  /** Uses the server's /tokenize (vLLM and llama.cpp shapes); plain OpenAI has none. */
  async tokenize(text: string, signal?: AbortSignal): Promise<number[]> {
    const model = (await this.info(signal)).id;
    const body = (await this.beside('/tokenize', { model, prompt: text, content: text }, "has no usable /tokenize endpoint; token counts need the server's tokenizer", signal)) as { tokens?: unknown };
    if (!Array.isArray(body.tokens)) throw new RemoteError(`${this.root}/tokenize answered without a token list`);
    return body.tokens.map((t) => (typeof t === 'number' ? t : typeof t === 'object' && t !== null ? Number((t as { id?: number }).id) : Number.NaN));
  }

  /** Uses llama.cpp's /apply-template; other servers apply chat templates only inside chat requests (`chat`). */
  async renderChat(messages: readonly ChatMessage[], signal?: AbortSignal): Promise<string> {
    const body = (await this.beside('/apply-template', { messages }, 'cannot show how it renders chat templates (no /apply-template endpoint)', signal)) as { prompt?: unknown };
    if (typeof body.prompt !== 'string') throw new RemoteError(`${this.root}/apply-template answered without a prompt`);
    return body.prompt;
  }

  private get root(): string {
    return this.base.replace(/\/v1$/, '');
  }

  /**
   * POSTs to an endpoint beside the OpenAI API (llama.cpp's); `lacks` says what its absence
   * means. A server without it (404, 405, 501) is not asked again.
   */
  private async beside(path: string, body: unknown, lacks: string, signal?: AbortSignal): Promise<unknown> {
    const known = this.absent.get(path);
    if (known) throw known;
    const res = await this.fetchFn(`${this.root}${path}`, { method: 'POST', headers: this.headers(), body: JSON.stringify(body), signal });
    if (!res.ok) {
      const err = new RemoteError(`${this.root} ${lacks} (${res.status})`, res.status);
      if (res.status === 404 || res.status === 405 || res.status === 501) this.absent.set(path, err);
      throw err;
    }
    return res.json();
  }
}
