import assert from 'node:assert/strict';
import { after, before, test, type TestContext } from 'node:test';
import { serveBench } from '../../../extension/cli/bench/serve/serveBench';
import { OpenAiServer } from '../../../extension/core/backends/serve';
import { createLogger } from '../../../extension/core/common/logger';
import { FAMILY_FIM } from '../../../extension/core/models/fim';
import { ScriptedGenerator } from '../helpers/scriptedGenerator';

const gen = new ScriptedGenerator(['a', 'b', 'c', 'd'], 1);
const server = new OpenAiServer({ generator: gen, modelId: 'scripted', fimSpec: FAMILY_FIM.qwen, chatTemplate: true, token: 'k', maxQueue: 8, log: createLogger({ log: () => undefined }, 'serve') });
let url = '';
before(async () => (url = `http://127.0.0.1:${(await server.listen(0)).port}/v1`));
after(() => server.close(0));

async function bench(t: TestContext, args: string[]): Promise<Record<string, unknown>> {
  const out: string[] = [];
  t.mock.method(console, 'log', (s: string) => out.push(s));
  try {
    assert.equal(await serveBench.run(args, new AbortController().signal), 0);
  } finally {
    t.mock.restoreAll();
  }
  return JSON.parse(out.join('\n')) as Record<string, unknown>;
}

test('bench serve --url: the same load against a running server, per concurrency level, as JSON', async (t) => {
  const before = gen.requests.length;
  const r = await bench(t, ['--url', url, '--api-key', 'k', '--concurrency', '1,4', '--requests', '4', '--max-tokens', '3', '--json']);
  assert.equal(r.requests, 8);
  assert.equal(r.errors, 0);
  for (const key of ['p50_ms', 'p95_ms', 'tokens_per_s']) assert.equal(typeof r[key], 'number', key);
  assert.equal(r.max_rss_mb, null, 'a server this process did not start has no memory figure');
  assert.equal(r.completions, 'fill-in-the-middle (qwen)');
  assert.equal(r.streaming, 'chat');
  const levels = r.concurrency as Record<string, { requests: number; errors: number }>;
  assert.deepEqual(Object.keys(levels), ['1', '4']);
  assert.deepEqual([levels['1'].requests, levels['4'].requests], [4, 4]);
  // Warm-up + 8: FIM prompts built like the editor's, and chat prompts through the template.
  const sent = gen.requests.slice(before);
  assert.equal(sent.length, 9);
  assert.ok(sent.some((q) => q.prompt.startsWith('<|fim_prefix|>// request')));
  assert.ok(sent.some((q) => q.prompt.startsWith('<user>Complete this code')));
});

test('bench serve --url with a wrong key says so', async () => {
  await assert.rejects(serveBench.run(['--url', url, '--api-key', 'wrong', '--json'], new AbortController().signal), /answered HTTP 401 \(pass --api-key\)/);
});
