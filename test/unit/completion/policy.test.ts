import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompletionPolicy, remainder, type CompletionKey, type Fetcher } from '../../../extension/core/completion/policy';
import { FakeClock, flush } from '../helpers/fakeClock';

interface Call {
  key: CompletionKey;
  signal: AbortSignal;
  onFirst: (t: string) => void;
  /** Answers the call; `cut`: the model stopped at a limit before it ended the answer. */
  resolve: (t: string, cut?: boolean) => void;
  reject: (e: Error) => void;
}

function harness(opts: ConstructorParameters<typeof CompletionPolicy>[2] = {}) {
  const clock = new FakeClock();
  const calls: Call[] = [];
  const fetch: Fetcher = (key, signal, onFirst) =>
    new Promise((resolve, reject) => {
      calls.push({ key, signal, onFirst, resolve: (text, cut = false) => resolve({ text, cut }), reject });
    });
  const policy = new CompletionPolicy(fetch, clock, { minDebounceMs: 20, maxDebounceMs: 200, keepAliveMs: 1000, ...opts });
  return { clock, calls, policy };
}

const key = (prefix: string, suffix = '\n}'): CompletionKey => ({ languageId: 'typescript', prefix, suffix });
const live = () => new AbortController().signal;

test('debounces, asks the model once, then serves the same position from the cache', async () => {
  const { clock, calls, policy } = harness();
  const p = policy.provide(key('const x = foo'), live());
  await clock.advance(10);
  assert.equal(calls.length, 0, 'still debouncing');
  await clock.advance(200);
  assert.equal(calls.length, 1);
  calls[0].resolve('Bar();');
  const out = await p;
  assert.deepEqual([out?.text, out?.source], ['Bar();', 'model']);

  const again = await policy.provide(key('const x = foo'), live());
  assert.deepEqual([again?.text, again?.source], ['Bar();', 'cache']);
  assert.equal(calls.length, 1);
});

test('typing what the ghost text shows keeps showing the rest with no new request', async () => {
  const { clock, calls, policy } = harness();
  const p = policy.provide(key('let total = '), live());
  await clock.advance(300);
  calls[0].resolve('items.reduce((a, b) => a + b, 0);');
  await p;
  const next = await policy.provide(key('let total = ite'), live());
  assert.deepEqual([next?.text, next?.source], ['ms.reduce((a, b) => a + b, 0);', 'typed-through']);
  const diverged = policy.provide(key('let total = 4'), live());
  await clock.advance(300);
  assert.equal(calls.length, 2, 'typing something else asks the model again');
  calls[1].resolve('2;');
  assert.equal((await diverged)?.text, '2;');
});

test('an answer cut by a limit is shown at its position, but typing its start asks the model again', async () => {
  const { clock, calls, policy } = harness();
  const p = policy.provide(key('app.mount'), live());
  await clock.advance(300);
  calls[0].resolve("('/ledger', handleLedgerExport, { retries: 7 }", true);
  assert.equal((await p)?.text, "('/ledger', handleLedgerExport, { retries: 7 }");
  const again = await policy.provide(key('app.mount'), live());
  assert.deepEqual([again?.source, calls.length], ['cache', 1]);

  const typed = policy.provide(key("app.mount('/ledger', handleLedg"), live());
  await clock.advance(300);
  assert.equal(calls.length, 2, 'no typed-through from a cut line');
  calls[1].resolve('erExport, { retries: 7 });');
  assert.deepEqual([(await typed)?.text, (await typed)?.source], ['erExport, { retries: 7 });', 'model']);
});

test('a request still running that ends cut is not reused for the keystroke after it', async () => {
  const { clock, calls, policy } = harness();
  const first = new AbortController();
  const p = policy.provide(key('app.mount'), first.signal);
  await clock.advance(300);
  first.abort();
  assert.equal(await p, undefined);
  const next = policy.provide(key('app.mount('), live());
  await flush();
  calls[0].resolve("('/ledger', handleLedgerExport, { retries: 7 }", true);
  await clock.advance(300);
  assert.equal(calls.length, 2, 'the cut answer of the running request is not reused');
  calls[1].resolve("'/ledger', handleLedgerExport, { retries: 7 });");
  assert.deepEqual([(await next)?.text, (await next)?.source], ["'/ledger', handleLedgerExport, { retries: 7 });", 'model']);
});

