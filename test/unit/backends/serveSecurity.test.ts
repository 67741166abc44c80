import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { OpenAiServer } from '../../../extension/core/backends/serve';
import { createLogger } from '../../../extension/core/common/logger';
import { rawHttp } from '../helpers/rawHttp';
import { ScriptedGenerator } from '../helpers/scriptedGenerator';

const log = createLogger({ log: () => undefined }, 'serve');
const json = (body: unknown) => JSON.stringify(body);

async function started(options: Partial<ConstructorParameters<typeof OpenAiServer>[0]> & { host?: string } = {}) {
  const gen = (options.generator as ScriptedGenerator | undefined) ?? new ScriptedGenerator(['a', 'b', 'c'], 0);
  const server = new OpenAiServer({ generator: gen, modelId: 'scripted', log, ...options });
  const addr = await server.listen(0, options.host ?? '127.0.0.1');
  return { server, gen, port: addr.port };
}

describe('lathe serve: token', () => {
  let s: Awaited<ReturnType<typeof started>>;
  before(async () => (s = await started({ token: 's3cret-token' })));
  after(() => s.server.close(0));

  test('every route needs the bearer token; a wrong or missing one is 401', async () => {
    for (const path of ['/v1/models', '/health', '/v1/completions', '/tokenize', '/nope']) {
      const method = path === '/v1/models' || path === '/health' ? 'GET' : 'POST';
      for (const auth of [undefined, 'Bearer wrong', 'Bearer s3cret-token-and-more', 'Basic s3cret-token', 'Bearer ']) {
        const r = await rawHttp(s.port, { method, path, headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) }, body: method === 'POST' ? json({ prompt: 'x' }) : undefined });
        assert.equal(r.status, 401, `${method} ${path} with ${auth}`);
        assert.equal(r.headers['www-authenticate'], 'Bearer');
        assert.match((JSON.parse(r.body) as { error: { message: string } }).error.message, /requires "Authorization: Bearer <token>"/);
      }
    }
    assert.equal(s.gen.requests.length, 0);
  });

  test('the right token is served', async () => {
    const r = await rawHttp(s.port, { method: 'POST', path: '/v1/completions', headers: { authorization: 'Bearer s3cret-token' }, body: json({ prompt: 'x', max_tokens: 2 }) });
    assert.equal(r.status, 200);
    assert.equal((JSON.parse(r.body) as { choices: Array<{ text: string }> }).choices[0].text, 'ab');
  });
});

describe('lathe serve: Host and Origin', () => {
  let s: Awaited<ReturnType<typeof started>>;
  before(async () => (s = await started()));
  after(() => s.server.close(0));

  test('a text/plain POST from another origin with a rebound Host is refused and runs nothing', async () => {
    const before = s.gen.requests.length;
    const attack = await rawHttp(s.port, { method: 'POST', path: '/v1/completions', headers: { 'content-type': 'text/plain', origin: 'http://evil.example', host: 'evil.example' }, body: json({ prompt: 'x' }) });
    assert.equal(attack.status, 403);
    const rebound = await rawHttp(s.port, { method: 'POST', path: '/v1/completions', headers: { 'content-type': 'text/plain', host: `evil.example:${s.port}` }, body: json({ prompt: 'x' }) });
    assert.equal(rebound.status, 403);
    assert.match(rebound.body, /Host header 'evil\.example:\d+' does not name this server/);
    const crossSite = await rawHttp(s.port, { method: 'POST', path: '/v1/completions', headers: { 'content-type': 'text/plain', origin: 'http://evil.example' }, body: json({ prompt: 'x' }) });
    assert.equal(crossSite.status, 403);
    assert.match(crossSite.body, /web origin 'http:\/\/evil\.example' are refused/);
    const opaque = await rawHttp(s.port, { path: '/v1/models', headers: { origin: 'null' } });
    assert.equal(opaque.status, 403);
    const otherPort = await rawHttp(s.port, { path: '/v1/models', headers: { host: `127.0.0.1:${s.port + 1}` } });
    assert.equal(otherPort.status, 403);
    assert.equal(s.gen.requests.length, before);
  });

  test('loopback names with the bound port, and the server\'s own origin, are served', async () => {
    for (const host of [`127.0.0.1:${s.port}`, `localhost:${s.port}`, `[::1]:${s.port}`]) {
      assert.equal((await rawHttp(s.port, { path: '/v1/models', headers: { host } })).status, 200, host);
    }
    const own = await rawHttp(s.port, { path: '/v1/models', headers: { origin: `http://localhost:${s.port}` } });
    assert.equal(own.status, 200);
  });

  test('bound to every interface: IP literals and --allowed-host names pass, other names do not', async () => {
    const wide = await started({ host: '0.0.0.0', allowedHosts: ['gpu-box.lan'] });
    try {
      assert.equal((await rawHttp(wide.port, { path: '/health', headers: { host: `10.1.2.3:${wide.port}` } })).status, 200);
      assert.equal((await rawHttp(wide.port, { path: '/health', headers: { host: `gpu-box.lan:${wide.port}` } })).status, 200);
      assert.equal((await rawHttp(wide.port, { path: '/health', headers: { host: `attacker.example:${wide.port}` } })).status, 403);
    } finally {
      await wide.server.close(0);
    }
  });
});

