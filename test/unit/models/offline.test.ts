/**
 * Offline mode opens no connection: every socket connect in this file fails the test (the hook
 * records it and throws), while a hub, a model server and lathe serve are running on loopback.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { runCli } from '../../../extension/cli/main';
import { detectLocalServers } from '../../../extension/core/backends/detect';
import { OpenAiClient } from '../../../extension/core/backends/openaiClient';
import { OpenAiServer } from '../../../extension/core/backends/serve';
import { createLogger } from '../../../extension/core/common/logger';
import { createNetwork, OfflineError } from '../../../extension/core/common/network';
import { pullModel } from '../../../extension/core/models/hub/pull';
import { ModelStore } from '../../../extension/core/models/store';
import { TINY } from '../engine/helpers';
import { FakeHub, repoFromFolder } from '../helpers/fakeHub';
import { ScriptedGenerator } from '../helpers/scriptedGenerator';

const offline = createNetwork(true);
const hub = new FakeHub();
const serve = new OpenAiServer({ generator: new ScriptedGenerator(['x']), modelId: 'scripted', log: createLogger({ log: () => undefined }, 'serve') });
let servePort = 0;
const root = mkdtempSync(join(tmpdir(), 'lathe-offline-'));
const connects: string[] = [];
const sockets = net.Socket.prototype;
const realConnect = Object.getOwnPropertyDescriptor(sockets, 'connect')!;

before(async () => {
  await hub.start();
  hub.repos.set('org/tiny', repoFromFolder(TINY));
  servePort = (await serve.listen(0)).port;
  // From here on, any socket connect is recorded and fails.
  Object.defineProperty(sockets, 'connect', {
    ...realConnect,
    value(...args: unknown[]) {
      connects.push(JSON.stringify(args[0]));
      throw new Error('offline test: a socket connect was attempted');
    },
  });
});

after(async () => {
  Object.defineProperty(sockets, 'connect', realConnect);
  await serve.close(0);
  await hub.stop();
  rmSync(root, { recursive: true, force: true });
});

test('the hook works: an online request in this file is caught at connect', async () => {
  const before = connects.length;
  await assert.rejects(fetch(`http://127.0.0.1:${servePort}/health`));
  assert.equal(connects.length, before + 1);
  connects.length = before;
});

test('offline: server detection probes nothing', async () => {
  const d = await detectLocalServers({ network: offline, targets: [{ product: 'vllm', port: servePort }] });
  assert.deepEqual(d, { servers: [], problems: [], offline: true });
  assert.deepEqual(connects, []);
});

test('offline: a download is refused before any connection, saying why', async () => {
  await assert.rejects(pullModel({ store: new ModelStore(root), hubUrl: hub.url, network: offline, repo: 'org/tiny', dtype: 'auto' }), (err: unknown) => {
    assert.ok(err instanceof OfflineError);
    assert.match(err.message, /^Downloading models needs a network connection, and Lathe is in offline mode \(lathe\.offline\)/);
    return true;
  });
  assert.deepEqual(connects, []);
});

test('offline: a remote backend is refused before any connection', async () => {
  const client = new OpenAiClient({ baseUrl: `http://127.0.0.1:${servePort}/v1`, fetch: (url, init) => offline.fetch('The remote server', url, init) });
  await assert.rejects(client.info(), /The remote server needs a network connection, and Lathe is in offline mode/);
  await assert.rejects(client.generate({ prompt: 'x', maxTokens: 1 }), OfflineError);
  assert.deepEqual(connects, []);
});

async function cli(t: TestContext, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string[] }> {
  const lines: string[] = [];
  const errs: string[] = [];
  t.mock.method(console, 'log', (...a: unknown[]) => lines.push(a.join(' ')));
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const code = await runCli(args, new AbortController().signal, (l) => errs.push(l));
    return { code, out: lines.join('\n'), err: errs };
  } finally {
    process.env = saved;
    t.mock.restoreAll();
  }
}

test('offline: lathe models list and pull (--offline or LATHE_OFFLINE=1) open no connection', async (t) => {
  const list = await cli(t, ['models', 'list', '--json', '--offline', '--store', root, '--port', String(servePort)]);
  assert.equal(list.code, 0);
  const doc = JSON.parse(list.out) as { offline: boolean; models: Array<{ kind: string }> };
  assert.equal(doc.offline, true);
  assert.deepEqual(doc.models.map((m) => m.kind), ['embedded']);
  const pull = await cli(t, ['models', 'pull', 'org/tiny', '--hub', hub.url, '--store', root], { LATHE_OFFLINE: '1' });
  assert.equal(pull.code, 1);
  assert.match(pull.err[0], /^lathe models: Downloading models needs a network connection, and Lathe is in offline mode/);
  assert.deepEqual(connects, []);
});
