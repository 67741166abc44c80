import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { detectLocalServers, type ProbeTarget } from '../../../extension/core/backends/detect';
import { OpenAiServer } from '../../../extension/core/backends/serve';
import { serverRoles } from '../../../extension/core/backends/serverRoles';
import { createLogger } from '../../../extension/core/common/logger';
import { createNetwork } from '../../../extension/core/common/network';
import { FAMILY_FIM } from '../../../extension/core/models/fim';
import { ScriptedGenerator } from '../helpers/scriptedGenerator';

const network = createNetwork(false);
const log = createLogger({ log: () => undefined }, 'test');

function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port })));
}

/** A port nothing listens on: bound once, then closed. */
async function closedPort(): Promise<number> {
  const { server, port } = await listen(() => undefined);
  await new Promise((r) => server.close(r));
  return port;
}

describe('local server detection, with lathe serve standing in for a local server', () => {
  let serve: OpenAiServer;
  let servePort = 0;
  const others: Server[] = [];
  let htmlPort = 0;
  let shapePort = 0;
  let hangPort = 0;

  before(async () => {
    serve = new OpenAiServer({ generator: new ScriptedGenerator(['x']), modelId: 'qwen-like', fimSpec: FAMILY_FIM.qwen, chatTemplate: true, log });
    servePort = (await serve.listen(0)).port;
    const html = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>router admin</title>');
    });
    const shape = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ models: ['a'] }));
    });
    const hang = await listen(() => undefined);
    others.push(html.server, shape.server, hang.server);
    [htmlPort, shapePort, hangPort] = [html.port, shape.port, hang.port];
  });

  after(async () => {
    await serve.close(0);
    for (const s of others) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });

  test('finds lathe serve on its port, with its model, window, FIM tokens and chat template', async () => {
    // A generous probe limit: this test checks what is found, not how fast (a busy machine is slow).
    const d = await detectLocalServers({ network, targets: [{ product: 'vllm', port: servePort }], timeoutMs: 10_000 });
    assert.deepEqual(d.problems, []);
    assert.equal(d.servers.length, 1);
    const [s] = d.servers;
    assert.equal(s.product, 'lathe');
    assert.equal(s.label, `lathe serve on port ${servePort}`);
    assert.equal(s.baseUrl, `http://127.0.0.1:${servePort}/v1`);
    assert.equal(s.models[0].id, 'qwen-like');
    assert.equal(s.models[0].contextLength, 4096);
    assert.equal(s.models[0].fim?.family, 'qwen');
    const roles = serverRoles(s.product, s.models[0]);
    assert.equal(roles.completion.ok, true);
    assert.match(roles.completion.why, /reports fill-in-the-middle tokens \(qwen family\)/);
    assert.equal(roles.chat.ok, true);
  });

  test('a closed port is not running; HTML, a wrong shape and a hang are reported with the reason', async () => {
    const targets: ProbeTarget[] = [
      { product: 'ollama', port: await closedPort() },
      { product: 'lmstudio', port: htmlPort },
      { product: 'llamacpp', port: shapePort },
      { product: 'vllm', port: hangPort },
      { product: 'openai', port: servePort },
    ];
    const d = await detectLocalServers({ network, targets, timeoutMs: 2_000 });
    assert.deepEqual(d.servers.map((s) => s.baseUrl), [`http://127.0.0.1:${servePort}/v1`]);
    const reasons = Object.fromEntries(d.problems.map((p) => [p.target.port, p.reason]));
    assert.equal(Object.keys(reasons).length, 3);
    assert.match(reasons[htmlPort], /answered with an HTML page, not an OpenAI-compatible model list/);
    assert.match(reasons[shapePort], /answered JSON without a model list/);
    assert.match(reasons[hangPort], /no answer within 2000 ms/);
  });

  test('each probe is reported as it settles: a found server does not wait for a port that hangs', async () => {
    const targets: ProbeTarget[] = [
      { product: 'vllm', port: hangPort },
      { product: 'openai', port: servePort },
    ];
    const partials: Array<{ servers: string[]; problems: number[]; pending: number[] }> = [];
    const d = await detectLocalServers({
      network,
      targets,
      timeoutMs: 3_000,
      onPartial: (soFar, pending) => partials.push({ servers: soFar.servers.map((s) => s.label), problems: soFar.problems.map((p) => p.target.port), pending: pending.map((t) => t.port) }),
    });
    assert.deepEqual(partials, [
      { servers: [`lathe serve on port ${servePort}`], problems: [], pending: [hangPort] },
      { servers: [`lathe serve on port ${servePort}`], problems: [hangPort], pending: [] },
    ]);
    assert.deepEqual(d.problems.map((p) => p.reason), ['no answer within 3000 ms']);
  });

  test('probes stay on loopback', async () => {
    await assert.rejects(detectLocalServers({ network, targets: [{ product: 'vllm', port: 8000, host: '10.0.0.2' }] }), /loopback only/);
  });

  test('roles of servers that do not report themselves come from the model name and the product', () => {
    const ollama = serverRoles('ollama', { id: 'qwen2.5-coder:1.5b' });
    assert.equal(ollama.completion.ok, true);
    assert.match(ollama.completion.why, /qwen model by its name/);
    // Chat goes through the server's own chat endpoint, so every server product can chat.
    for (const product of ['ollama', 'vllm', 'lmstudio', 'llamacpp'] as const) {
      const roles = serverRoles(product, { id: 'mistral-7b-instruct' });
      assert.equal(roles.chat.ok, true, product);
      assert.match(roles.chat.why, /\/v1\/chat\/completions, with the model's own chat template/);
    }
    assert.match(ollama.chat.why, /^through Ollama's \/v1\/chat\/completions/);
    const llama = serverRoles('llamacpp', { id: 'mistral-7b-instruct' });
    assert.equal(llama.completion.ok, false);
    // lathe serve reports whether its model has a chat template.
    assert.deepEqual([serverRoles('lathe', { id: 'm', chatTemplate: false }).chat.ok, serverRoles('lathe', { id: 'm', chatTemplate: true }).chat.ok], [false, true]);
  });
});
