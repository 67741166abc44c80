/**
 * `serve` requests: fuzzed HTTP requests (methods, paths, headers, bodies: valid, mutated,
 * deep, huge, wrong types, streaming on and off) against the OpenAI-compatible server on a
 * scripted model. Every request must get an answer (a hang otherwise), and bad input a 4xx:
 * a 5xx or a dropped connection is a crash.
 */
import { request } from 'node:http';
import { OpenAiServer } from '../../../extension/core/backends/serve';
import { createLogger } from '../../../extension/core/common/logger';
import { fimTemplate } from '../../../extension/core/completion/fimTemplates';
import { detectFim } from '../../../extension/core/models/fim';
import { ScriptedGenerator } from '../../unit/helpers/scriptedGenerator';
import type { Gen } from '../gen';
import type { Outcome } from '../outcome';

export interface ServeInput {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

const KEYS = ['model', 'prompt', 'suffix', 'messages', 'role', 'content', 'max_tokens', 'temperature', 'top_p', 'top_k', 'min_p', 'stop', 'stream', 'seed', 'logprobs', 'n', 'repetition_penalty', 'echo', 'user', 'tools'];

function validBody(g: Gen): Record<string, unknown> {
  const common = {
    max_tokens: g.pick<unknown>([1, 8, 0, -1, 1e9, 2.5, '8', null, undefined]),
    temperature: g.pick<unknown>([0, 0.7, 2, -1, 1e308, 'hot', undefined]),
    top_p: g.pick<unknown>([1, 0.9, 0, 2, undefined]),
    stop: g.pick<unknown>([undefined, '\n', ['a', 'b'], [], [1], ''.padEnd(5000, 'x'), Array.from({ length: 50 }, () => 's')]),
    stream: g.pick<unknown>([true, false, 'yes', undefined]),
    seed: g.pick<unknown>([1, -1, 2 ** 60, 'x', undefined]),
    logprobs: g.pick<unknown>([undefined, 0, 5, 100, true]),
  };
  if (g.chance(0.5)) return { ...common, prompt: g.pick<unknown>([g.text(), '', ['a', 'b'], 42, null]), suffix: g.pick<unknown>([undefined, g.text(), 7]) };
  const message = () => ({ role: g.pick(['system', 'user', 'assistant', 'tool', 'x', '']), content: g.pick<unknown>([g.text(), '', null, [{ type: 'text', text: 'hi' }], 5]) });
  return { ...common, messages: g.pick<unknown>([[message()], [message(), message()], [], 'hi', null, Array.from({ length: 300 }, message)]) };
}

/** Random text as a request path can carry it: bytes outside printable ASCII (and spaces) %-encoded. */
function percentEncoded(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => (b > 0x20 && b < 0x7f ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`)).join('');
}

export function generate(g: Gen): ServeInput {
  const path = g.chance(0.85)
    ? g.pick(['/v1/completions', '/v1/chat/completions', '/v1/models', '/health'])
    : g.pick(['/', '/v1', '/v1/../etc/passwd', '/v1/completions?x=1', '//v1/completions', '/v1/completions/', `/${percentEncoded(g.text(20))}`]);
  const method = g.chance(0.85) ? (path === '/v1/models' ? 'GET' : 'POST') : g.pick(['GET', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'HEAD']);
  let body: Buffer;
  const r = g.int(100);
  if (r < 50) body = Buffer.from(JSON.stringify(validBody(g)));
  else if (r < 70) body = g.mutate(JSON.stringify(validBody(g)));
  else if (r < 80) body = Buffer.from(JSON.stringify(g.json(5, KEYS)) ?? '');
  else if (r < 85) body = Buffer.from(`{"prompt":"x","stop":${g.deep(g.pick([600, 20_000]))}}`);
  else if (r < 88) body = Buffer.from(JSON.stringify({ prompt: 'a'.repeat(g.pick([100_000, 5_000_000])), max_tokens: 4 }));
  else body = Buffer.from(g.pick(['', 'null', '[]', '{', '"x"', '\xff\xfe'], ), 'latin1');
  const headers: Record<string, string> = { 'content-type': g.pick(['application/json', 'text/plain', 'application/x-www-form-urlencoded', '']) };
  if (g.chance(0.1)) headers['content-encoding'] = g.pick(['gzip', 'br', 'identity']);
  return { method, path, headers, body };
}

let base: Promise<number> | undefined;

function server(): Promise<number> {
  const fim = fimTemplate(detectFim({ tokens: new Set(['<fim_prefix>', '<fim_suffix>', '<fim_middle>', '<|endoftext|>']) })!);
  const s = new OpenAiServer({ generator: new ScriptedGenerator(['Hello', ', ', 'world', '!']), modelId: 'scripted', fim, log: createLogger({ log: () => undefined }, 'serve') });
  return s.listen(0).then((a) => a.port);
}

export async function run(input: ServeInput): Promise<Outcome> {
  const port = await (base ??= server());
  return new Promise<Outcome>((resolve) => {
    const req = request({ host: '127.0.0.1', port, method: input.method, path: input.path, headers: { ...input.headers, 'content-length': String(input.body.length) } }, (res) => {
      const status = res.statusCode ?? 0;
      res.on('data', () => undefined);
      res.on('error', (err) => resolve({ ok: false, crash: `response failed: ${err.message}` }));
      res.on('end', () => resolve(status >= 500 ? { ok: false, crash: `HTTP ${status} for ${input.method} ${input.path}` } : { ok: true }));
    });
    req.on('error', (err) => resolve({ ok: false, crash: `request failed: ${err.message}` }));
    req.end(Buffer.from(input.body));
  });
}
