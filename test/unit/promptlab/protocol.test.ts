import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Envelope } from '../../../extension/protocol/envelope';
import { Peer } from '../../../extension/protocol/peer';
import { promptLabContract } from '../../../extension/protocol/promptlab';

const { toHost, toWebview } = promptLabContract;

function host() {
  const sent: Envelope[] = [];
  const errors: string[] = [];
  const peer = new Peer(toHost, toWebview, (m) => sent.push(m), (e) => errors.push(e));
  peer.handle('run', () => ({ model: 'm', text: '', finishReason: 'eos', promptTokens: 0, completionTokens: 0, ttftMs: 0, totalMs: 0, tokensPerSecond: 0 }));
  peer.handle('compare', () => assert.fail('compare must not run with invalid params'));
  peer.handle('savePreference', () => assert.fail('savePreference must not run with invalid params'));
  return { peer, sent, errors };
}

const draft = { body: 'user:\n{{ q }}', parameters: { temperature: 0.2, stop: ['\n'] }, values: { q: 'hi' } };

test('the host accepts a well-formed run request', async () => {
  const { peer, sent } = host();
  await peer.receive({ kind: 'request', id: 1, method: 'run', params: { runId: 'r', draft } });
  assert.equal((sent[0] as { ok: boolean }).ok, true);
});

test('the host rejects malformed drafts with the field named', async () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ runId: 'r', draft: { ...draft, values: { q: 3 } } }, /params\.draft\.values\.q must be a string/],
    [{ runId: 'r', draft: { ...draft, parameters: { temperature: 'hot' } } }, /params\.draft\.parameters\.temperature must be a finite number/],
    [{ runId: 'r', draft: { ...draft, parameters: { stop: 'x' } } }, /params\.draft\.parameters\.stop must be an array/],
    [{ runId: 'r', draft: { ...draft, script: 'x' } }, /params\.draft\.script is not a known field/],
    [{ draft }, /params\.runId must be a string/],
  ];
  for (const [params, expected] of cases) {
    const { peer, sent } = host();
    await peer.receive({ kind: 'request', id: 2, method: 'run', params });
    const reply = sent[0] as { ok: boolean; error: { code: string; message: string } };
    assert.equal(reply.ok, false);
    assert.equal(reply.error.code, 'invalid-params');
    assert.match(reply.error.message, expected);
  }
});

test('side by side is limited to MAX_COLUMNS and preference formats are checked', async () => {
  const { peer, sent } = host();
  const columns = Array.from({ length: 7 }, (_, i) => ({ label: `c${i}`, draft }));
  await peer.receive({ kind: 'request', id: 3, method: 'compare', params: { runId: 'c', columns } });
  assert.match((sent[0] as { error: { message: string } }).error.message, /params\.columns has more than 6 items/);
  await peer.receive({ kind: 'request', id: 4, method: 'savePreference', params: { format: 'kto', draft, preferred: 'a', rejected: [] } });
  assert.match((sent[1] as { error: { message: string } }).error.message, /params\.format must be one of dpo, sft/);
});

test('the webview checks streamed tokens from the host', async () => {
  const errors: string[] = [];
  const got: unknown[] = [];
  const peer = new Peer(toWebview, toHost, () => {}, (e) => errors.push(e));
  peer.on('tokens', (t) => got.push(t));
  await peer.receive({ kind: 'notification', method: 'tokens', params: { runId: 'r', column: 0, tokens: [{ text: 'a', logprob: -0.1, top: [{ token: 'a', logprob: -0.1 }] }] } });
  await peer.receive({ kind: 'notification', method: 'tokens', params: { runId: 'r', column: 0, tokens: [{ text: 1 }] } });
  assert.equal(got.length, 1);
  assert.match(errors[0], /params\.tokens\[0\]\.text must be a string/);
});

test('the webview checks the model state the host reports', async () => {
  const errors: string[] = [];
  const states: string[] = [];
  const peer = new Peer(toWebview, toHost, () => {}, (e) => errors.push(e));
  peer.on('init', (s) => states.push(s.modelState));
  const capability = { chat: false, fim: true, contextLength: 384, summary: 'completion only · fill-in-the-middle · 384-token window', note: 'm is a small code-completion model…' };
  await peer.receive({ kind: 'notification', method: 'init', params: { extensionVersion: '1', modelName: 'm', modelState: 'loading', capability } });
  await peer.receive({ kind: 'notification', method: 'init', params: { extensionVersion: '1', modelName: 'm', modelState: 'warming', capability } });
  await peer.receive({ kind: 'notification', method: 'init', params: { extensionVersion: '1', modelName: 'm', modelState: 'ready', capability: { chat: 'no' } } });
  assert.deepEqual(states, ['loading']);
  assert.match(errors[0], /params\.modelState must be one of unloaded, loading, ready, error/);
  assert.match(errors[1], /params\.capability\.chat must be/);
});
