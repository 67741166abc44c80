/**
 * Chat on a remote server: the OpenAI client sends messages to /v1/chat/completions and reads
 * the streamed answer with the same reader as /v1/completions (text, logprobs, usage, finish);
 * HTTP errors, error events, HTML pages, a hang and a cancel mid-stream are reported the same
 * way on both paths. `generateChat` uses the server's chat, and a local generator's template.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { OpenAiClient, RemoteError } from '../../../extension/core/backends/openaiClient';
import { generateChat, type TokenEvent } from '../../../extension/core/engine/shared/generator';
import { FakeChatServer } from '../helpers/fakeChatServer';
import { ScriptedGenerator } from '../helpers/scriptedGenerator';

const fake = new FakeChatServer();
before(() => fake.start());
after(() => fake.stop());
beforeEach(() => {
  fake.requests.length = 0;
  fake.options = { pieces: ['Hello', ' there', '.'], llamaExtras: false };
});

const messages = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Say hello' },
] as const;

describe('chat through a server', () => {
  test('messages go to /v1/chat/completions as they are; the answer streams with logprobs and usage', async () => {
    const client = new OpenAiClient({ baseUrl: fake.base });
    const events: TokenEvent[] = [];
    const r = await generateChat(client, { messages, maxTokens: 32, temperature: 0.3, topP: 0.9, seed: 7, stop: ['\n\n'], logprobs: 2, onToken: (e) => events.push(e) });
    assert.deepEqual(fake.paths(), ['/v1/models', '/v1/chat/completions']);
    const body = fake.requests[1].body;
    assert.deepEqual(body.messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Say hello' },
    ]);
    assert.equal(body.model, 'chat-model');
    assert.equal(body.stream, true);
    assert.deepEqual([body.max_tokens, body.temperature, body.top_p, body.seed, body.stop, body.logprobs, body.top_logprobs], [32, 0.3, 0.9, 7, ['\n\n'], true, 2]);
    assert.equal(body.prompt, undefined);
    assert.equal(r.text, 'Hello there.');
    assert.equal(r.finishReason, 'stop');
    assert.deepEqual([r.promptTokens, r.completionTokens], [21, 3]);
    assert.deepEqual(events.map((e) => e.text), ['Hello', ' there', '.']);
    assert.deepEqual(r.tokens, events);
    assert.deepEqual(events[1], { text: ' there', tokenId: -1, logprob: -0.2, top: [{ token: ' there', logprob: -0.2 }, { token: '?', logprob: -5 }] });
    assert.ok(r.timings.ttftMs <= r.timings.totalMs);
  });

  test('without logprobs asked, none are requested; events carry only text', async () => {
    const r = await new OpenAiClient({ baseUrl: fake.base }).chat({ messages, maxTokens: 8 });
    assert.equal(fake.requests[1].body.logprobs, undefined);
    assert.deepEqual(r.tokens[0], { text: 'Hello', tokenId: -1 });
  });

  test('completions read by the same stream reader: completion-shaped logprobs become the same events', async () => {
    const r = await new OpenAiClient({ baseUrl: fake.base }).generate({ prompt: 'def f(', maxTokens: 8, logprobs: 2 });
    assert.equal(fake.requests[1].path, '/v1/completions');
    assert.equal(fake.requests[1].body.logprobs, 2);
    assert.equal(r.text, 'Hello there.');
    assert.deepEqual(r.tokens[0], { text: 'Hello', tokenId: -1, logprob: -0.1, top: [{ token: 'Hello', logprob: -0.1 }, { token: '?', logprob: -5 }] });
  });

  test('a generator without its own chat renders its chat template and generates (the local engine\'s path)', async () => {
    const local = new ScriptedGenerator(['Hi', '!']);
    const streamed: string[] = [];
    const r = await generateChat(local, { messages, maxTokens: 4, onToken: (e) => streamed.push(e.text) });
    assert.equal(local.requests[0].prompt, '<system>Be brief.<user>Say hello<assistant>');
    assert.equal(local.requests[0].maxTokens, 4);
    assert.equal(r.text, 'Hi!');
    assert.deepEqual(streamed, ['Hi', '!']);
  });
});

describe('chat errors, reported like completions', () => {
  const client = () => new OpenAiClient({ baseUrl: fake.base });

  test('an HTTP error names the endpoint, the status and the server\'s message, on both paths', async () => {
    fake.options.override = (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'model "chat-model" does not support chat' } }));
    };
    await assert.rejects(client().chat({ messages, maxTokens: 8 }), (e: unknown) => {
      assert.ok(e instanceof RemoteError);
      assert.equal(e.status, 400);
      assert.equal(e.message, `${fake.base}/chat/completions answered 400: model "chat-model" does not support chat`);
      return true;
    });
    await assert.rejects(client().generate({ prompt: 'x', maxTokens: 8 }), /\/v1\/completions answered 400: model "chat-model" does not support chat/);
  });

  test('an error event in the middle of the stream is an error, not a short answer', async () => {
    fake.options.override = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'Hel' } }] })}\n\n`);
      res.end(`data: ${JSON.stringify({ error: { message: 'CUDA out of memory' } })}\n\ndata: [DONE]\n\n`);
    };
    const seen: string[] = [];
    await assert.rejects(client().chat({ messages, maxTokens: 8, onToken: (e) => seen.push(e.text) }), (e: unknown) => e instanceof RemoteError && e.message === `${fake.base}/chat/completions reported an error: CUDA out of memory`);
    assert.deepEqual(seen, ['Hel']);
  });

  test('an HTML page (a proxy\'s sign-in) or an answer that is no event stream says so', async () => {
    fake.options.override = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Sign in</body></html>');
    };
    await assert.rejects(client().chat({ messages, maxTokens: 8 }), /\/v1\/chat\/completions answered with an HTML page, not an OpenAI-compatible event stream/);
    fake.options.override = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('<!DOCTYPE html><p>Sign in</p>');
    };
    await assert.rejects(client().chat({ messages, maxTokens: 8 }), /answered without a single event/);
    fake.options.override = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: <html>oops</html>\n\n');
    };
    await assert.rejects(client().generate({ prompt: 'x', maxTokens: 8 }), /\/v1\/completions answered with an HTML page/);
  });

  test('a server that ignored "stream": true and sent one JSON answer is read all the same', async () => {
    fake.options.override = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: 'Whole answer.' }, finish_reason: 'length' }], usage: { prompt_tokens: 9, completion_tokens: 3 } }));
    };
    const r = await client().chat({ messages, maxTokens: 3 });
    assert.deepEqual([r.text, r.finishReason, r.promptTokens, r.completionTokens], ['Whole answer.', 'length', 9, 3]);
  });

  test('a server that stops answering: the time limit ends the chat with what arrived', async () => {
    fake.options.override = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'Partial' } }] })}\n\n`);
      // then nothing, ever
    };
    const r = await client().chat({ messages, maxTokens: 8, maxTimeMs: 300 });
    assert.equal(r.finishReason, 'time');
    assert.equal(r.text, 'Partial');
  });

  test('a cancel mid-stream ends the chat with what arrived and hangs up on the server', async () => {
    fake.options.pieces = Array.from({ length: 400 }, (_, i) => `w${i} `);
    const hangup = fake.nextHangup();
    const controller = new AbortController();
    const seen: string[] = [];
    const r = await client().chat(
      {
        messages,
        maxTokens: 400,
        onToken: (e) => {
          seen.push(e.text);
          if (seen.length === 3) controller.abort();
        },
      },
      controller.signal,
    );
    assert.equal(r.finishReason, 'abort');
    assert.ok(r.text.startsWith('w0 w1 w2 '), r.text);
    assert.ok(seen.length < 400);
    assert.equal(r.text, seen.join(''));
    // The server sees the connection close before its answer ended.
    await hangup;
    assert.equal(fake.hangups, 1);
  });
});
