import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { OpenAiClient } from '../../../extension/core/backends/openaiClient';

/** A server that answers the model list as configured and never answers completions. */
let mode: 'hang' | 'html' | 'shape' | 'models' = 'hang';
let server: Server;
let base = '';

before(async () => {
  server = createServer((req, res) => {
    if (req.url === '/v1/models' && mode === 'html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Sign in to the proxy</body></html>');
    } else if (req.url === '/v1/models' && mode === 'shape') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"models": []}');
    } else if (req.url === '/v1/models' && mode === 'models') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: [{ id: 'slow-coder', max_model_len: 2048 }] }));
    }
    // anything else: no answer at all
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

test('a server that hangs: the model list times out with a message instead of hanging', async () => {
  mode = 'hang';
  await assert.rejects(new OpenAiClient({ baseUrl: base, infoTimeoutMs: 200 }).info(), /\/v1\/models did not answer within 0\.2 s/);
});

test('a server that answers HTML or a wrong shape says so', async () => {
  mode = 'html';
  await assert.rejects(new OpenAiClient({ baseUrl: base }).info(), /answered with an HTML page, not an OpenAI-compatible model list/);
  mode = 'shape';
  await assert.rejects(new OpenAiClient({ baseUrl: base }).info(), /answered JSON without a model list/);
});

test('a completion from a server that stops answering falls back to nothing at its time limit', async () => {
  mode = 'models';
  const client = new OpenAiClient({ baseUrl: base });
  assert.equal((await client.info()).contextLength, 2048);
  const r = await client.generate({ prompt: 'def f(', maxTokens: 8, maxTimeMs: 200 });
  assert.equal(r.finishReason, 'time');
  assert.equal(r.text, '');
});
