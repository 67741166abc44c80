import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { OpenAiServer } from '../../../extension/core/backends/serve';
import { createLogger } from '../../../extension/core/common/logger';
import { fimTemplate } from '../../../extension/core/completion/fimTemplates';
import { detectFim } from '../../../extension/core/models/fim';
import { ScriptedGenerator } from '../helpers/scriptedGenerator';

const gen = new ScriptedGenerator(['Hello', ', ', 'world', '!', ' END', ' more'], 5);
const errors: string[] = [];
const fimSpec = detectFim({ tokens: new Set(['<fim_prefix>', '<fim_suffix>', '<fim_middle>', '<|endoftext|>']) })!;
const fim = fimTemplate(fimSpec);
const server = new OpenAiServer({ generator: gen, modelId: 'scripted', fim, fimSpec, chatTemplate: true, log: createLogger({ log: (l, m) => l === 'error' && errors.push(m) }, 'serve') });
let base = '';

before(async () => {
  const addr = await server.listen(0);
  base = `http://127.0.0.1:${addr.port}`;
});

after(async () => {
  await server.close();
});

interface Choice {
  text: string;
  finish_reason: string;
  delta: { role?: string; content?: string };
}
interface Reply {
  object: string;
  data: Array<{ id: string }>;
  choices: Choice[];
  usage: unknown;
  error: { message: string; param: string | null };
}
const json = async (res: Response) => (await res.json()) as Reply;

const post = (path: string, body: unknown) => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('lists the model', async () => {
  const res = await fetch(`${base}/v1/models`);
  assert.equal(res.status, 200);
  assert.deepEqual((await json(res)).data.map((m) => m.id), ['scripted']);
});

test('completions: sampling params, stop sequences and usage', async () => {
  const res = await post('/v1/completions', { prompt: 'Say hi', max_tokens: 10, temperature: 0.5, top_p: 0.9, seed: 3, stop: [' END'] });
  assert.equal(res.status, 200);
  const body = await json(res);
  assert.equal(body.object, 'text_completion');
  assert.equal(body.choices[0].text, 'Hello, world!');
  assert.equal(body.choices[0].finish_reason, 'stop');
  assert.deepEqual(body.usage, { prompt_tokens: 6, completion_tokens: 4, total_tokens: 10 });
  const req = gen.requests.at(-1)!;
  assert.deepEqual([req.temperature, req.topP, req.seed, req.maxTokens], [0.5, 0.9, 3, 10]);
});

test('completions with a suffix use the model\'s FIM template', async () => {
  const res = await post('/v1/completions', { prompt: 'def f(', suffix: '):\n', max_tokens: 2 });
  const body = await json(res);
  assert.equal(body.choices[0].text, 'Hello, ');
  assert.equal(body.choices[0].finish_reason, 'length');
  assert.equal(gen.requests.at(-1)!.prompt, '<fim_prefix>def f(<fim_suffix>):\n<fim_middle>');
});

test('streaming sends server-sent events ending with [DONE]', async () => {
  const res = await post('/v1/chat/completions', { messages: [{ role: 'user', content: 'hi' }], stream: true, max_tokens: 3 });
  assert.equal(res.headers.get('content-type'), 'text/event-stream');
  const events = (await res.text()).split('\n\n').filter(Boolean).map((e) => e.replace(/^data: /, ''));
  assert.equal(events.at(-1), '[DONE]');
  const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as Reply);
  assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant' });
  assert.equal(chunks.map((c) => c.choices[0].delta.content ?? '').join(''), 'Hello, world');
  assert.equal(chunks.at(-1)!.choices[0].finish_reason, 'length');
  assert.equal(gen.requests.at(-1)!.prompt, '<user>hi<assistant>');
});

test('invalid requests get a 400 naming the parameter; unknown routes a 404', async () => {
  const cases: Array<[unknown, string]> = [
    [{ prompt: 42 }, 'prompt'],
    [{ prompt: 'x', temperature: 7 }, 'temperature'],
    [{ prompt: 'x', stop: [1] }, 'stop'],
  ];
  for (const [body, param] of cases) {
    const res = await post('/v1/completions', body);
    assert.equal(res.status, 400);
    assert.equal((await json(res)).error.param, param);
  }
  const chat = await post('/v1/chat/completions', { messages: [{ role: 'robot', content: 'x' }] });
  assert.equal((await json(chat)).error.param, 'messages[0].role');
  const bad = await fetch(`${base}/v1/completions`, { method: 'POST', body: '{not json' });
  assert.equal(bad.status, 400);
  assert.match((await json(bad)).error.message, /not valid JSON/);
  assert.equal((await fetch(`${base}/v2/nothing`)).status, 404);
  assert.deepEqual(errors, []);
});

test('a client that disconnects aborts its generation', async () => {
  const before = gen.aborted;
  const controller = new AbortController();
  const res = await fetch(`${base}/v1/completions`, {
    method: 'POST',
    body: JSON.stringify({ prompt: 'x', stream: true, max_tokens: 6 }),
    signal: controller.signal,
  });
  const reader = res.body!.getReader();
  await reader.read();
  controller.abort();
  for (let i = 0; i < 50 && gen.aborted === before; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(gen.aborted, before + 1);
});

test('the remote client round-trips through lathe serve: streaming, stops, errors', async () => {
  const { OpenAiClient, RemoteError } = await import('../../../extension/core/backends/openaiClient');
  const client = new OpenAiClient({ baseUrl: `${base}/v1` });
  assert.equal((await client.info()).id, 'scripted');
  const streamed: string[] = [];
  const r = await client.generate({ prompt: 'hi', maxTokens: 10, stop: ['!'], onToken: (e) => streamed.push(e.text) });
  assert.equal(r.text, 'Hello, world');
  assert.deepEqual(streamed, ['Hello', ', ', 'world']);
  assert.equal(r.finishReason, 'stop');
  const cut = await client.generate({ prompt: 'hi', maxTokens: 2 });
  assert.equal(cut.finishReason, 'length');
  await assert.rejects(new OpenAiClient({ baseUrl: `${base}/v1`, model: 'nope' }).info(), /does not serve a model named 'nope'/);
  await assert.rejects(new OpenAiClient({ baseUrl: 'http://127.0.0.1:1/v1' }).info(), (e: unknown) => e instanceof RemoteError && /cannot reach/.test(e.message));
  // lathe serve offers llama.cpp's /tokenize and /apply-template, so Lathe can use it for every role.
  assert.deepEqual(await client.tokenize('xy'), [120, 121]);
  assert.equal(await client.renderChat([{ role: 'user', content: 'hi' }]), '<user>hi<assistant>');
  assert.equal(client.servedModel()?.fim?.family, 'starcoder');
});

test('the remote client chats through lathe serve\'s /v1/chat/completions: its template, streamed', async () => {
  const { OpenAiClient } = await import('../../../extension/core/backends/openaiClient');
  const client = new OpenAiClient({ baseUrl: `${base}/v1` });
  const streamed: string[] = [];
  const r = await client.chat({ messages: [{ role: 'user', content: 'hi' }], maxTokens: 10, stop: ['!'], onToken: (e) => streamed.push(e.text) });
  assert.equal(r.text, 'Hello, world');
  assert.deepEqual(streamed, ['Hello', ', ', 'world']);
  assert.equal(r.finishReason, 'stop');
  assert.equal(gen.requests.at(-1)?.prompt, '<user>hi<assistant>');
});