describe('lathe serve: request limits', () => {
  let s: Awaited<ReturnType<typeof started>>;
  before(async () => (s = await started()));
  after(() => s.server.close(0));
  const post = (path: string, body: unknown) => rawHttp(s.port, { method: 'POST', path, headers: { 'content-type': 'application/json' }, body: json(body) });
  const error = (r: { body: string }) => (JSON.parse(r.body) as { error: { message: string; param: string | null } }).error;

  test('max_tokens must be an integer in range; n other than 1 is refused', async () => {
    for (const max of [1.5, '8', 0, 40_000]) {
      const r = await post('/v1/completions', { prompt: 'x', max_tokens: max });
      assert.equal(r.status, 400, String(max));
      assert.equal(error(r).param, 'max_tokens');
      assert.match(error(r).message, /must be an integer in \[1, 32768\]/);
    }
    const n = await post('/v1/chat/completions', { messages: [{ role: 'user', content: 'hi' }], n: 3 });
    assert.equal(n.status, 400);
    assert.equal(error(n).param, 'n');
    assert.match(error(n).message, /'n' must be 1/);
    assert.equal((await post('/v1/completions', { prompt: 'x', max_tokens: 1, n: 1 })).status, 200);
  });

  test('a prompt longer than the model\'s window is a 400 with the numbers, not a 500', async () => {
    // The scripted model has a 4096-token window and one token per character.
    const long = await post('/v1/completions', { prompt: 'x'.repeat(5000) });
    assert.equal(long.status, 400);
    assert.match(error(long).message, /the prompt is 5000 tokens; the model's context window is 4096 tokens/);
    const tight = await post('/v1/completions', { prompt: 'x'.repeat(4000), max_tokens: 200 });
    assert.equal(tight.status, 400);
    assert.equal(error(tight).param, 'max_tokens');
    assert.match(error(tight).message, /lower max_tokens to at most 96/);
  });

  test('/v1/models tells Lathe clients the window, FIM tokens and chat template', async () => {
    const r = await rawHttp(s.port, { path: '/v1/models' });
    const entry = (JSON.parse(r.body) as { data: Array<Record<string, unknown>> }).data[0];
    assert.equal(entry.context_length, 4096);
    assert.deepEqual(entry.lathe, { fim: null, chat_template: false });
  });

  test('/tokenize and /apply-template in llama.cpp\'s shapes', async () => {
    assert.deepEqual(JSON.parse((await post('/tokenize', { content: 'ab' })).body), { tokens: [97, 98] });
    assert.deepEqual(JSON.parse((await post('/apply-template', { messages: [{ role: 'user', content: 'hi' }] })).body), { prompt: '<user>hi<assistant>' });
    assert.equal((await post('/apply-template', { messages: [] })).status, 400);
  });
});

describe('lathe serve: queue and shutdown', () => {
  test('a full queue answers 503 with Retry-After; waiting requests run in order', async () => {
    const gen = new ScriptedGenerator(['a', 'b', 'c', 'd'], 40);
    const s = await started({ generator: gen, parallel: 1, maxQueue: 2 });
    try {
      const body = json({ prompt: 'x', max_tokens: 4 });
      const send = () => rawHttp(s.port, { method: 'POST', path: '/v1/completions', headers: { 'content-type': 'application/json' }, body });
      const first = send();
      // Wait until the first request holds the slot, then fill the queue.
      for (let i = 0; i < 100 && s.server.load.running === 0; i++) await new Promise((r) => setTimeout(r, 5));
      const queued = [send(), send()];
      for (let i = 0; i < 100 && s.server.load.waiting < 2; i++) await new Promise((r) => setTimeout(r, 5));
      const refused = await send();
      assert.equal(refused.status, 503);
      assert.match(String(refused.headers['retry-after']), /^\d+$/);
      assert.ok(Number(refused.headers['retry-after']) >= 1);
      assert.match(refused.body, /the server is busy \(2 requests waiting\)/);
      const done = await Promise.all([first, ...queued]);
      assert.deepEqual(done.map((r) => r.status), [200, 200, 200]);
      assert.equal(gen.requests.length, 3);
    } finally {
      await s.server.close(0);
    }
  });

  test('close() lets a running stream finish within the grace period and refuses new requests', async () => {
    const gen = new ScriptedGenerator(['a', 'b', 'c', 'd', 'e'], 30);
    const s = await started({ generator: gen });
    const stream = rawHttp(s.port, { method: 'POST', path: '/v1/completions', headers: { 'content-type': 'application/json' }, body: json({ prompt: 'x', max_tokens: 5, stream: true }) });
    for (let i = 0; i < 100 && s.server.load.running === 0; i++) await new Promise((r) => setTimeout(r, 5));
    const closing = s.server.close(5_000);
    const r = await stream;
    await closing;
    assert.equal(r.status, 200);
    assert.match(r.body, /"text":"e"[\s\S]*"finish_reason":"stop"[\s\S]*data: \[DONE\]/);
    assert.equal(gen.aborted, 0);
    await assert.rejects(rawHttp(s.port, { path: '/health' }), /ECONNREFUSED/);
  });

  test('close() cancels a stream still running when the grace period ends; it ends with an error event', async () => {
    const gen = new ScriptedGenerator(Array.from({ length: 200 }, () => 'z'), 20);
    const s = await started({ generator: gen });
    const stream = rawHttp(s.port, { method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, body: json({ messages: [{ role: 'user', content: 'go' }], max_tokens: 200, stream: true }) });
    for (let i = 0; i < 100 && s.server.load.running === 0; i++) await new Promise((r) => setTimeout(r, 5));
    await s.server.close(100);
    const r = await stream;
    assert.equal(gen.aborted, 1);
    assert.match(r.body, /"error":\{"message":"the server shut down before the answer was complete"[\s\S]*data: \[DONE\]\n\n$/);
  });
});
