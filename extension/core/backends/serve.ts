/**
 * `lathe serve`: the local engine as an OpenAI-compatible HTTP API (`/v1/models`,
 * `/v1/completions` with FIM through `suffix`, `/v1/chat/completions`, streaming as
 * server-sent events). Bodies are validated; a client that disconnects aborts its generation.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../common/logger';
import type { FimTemplate } from '../completion/fimTemplates';
import type { FinishReason, GenerateRequest, GenerateResult, TextGenerator } from '../engine/shared/generator';
import { InvalidRequest, parseChatBody, parseCompletionBody, type CommonParams } from './openaiRequests';
import { errorMessage } from '../../base/errorText';

export interface ServeOptions {
  readonly generator: TextGenerator;
  readonly modelId: string;
  readonly fim?: FimTemplate;
  readonly log: Logger;
  readonly maxBodyBytes?: number;
}

const finish = (r: FinishReason): 'stop' | 'length' => (r === 'length' || r === 'time' ? 'length' : 'stop');

class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly type = 'invalid_request_error', readonly param?: string) {
    super(message);
  }
}

async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `request body is larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (err) {
    throw new HttpError(400, `request body is not valid JSON: ${errorMessage(err)}`);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

function toRequest(p: CommonParams, prompt: string): Omit<GenerateRequest, 'onToken'> {
  return {
    prompt,
    maxTokens: p.maxTokens,
    stop: p.stop,
    temperature: p.temperature,
    topP: p.topP,
    topK: p.topK,
    minP: p.minP,
    repetitionPenalty: p.repetitionPenalty,
    seed: p.seed,
    logprobs: p.logprobs,
  };
}

export class OpenAiServer {
  private readonly server: Server;

  constructor(private readonly options: ServeOptions) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  listen(port: number, host = '127.0.0.1'): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve(this.server.address() as AddressInfo));
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort(new Error('client disconnected'));
    });
    try {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'GET' && path === '/v1/models') {
        sendJson(res, 200, { object: 'list', data: [{ id: this.options.modelId, object: 'model', created: 0, owned_by: 'lathe' }] });
        return;
      }
      if (path === '/health') {
        sendJson(res, 200, { status: 'ok' });
        return;
      }
      if (path !== '/v1/completions' && path !== '/v1/chat/completions') throw new HttpError(404, `no route ${req.method} ${path}`, 'not_found_error');
      if (req.method !== 'POST') throw new HttpError(405, `${path} takes POST`);
      const body = await readJson(req, this.options.maxBodyBytes ?? 4 * 1024 * 1024);
      if (path === '/v1/completions') await this.completions(body, res, controller.signal);
      else await this.chat(body, res, controller.signal);
    } catch (err) {
      if (controller.signal.aborted) return;
      const e =
        err instanceof HttpError ? err :
        err instanceof InvalidRequest ? new HttpError(400, err.message, 'invalid_request_error', err.param) :
        new HttpError(500, errorMessage(err), 'server_error');
      if (e.status >= 500) this.options.log.error(`${req.method} ${req.url} failed`, err);
      if (res.headersSent) {
        res.end(`data: ${JSON.stringify({ error: { message: e.message, type: e.type } })}\n\n`);
        return;
      }
      sendJson(res, e.status, { error: { message: e.message, type: e.type, param: e.param ?? null, code: null } });
    }
  }

  private async completions(raw: unknown, res: ServerResponse, signal: AbortSignal): Promise<void> {
    const body = parseCompletionBody(raw);
    let prompt = body.prompt;
    if (body.suffix !== undefined) {
      if (!this.options.fim) throw new InvalidRequest(`model '${this.options.modelId}' declares no fill-in-the-middle tokens, so 'suffix' is not supported`, 'suffix');
      prompt = this.options.fim.build({ prefix: body.prompt, suffix: body.suffix });
    }
    const id = `cmpl-${randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);
    const stops = body.suffix !== undefined ? [...body.stop, ...this.options.fim!.stop] : body.stop;
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
    const id = `chatcmpl-${randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);
    const chunk = (delta: Record<string, string>, reason: string | null) => ({ id, object: 'chat.completion.chunk', created, model: this.options.modelId, choices: [{ index: 0, delta, finish_reason: reason }] });
    if (body.stream) res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    if (body.stream) res.write(`data: ${JSON.stringify(chunk({ role: 'assistant' }, null))}\n\n`);
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
    if (stream && !res.headersSent) res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const result = await this.options.generator.generate(
      { ...request, onToken: stream ? (ev) => ev.text && res.write(`data: ${JSON.stringify(piece(ev.text))}\n\n`) : undefined },
      signal,
    );
    if (stream) {
      res.write(`data: ${JSON.stringify(last(result))}\n\n`);
      res.end('data: [DONE]\n\n');
    }
    return result;
  }
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
