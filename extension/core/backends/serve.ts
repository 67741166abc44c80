/**
 * `lathe serve`: the local engine as an OpenAI-compatible HTTP API (`/v1/models`,
 * `/v1/completions` with FIM through `suffix`, `/v1/chat/completions`, streaming as
 * server-sent events), plus llama.cpp's `/tokenize` and `/apply-template` so Lathe itself can
 * use it as a remote backend for every role. Every request passes the guard (token, Host,
 * Origin) and is validated; generations wait in a bounded queue (503 + Retry-After when full);
 * a prompt that does not fit the model's window is a 400; a client that disconnects cancels its
 * generation; `close()` lets streams in flight finish for a grace period, then cancels them.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage } from '../../base/errorText';
import type { Logger } from '../common/logger';
import type { FimTemplate } from '../completion/fimTemplates';
import { EngineError } from '../engine/shared/errors';
import type { FinishReason, GenerateRequest, GenerateResult, TextGenerator } from '../engine/shared/generator';
import type { FimSpec } from '../models/fim';
import { HttpError, readJson, sendError, sendJson } from './httpJson';
import { InvalidRequest, parseChatBody, parseCompletionBody, parseChatMessages, type CommonParams } from './openaiRequests';
import { RequestGuard } from './serveGuards';
import { QueueClosed, QueueFull, RequestQueue } from './serveQueue';

export interface ServeOptions {
  readonly generator: TextGenerator;
  readonly modelId: string;
  readonly fim?: FimTemplate;
  /** Reported in /v1/models so Lathe clients use the model's own FIM tokens (null: none). */
  readonly fimSpec?: FimSpec | null;
  /** Reported in /v1/models: whether the model has a chat template. */
  readonly chatTemplate?: boolean;
  readonly log: Logger;
  readonly maxBodyBytes?: number;
  /** Required as `Authorization: Bearer <token>` on every route when set. */
  readonly token?: string;
  /** Host names clients may use besides the bound address. */
  readonly allowedHosts?: readonly string[];
  /** Generations at once (default 1: the engine runs one at a time). */
  readonly parallel?: number;
  /** Requests that may wait for a generation slot (default 16). */
  readonly maxQueue?: number;
}

const finish = (r: FinishReason): 'stop' | 'length' => (r === 'length' || r === 'time' ? 'length' : 'stop');
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' };

function toRequest(p: CommonParams, prompt: string): Omit<GenerateRequest, 'onToken'> {
  return { prompt, maxTokens: p.maxTokens, stop: p.stop, temperature: p.temperature, topP: p.topP, topK: p.topK, minP: p.minP, repetitionPenalty: p.repetitionPenalty, seed: p.seed, logprobs: p.logprobs };
}

interface Active {
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

export class OpenAiServer {
  private readonly server: Server;
  private readonly queue: RequestQueue;
  private guard: RequestGuard | undefined;
  private readonly active = new Set<Active>();
  private draining = false;
  private contextLength: number | undefined;

  constructor(private readonly options: ServeOptions) {
    this.queue = new RequestQueue(Math.max(1, options.parallel ?? 1), Math.max(0, options.maxQueue ?? 16));
    this.server = createServer((req, res) => this.track(req, res));
  }

