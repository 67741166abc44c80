import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { runCli } from '../../../extension/cli/main';
import { OpenAiServer } from '../../../extension/core/backends/serve';
import { createLogger } from '../../../extension/core/common/logger';
import { FAMILY_FIM } from '../../../extension/core/models/fim';
import { TINY } from '../engine/helpers';
import { FakeHub, repoFromFolder } from '../helpers/fakeHub';
import { ScriptedGenerator } from '../helpers/scriptedGenerator';

const hub = new FakeHub();
const serve = new OpenAiServer({ generator: new ScriptedGenerator(['x']), modelId: 'served-coder', fimSpec: FAMILY_FIM.qwen, chatTemplate: true, log: createLogger({ log: () => undefined }, 'serve') });
let servePort = 0;
const store = mkdtempSync(join(tmpdir(), 'lathe-cli-models-'));

before(async () => {
  await hub.start();
  hub.repos.set('org/tiny', repoFromFolder(TINY));
  servePort = (await serve.listen(0)).port;
});
after(async () => {
  await serve.close(0);
  await hub.stop();
  rmSync(store, { recursive: true, force: true });
});

async function cli(t: TestContext, args: string[]): Promise<{ code: number; out: string; err: string[] }> {
  const lines: string[] = [];
  const errs: string[] = [];
  t.mock.method(console, 'log', (...a: unknown[]) => lines.push(a.join(' ')));
  t.mock.method(console, 'error', (...a: unknown[]) => errs.push(a.join(' ')));
  try {
    const code = await runCli(args, new AbortController().signal, (l) => errs.push(l));
    return { code, out: lines.join('\n'), err: errs };
  } finally {
    t.mock.restoreAll();
  }
}

interface Listed {
  offline: boolean;
  models: Array<{ kind: string; name: string; location: string; repo?: string; roles: { completion: { ok: boolean }; chat: { ok: boolean; why: string } } }>;
}

test('lathe models pull, list and rm (--json): a hub download that runs, with lathe serve detected as a local server', async (t) => {
  const pulled = await cli(t, ['models', 'pull', 'org/tiny', '--hub', hub.url, '--store', store, '--json']);
  assert.equal(pulled.code, 0, pulled.err.join('\n'));
  const r = JSON.parse(pulled.out) as { name: string; dir: string; dtype: string; files: number; downloadedBytes: number };
  assert.deepEqual([r.name, r.dtype, r.files], ['org--tiny', 'fp32', 5]);
  assert.ok(r.downloadedBytes > 500_000);
  assert.ok(pulled.err.some((l) => /org\/tiny at aaaaaaaaaaaa: fp32 weights onnx\/model\.onnx, 5 of 5 files to fetch/.test(l)));

  // The downloaded folder runs on the engine.
  const gen = await cli(t, ['generate', '--model', r.dir, '--prompt', 'def add(a, b):', '--max-tokens', '4', '--json']);
  assert.equal(gen.code, 0, gen.err.join('\n'));
  assert.equal((JSON.parse(gen.out) as { completionTokens: number }).completionTokens, 4);

  const listed = await cli(t, ['models', 'list', '--json', '--store', store, '--port', String(servePort)]);
  assert.equal(listed.code, 0);
  const doc = JSON.parse(listed.out) as Listed;
  const kinds = doc.models.map((m) => `${m.kind}:${m.name}`);
  assert.ok(kinds.includes('embedded:lathe-code-mini'), kinds.join(', '));
  assert.ok(kinds.includes('downloaded:org/tiny'), kinds.join(', '));
  // (Other servers on the known ports of this machine may be listed too.)
  const served = doc.models.find((m) => m.kind === 'server' && m.location === `http://127.0.0.1:${servePort}/v1`);
  assert.ok(served, kinds.join(', '));
  assert.equal(served.name, 'served-coder');
  assert.deepEqual([served.roles.completion.ok, served.roles.chat.ok], [true, true]);
  const dl = doc.models.find((m) => m.kind === 'downloaded')!;
  assert.deepEqual([dl.roles.completion.ok, dl.roles.chat.ok], [true, false]);
  assert.match(dl.roles.chat.why, /no chat template/);

  const text = await cli(t, ['models', 'list', '--store', store, '--port', String(servePort)]);
  assert.match(text.out, /^downloaded +org\/tiny +completion ✓ · chat ✗/m);

  const removed = await cli(t, ['models', 'rm', 'org/tiny', '--store', store, '--json']);
  assert.equal(removed.code, 0);
  assert.equal((JSON.parse(removed.out) as { removed: string }).removed, 'org--tiny');
  assert.equal(existsSync(r.dir), false);
  const again = await cli(t, ['models', 'rm', 'org/tiny', '--store', store]);
  assert.equal(again.code, 1);
  assert.match(again.err[0], /^lathe models: no downloaded model called 'org\/tiny'/);
});

test('lathe models: bad input gets one line that says what is wrong', async (t) => {
  const noRepo = await cli(t, ['models', 'pull', '--store', store]);
  assert.equal(noRepo.code, 2);
  assert.match(noRepo.err[0], /pull needs a repository id/);
  const bad = await cli(t, ['models', 'pull', 'org/nothing', '--hub', hub.url, '--store', store]);
  assert.equal(bad.code, 1);
  assert.match(bad.err[0], /^lathe models: there is no repository 'org\/nothing'/);
  const dtype = await cli(t, ['models', 'pull', 'org/tiny', '--dtype', 'q4', '--hub', hub.url, '--store', store]);
  assert.match(dtype.err[0], /has no q4 weights .* it has fp32/);
  const sub = await cli(t, ['models', 'frobnicate']);
  assert.match(sub.err[0], /unknown subcommand 'frobnicate'/);
});
