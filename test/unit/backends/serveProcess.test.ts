/**
 * `lathe serve` as a process on the real engine (the tiny fixture model): the token, request
 * limits against the model's real window, the queue, a client that disconnects, SIGTERM with a
 * stream in flight, and the warning when binding off loopback without a token.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TINY } from '../engine/helpers';

const CLI = resolve(__dirname, '../../../extension/cli/main.ts');
/** Greedy on the fixture model, this prompt runs the full max_tokens (no end-of-text on the way). */
const LONG_PROMPT = 'hello world';

interface Serve {
  proc: ChildProcess;
  base: string;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

function startServe(args: string[]): Promise<Serve> {
  const proc = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--model', TINY, '--port', '0', '--verbose', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const s: Serve = { proc, base: '', stdout: '', stderr: '', exited: new Promise((r) => proc.once('exit', (code) => r(code))) };
  proc.stderr.on('data', (d: Buffer) => (s.stderr += d.toString()));
  return new Promise((resolvePromise, reject) => {
    proc.stdout.on('data', (d: Buffer) => {
      s.stdout += d.toString();
      const m = /at (http:\/\/[^ ]+:\d+)\/v1/.exec(s.stdout);
      if (m && !s.base) {
        s.base = m[1];
        resolvePromise(s);
      }
    });
    void s.exited.then((code) => reject(new Error(`lathe serve exited with ${code}: ${s.stderr}`)));
  });
}

const TOKEN = 'process-test-token';
const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('lathe serve on the real engine', () => {
  let s: Serve;
  before(async () => (s = await startServe(['--token', TOKEN, '--queue', '0'])));
  after(async () => {
    s.proc.kill('SIGKILL');
    await s.exited;
  });
  const post = (path: string, body: unknown, headers: Record<string, string> = auth, signal?: AbortSignal) => fetch(`${s.base}${path}`, { method: 'POST', headers, body: JSON.stringify(body), signal });
  const running = async () => ((await (await fetch(`${s.base}/health`, { headers: auth })).json()) as { running: number }).running;

  test('says it wants a token; refuses requests without it; serves with it', async () => {
    assert.match(s.stdout, /lathe serve: tiny-llama at http:\/\/127\.0\.0\.1:\d+\/v1 \(token required\)/);
    assert.equal((await fetch(`${s.base}/v1/models`)).status, 401);
    assert.equal((await post('/v1/completions', { prompt: 'x' }, { 'content-type': 'application/json', authorization: 'Bearer nope' })).status, 401);
    const ok = await post('/v1/completions', { prompt: 'def add(a, b):', max_tokens: 4 });
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as { usage: { completion_tokens: number } }).usage.completion_tokens, 4);
  });

  test('a prompt over the model\'s 512-token window is a 400 with the numbers; max_tokens must be an integer', async () => {
    const long = await post('/v1/completions', { prompt: 'const value = compute(a, b, c);\n'.repeat(120), max_tokens: 8 });
    assert.equal(long.status, 400);
    assert.match(((await long.json()) as { error: { message: string } }).error.message, /^the prompt is \d+ tokens; the model's context window is 512 tokens$/);
    const frac = await post('/v1/completions', { prompt: 'x', max_tokens: 2.5 });
    assert.equal(frac.status, 400);
  });

  test('with --queue 0 a second request while one runs gets 503 with Retry-After', async () => {
    const first = post('/v1/completions', { prompt: LONG_PROMPT, max_tokens: 450, temperature: 0 });
    await until(async () => (await running()) === 1, 'the first request to run');
    const second = await post('/v1/completions', { prompt: 'x', max_tokens: 1 });
    assert.equal(second.status, 503);
    assert.match(second.headers.get('retry-after') ?? '', /^\d+$/);
    assert.equal((await first).status, 200);
  });

  test('a client that disconnects mid-stream cancels its generation', async () => {
    const controller = new AbortController();
    const res = await post('/v1/completions', { prompt: LONG_PROMPT, max_tokens: 450, temperature: 0, stream: true }, auth, controller.signal);
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await until(() => /POST \/v1\/completions 200 \(cancelled\)/.test(s.stderr), 'the server to log the cancelled request');
    await until(async () => (await running()) === 0, 'the slot to be free');
  });
});

describe('lathe serve lifecycle', () => {
  test('SIGTERM lets the stream in flight finish, then exits 0', async () => {
    const s = await startServe([]);
    const res = await fetch(`${s.base}/v1/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: LONG_PROMPT, max_tokens: 450, temperature: 0, stream: true }) });
    const chunks = (res.body as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    const decoder = new TextDecoder();
    const first = await chunks.next();
    let body = first.done ? '' : decoder.decode(first.value);
    s.proc.kill('SIGTERM');
    for (let n = await chunks.next(); !n.done; n = await chunks.next()) body += decoder.decode(n.value);
    assert.match(body, /"finish_reason":"(length|stop)"[\s\S]*data: \[DONE\]\n\n$/);
    assert.doesNotMatch(body, /"error"/);
    assert.equal(await s.exited, 0);
    assert.match(s.stderr, /lathe serve: stopping/);
    assert.match(s.stderr, /lathe serve: stopped/);
  });

  test('binding off loopback without a token warns; Ctrl+C stops it cleanly', async () => {
    const s = await startServe(['--host', '0.0.0.0']);
    assert.match(s.stderr, /warning: listening on 0\.0\.0\.0 without a token: anyone who can reach this machine can use the model; pass --token or set LATHE_SERVE_TOKEN/);
    s.proc.kill('SIGINT');
    assert.equal(await s.exited, 0);
  });
});