  listen(port: number, host = '127.0.0.1'): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        const addr = this.server.address() as AddressInfo;
        this.guard = new RequestGuard({ boundHost: host, port: addr.port, token: this.options.token, allowedHosts: this.options.allowedHosts });
        resolve(addr);
      });
    });
  }

  /** Requests running and waiting right now. */
  get load(): { running: number; waiting: number } {
    return this.queue.stats;
  }

  /**
   * Stops taking requests (new ones get 503), turns away waiting ones, lets running ones finish
   * for `graceMs` (default 10 s), then cancels them (a stream ends with an error event).
   */
  async close(graceMs = 10_000): Promise<void> {
    this.draining = true;
    this.queue.close();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const pending = Promise.all([...this.active].map((a) => a.done));
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
    if ((await Promise.race([pending.then(() => 'done' as const), graceOver])) === 'timeout') {
      this.options.log.warn(`cancelling ${this.active.size} request(s) still running after ${graceMs} ms`);
      for (const a of this.active) a.controller.abort(new HttpError(503, 'the server shut down before the answer was complete', 'server_error'));
      await pending;
    }
    clearTimeout(timer);
    this.server.closeAllConnections();
    await closed;
  }

  private track(req: IncomingMessage, res: ServerResponse): void {
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort(new Error('client disconnected'));
    });
    const started = performance.now();
    const entry: Active = {
      controller,
      done: this.handle(req, res, controller.signal).finally(() => {
        this.active.delete(entry);
        this.options.log.info(`${req.method} ${(req.url ?? '/').split('?')[0]} ${res.headersSent ? res.statusCode : 'no answer'}${controller.signal.aborted ? ' (cancelled)' : ''} in ${Math.round(performance.now() - started)} ms`);
      }),
    };
    this.active.add(entry);
  }

  private async handle(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    try {
      if (this.draining) throw new HttpError(503, 'the server is shutting down', 'server_error', undefined, { connection: 'close' });
      const refusal = this.guard?.check(req);
      if (refusal) {
        throw new HttpError(refusal.status, refusal.message, refusal.type, undefined, refusal.status === 401 ? { 'www-authenticate': 'Bearer' } : {});
      }
      await this.route(req, res, signal);
    } catch (err) {
      this.fail(req, res, err, signal);
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const limit = this.options.maxBodyBytes ?? 4 * 1024 * 1024;
    if (path === '/health') return sendJson(res, 200, { status: 'ok', ...this.queue.stats });
    if (req.method === 'GET' && path === '/v1/models') return sendJson(res, 200, { object: 'list', data: [await this.modelEntry(signal)] });
    const routes: Record<string, (body: unknown) => Promise<void>> = {
      '/v1/completions': (body) => this.generating(signal, () => this.completions(body, res, signal)),
      '/v1/chat/completions': (body) => this.generating(signal, () => this.chat(body, res, signal)),
      '/tokenize': async (body) => sendJson(res, 200, { tokens: await this.options.generator.tokenize(textField(body), signal) }),
      '/apply-template': async (body) => sendJson(res, 200, { prompt: await this.options.generator.renderChat(parseChatMessages(body), signal) }),
    };
    const handler = routes[path];
    if (!handler) throw new HttpError(404, `no route ${req.method} ${path}`, 'not_found_error');
    if (req.method !== 'POST') throw new HttpError(405, `${path} takes POST`, 'invalid_request_error', undefined, { allow: 'POST' });
    await handler(await readJson(req, limit));
  }

  private async modelEntry(signal: AbortSignal) {
    this.contextLength ??= (await this.options.generator.info(signal)).contextLength;
    const { fimSpec, chatTemplate } = this.options;
    return { id: this.options.modelId, object: 'model', created: 0, owned_by: 'lathe', context_length: this.contextLength, lathe: { fim: fimSpec ?? null, chat_template: chatTemplate ?? false } };
  }

  /** Runs a generation when the queue gives it a slot. */
  private async generating(signal: AbortSignal, work: () => Promise<void>): Promise<void> {
    let release: () => void;
    try {
      release = await this.queue.acquire(signal);
    } catch (err) {
      if (err instanceof QueueFull) throw new HttpError(503, err.message, 'server_error', undefined, { 'retry-after': String(err.retryAfterSeconds) });
      if (err instanceof QueueClosed) throw new HttpError(503, err.message, 'server_error', undefined, { connection: 'close' });
      throw err;
    }
    try {
      await work();
    } finally {
      release();
    }
  }

  /** 400 when the prompt and the requested tokens do not fit the model's window. */
  private async checkWindow(prompt: string, maxTokens: number, signal: AbortSignal): Promise<void> {
    this.contextLength ??= (await this.options.generator.info(signal)).contextLength;
    const window = this.contextLength;
    const promptTokens = (await this.options.generator.tokenize(prompt, signal)).length;
    if (promptTokens >= window) throw new HttpError(400, `the prompt is ${promptTokens} tokens; the model's context window is ${window} tokens`, 'invalid_request_error', 'prompt');
    if (promptTokens + maxTokens > window) {
      throw new HttpError(400, `the prompt (${promptTokens} tokens) plus max_tokens (${maxTokens}) exceeds the model's context window of ${window} tokens; lower max_tokens to at most ${window - promptTokens}`, 'invalid_request_error', 'max_tokens');
    }
  }

  private fail(req: IncomingMessage, res: ServerResponse, err: unknown, signal: AbortSignal): void {
    req.resume(); // a refused request's body is drained, not read
    if (signal.aborted && !(signal.reason instanceof HttpError)) return; // the client left
    const reason: unknown = signal.aborted ? signal.reason : err;
    const e =
      reason instanceof HttpError ? reason :
      reason instanceof InvalidRequest ? new HttpError(400, reason.message, 'invalid_request_error', reason.param) :
      reason instanceof EngineError && (reason.code === 'context-overflow' || reason.code === 'invalid-request') ? new HttpError(400, reason.message) :
      new HttpError(500, errorMessage(reason), 'server_error');
    if (e.status >= 500 && e.status !== 503) this.options.log.error(`${req.method} ${req.url} failed`, reason);
    if (res.headersSent) {
      if (!res.writableEnded) res.end(`data: ${JSON.stringify({ error: { message: e.message, type: e.type } })}\n\ndata: [DONE]\n\n`);
      return;
    }
    sendError(res, e);
  }

  private async completions(raw: unknown, res: ServerResponse, signal: AbortSignal): Promise<void> {
    const body = parseCompletionBody(raw);
    const fim = this.options.fim;
    let prompt = body.prompt;
    if (body.suffix !== undefined) {
      if (!fim) throw new InvalidRequest(`model '${this.options.modelId}' declares no fill-in-the-middle tokens, so 'suffix' is not supported`, 'suffix');
      prompt = fim.build({ prefix: body.prompt, suffix: body.suffix });
    }
    await this.checkWindow(prompt, body.maxTokens, signal);
    const id = `cmpl-${randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);
    const stops = body.suffix !== undefined && fim ? [...body.stop, ...fim.stop] : body.stop;
    const chunk = (text: string, reason: string | null) => ({ id, object: 'text_completion', created, model: this.options.modelId, choices: [{ index: 0, text, finish_reason: reason, logprobs: null }] });
    const result = await this.run({ ...toRequest(body, prompt), stop: stops }, body.stream, res, signal, (t) => chunk(t, null), (r) => chunk('', finish(r.finishReason)));
    if (!body.stream) {
      sendJson(res, 200, {
        ...chunk(result.text, finish(result.finishReason)),
        choices: [{ index: 0, text: result.text, finish_reason: finish(result.finishReason), logprobs: body.logprobs === undefined ? null : logprobsOf(result) }],
        usage: usage(result),
      });
    }
  }

  private async chat(raw: unknown, res: ServerResponse, signal: AbortSignal): Promise<void> {
    const body = parseChatBody(raw);
    const prompt = await this.options.generator.renderChat(body.messages, signal);
    await this.checkWindow(prompt, body.maxTokens, signal);
    const id = `chatcmpl-${randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);
    const chunk = (delta: Record<string, string>, reason: string | null) => ({ id, object: 'chat.completion.chunk', created, model: this.options.modelId, choices: [{ index: 0, delta, finish_reason: reason }] });
    if (body.stream) {
      res.writeHead(200, SSE_HEADERS);
      res.write(`data: ${JSON.stringify(chunk({ role: 'assistant' }, null))}\n\n`);
    }
    const result = await this.run(toRequest(body, prompt), body.stream, res, signal, (t) => chunk({ content: t }, null), (r) => chunk({}, finish(r.finishReason)));
    if (!body.stream) {
      sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model: this.options.modelId,
        choices: [{ index: 0, message: { role: 'assistant', content: result.text }, finish_reason: finish(result.finishReason) }],
        usage: usage(result),
      });
    }
  }

  /** Generates, streaming SSE chunks when asked; returns the result either way. */
  private async run(
    request: Omit<GenerateRequest, 'onToken'>,
    stream: boolean,
    res: ServerResponse,
    signal: AbortSignal,
    piece: (text: string) => unknown,
    last: (r: GenerateResult) => unknown,
  ): Promise<GenerateResult> {
    if (stream && !res.headersSent) res.writeHead(200, SSE_HEADERS);
    const result = await this.options.generator.generate(
      { ...request, onToken: stream ? (ev) => ev.text && res.write(`data: ${JSON.stringify(piece(ev.text))}\n\n`) : undefined },
      signal,
    );
    // Cancelled (the client left, or shutdown's grace ran out): the caller's catch answers.
    if (signal.aborted) throw signal.reason;
    if (stream) {
      res.write(`data: ${JSON.stringify(last(result))}\n\n`);
      res.end('data: [DONE]\n\n');
    }
    return result;
  }
}

/** `/tokenize` takes llama.cpp's `content` or vLLM's `prompt`. */
function textField(body: unknown): string {
  const b = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const text = b.content ?? b.prompt;
  if (typeof text !== 'string') throw new InvalidRequest("'content' must be a string", 'content');
  return text;
}

function usage(r: GenerateResult) {
  return { prompt_tokens: r.promptTokens, completion_tokens: r.completionTokens, total_tokens: r.promptTokens + r.completionTokens };
}

function logprobsOf(r: GenerateResult) {
  return {
    tokens: r.tokens.map((t) => t.text),
    token_logprobs: r.tokens.map((t) => t.logprob ?? null),
    top_logprobs: r.tokens.map((t) => Object.fromEntries((t.top ?? []).map((a) => [a.token, a.logprob]))),
  };
}