test('a cancelled call leaves its request running; the next keystroke reuses it', async () => {
  const { clock, calls, policy } = harness();
  const first = new AbortController();
  const p1 = policy.provide(key('function add(a, b'), first.signal);
  await clock.advance(300);
  assert.equal(calls.length, 1);
  first.abort();
  assert.equal(await p1, undefined);
  assert.equal(calls[0].signal.aborted, false, 'kept alive for reuse');

  const p2 = policy.provide(key('function add(a, b)'), live());
  calls[0].resolve(') {\n  return a + b;\n}');
  const out = await p2;
  assert.deepEqual([out?.text, out?.source], [' {\n  return a + b;\n}', 'inflight']);
  assert.equal(calls.length, 1);
});

test('an abandoned request is aborted after the keep-alive, and superseded ones at once', async () => {
  const { clock, calls, policy } = harness();
  const c = new AbortController();
  const p = policy.provide(key('x.'), c.signal);
  await clock.advance(50);
  c.abort();
  await p;
  await clock.advance(999);
  assert.equal(calls[0].signal.aborted, false);
  await clock.advance(2);
  assert.equal(calls[0].signal.aborted, true);

  const q = policy.provide(key('y.'), live());
  await clock.advance(50);
  void policy.provide(key('zzz = '), live());
  await clock.advance(300);
  assert.equal(calls[1].signal.aborted, true, 'an incompatible request supersedes the old one');
  calls[1].reject(new Error('aborted'));
  await assert.rejects(q, /aborted/);
});

test('errors are not cached', async () => {
  const { clock, calls, policy } = harness();
  const p = policy.provide(key('a = '), live());
  await clock.advance(300);
  calls[0].reject(new Error('model crashed'));
  await assert.rejects(p, /model crashed/);
  const q = policy.provide(key('a = '), live());
  await clock.advance(300);
  assert.equal(calls.length, 2);
  calls[1].resolve('1');
  assert.equal((await q)?.text, '1');
});

test('the first line is shown early; the rest arrives in the background', async () => {
  const done: string[] = [];
  const { clock, calls, policy } = harness({ onBackgroundComplete: (_k, t) => done.push(t) });
  const p = policy.provide(key('if (ok) {\n'), live());
  await clock.advance(300);
  calls[0].onFirst('  run();\n');
  assert.equal((await p)?.text, '  run();\n');
  calls[0].resolve('  run();\n  stop();\n');
  await flush();
  assert.deepEqual(done, ['  run();\n  stop();\n']);
  assert.equal((await policy.provide(key('if (ok) {\n'), live()))?.text, '  run();\n  stop();\n');
});

test('debounce adapts: none after trigger characters or for a fast model, a wait for a slow one', async () => {
  const { clock, calls, policy } = harness();
  assert.equal(policy.debounceMs(key('foo(')), 20);
  assert.equal(policy.debounceMs(key('obj.')), 20);
  // The model takes ~400 ms per answer…
  for (let i = 0; i < 8; i++) {
    const p = policy.provide(key(`v${i} = `), live());
    await clock.advance(250);
    await clock.advance(400);
    calls.at(-1)!.resolve('1');
    await p;
  }
  // …and the typist presses a key every 40 ms: wait most of an interval for the next key.
  for (let i = 0; i < 20; i++) {
    policy.noteKeystroke();
    await clock.advance(40);
  }
  const slowModel = policy.debounceMs(key('abc'));
  assert.ok(slowModel > 20 && slowModel <= 200, `${slowModel}`);
  // Keystrokes slower than the model: ask at once.
  for (let i = 0; i < 20; i++) {
    policy.noteKeystroke();
    await clock.advance(1000);
  }
  assert.equal(policy.debounceMs(key('abc')), 20);
});

test('remainder tells what is left of a suggestion after typing', () => {
  assert.equal(remainder(key('a'), 'bcd', key('abc')), 'd');
  assert.equal(remainder(key('a'), 'bcd', key('abcd')), '');
  assert.equal(remainder(key('a'), 'bcd', key('ax')), undefined);
  assert.equal(remainder(key('a'), 'bcd', key('ab', 'other')), undefined);
});
