import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly body: Record<string, unknown>;
}

export interface FakeChatOptions {
  /** The answer, piece by piece (one streamed chunk each). */
  pieces: string[];
  /** Answer llama.cpp's /apply-template and /tokenize too (Ollama, vLLM and LM Studio have no /apply-template). */
  llamaExtras: boolean;
  /** Replaces the normal answer of the two generation routes. */
  override?: (req: Recorded, res: ServerResponse) => void;
}

/**
 * A loopback server speaking the OpenAI streaming formats the way Ollama, vLLM and llama.cpp
 * server do: `/v1/models`, `/v1/chat/completions` (`delta.content` chunks, chat-shaped logprobs
 * when asked), `/v1/completions` (`text` chunks, completion-shaped logprobs), a usage chunk and
 * `[DONE]`. It records every request and notes when a client hangs up mid-answer.
 */
export class FakeChatServer {
  readonly requests: Recorded[] = [];
  options: FakeChatOptions = { pieces: ['Hello', ' there', '.'], llamaExtras: false };
  /** Streams whose client went away before the answer ended. */
  hangups = 0;
  private hangupWaiters: Array<() => void> = [];
  private server: Server | undefined;
  base = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }

  /** Resolves at the next stream whose client hangs up before the answer ended. */
  nextHangup(): Promise<void> {
    return new Promise((r) => this.hangupWaiters.push(r));
  }

  paths(): string[] {
    return this.requests.map((r) => r.path);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const rec: Recorded = { method: req.method ?? '', path: req.url ?? '', body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    this.requests.push(rec);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (rec.path === '/v1/models') return json(200, { object: 'list', data: [{ id: 'chat-model', object: 'model', max_model_len: 4096 }] });
    if (rec.path === '/apply-template' && this.options.llamaExtras) {
      const messages = rec.body.messages as Array<{ role: string; content: string }>;
      return json(200, { prompt: messages.map((m) => `<|${m.role}|>${m.content}`).join('') + '<|assistant|>' });
    }
    if (rec.path === '/tokenize' && this.options.llamaExtras) return json(200, { tokens: [...String(rec.body.content)].map((c) => c.charCodeAt(0)) });
    if (rec.path !== '/v1/chat/completions' && rec.path !== '/v1/completions') return json(404, { error: 'page not found' });
    if (this.options.override) return this.options.override(rec, res);
    await this.stream(rec, res);
  }

  private async stream(rec: Recorded, res: ServerResponse): Promise<void> {
    const chat = rec.path === '/v1/chat/completions';
    const top = typeof rec.body.top_logprobs === 'number' ? rec.body.top_logprobs : typeof rec.body.logprobs === 'number' ? rec.body.logprobs : undefined;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    let open = true;
    res.on('close', () => {
      if (!res.writableEnded) {
        open = false;
        this.hangups++;
        for (const wake of this.hangupWaiters.splice(0)) wake();
      }
    });
    const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
    if (chat) send({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
    for (const [i, piece] of this.options.pieces.entries()) {
      if (!open) return;
      const lp = -0.1 * (i + 1);
      const logprobs =
        top === undefined ? null :
        chat ? { content: [{ token: piece, logprob: lp, top_logprobs: [{ token: piece, logprob: lp }, { token: '?', logprob: -5 }] }] } :
        { tokens: [piece], token_logprobs: [lp], top_logprobs: [{ [piece]: lp, '?': -5 }] };
      send({ choices: [{ index: 0, ...(chat ? { delta: { content: piece } } : { text: piece }), logprobs, finish_reason: null }] });
      await new Promise((r) => setTimeout(r, 5));
    }
    send({ choices: [{ index: 0, ...(chat ? { delta: {} } : { text: '' }), finish_reason: 'stop' }] });
    send({ choices: [], usage: { prompt_tokens: 21, completion_tokens: this.options.pieces.length, total_tokens: 21 + this.options.pieces.length } });
    res.end('data: [DONE]\n\n');
  }
}
