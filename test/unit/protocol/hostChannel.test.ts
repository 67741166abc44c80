import assert from 'node:assert/strict';
import { test } from 'node:test';
import { num, object, str } from '../../../extension/base/schema';
import { webviewContract } from '../../../extension/protocol/contract';
import type { Envelope } from '../../../extension/protocol/envelope';
import { HostChannel, type WebviewPort } from '../../../extension/protocol/hostChannel';
import { Peer } from '../../../extension/protocol/peer';

const contract = webviewContract({
  init: object({ count: num }),
  toHost: { requests: { echo: { params: object({ text: str }), result: str } }, notifications: {} },
  toWebview: { requests: {}, notifications: { show: object({ text: str }), progress: object({ done: num }) } },
});

/** A host channel and a webview peer joined by an in-memory port; `delivered` is what reached the webview. */
function connect() {
  const delivered: Envelope[] = [];
  const errors: string[] = [];
  let listener: ((m: unknown) => void) | undefined;
  // eslint-disable-next-line prefer-const -- the port posts to it once it exists
  let webview: Peer<typeof contract.toWebview, typeof contract.toHost>;
  const port: WebviewPort = {
    postMessage: (m) => {
      delivered.push(m);
      void webview.receive(m);
    },
    onDidReceiveMessage: (l) => {
      listener = l;
      return { dispose: () => (listener = undefined) };
    },
  };
  let count = 0;
  const readyFrom: string[] = [];
  const channel = new HostChannel(port, contract, { init: () => ({ count: ++count }), onError: (e) => errors.push(e), onReady: (v) => readyFrom.push(v), closedReason: 'closed' });
  webview = new Peer(contract.toWebview, contract.toHost, (m) => listener?.(m), (e) => errors.push(e));
  return { channel, webview, delivered, errors, readyFrom, connected: () => listener !== undefined };
}

const methods = (envelopes: readonly Envelope[]) => envelopes.map((e) => (e.kind === 'notification' ? `${e.method} ${JSON.stringify(e.params)}` : e.kind));
const settle = () => new Promise((r) => setImmediate(r));

test('notifications wait for ready, then follow init; only the latest of each method is kept', async () => {
  const { channel, webview, delivered, readyFrom } = connect();
  channel.notify('show', { text: 'first' });
  channel.notify('progress', { done: 1 });
  channel.notify('show', { text: 'second' });
  channel.refresh();
  assert.deepEqual(delivered, [], 'nothing reaches a webview that has not said ready');
  webview.notify('ready', { clientVersion: '7' });
  await settle();
  assert.deepEqual(methods(delivered), ['init {"count":1}', 'show {"text":"second"}', 'progress {"done":1}']);
  assert.deepEqual(readyFrom, ['7']);
  channel.notify('progress', { done: 2 });
  channel.refresh();
  assert.deepEqual(methods(delivered).slice(3), ['progress {"done":2}', 'init {"count":2}']);
});

test('a webview that loads again gets init again', async () => {
  const { webview, delivered } = connect();
  webview.notify('ready', { clientVersion: '1' });
  webview.notify('ready', { clientVersion: '1' });
  await settle();
  assert.deepEqual(methods(delivered), ['init {"count":1}', 'init {"count":2}']);
});

test('requests are validated and answered; disposing stops listening', async () => {
  const { channel, webview, errors, connected } = connect();
  channel.handle('echo', ({ text }) => text.toUpperCase());
  assert.equal(await webview.request('echo', { text: 'hi' }), 'HI');
  await assert.rejects(webview.request('echo', { text: 3 } as unknown as { text: string }), /params\.text must be a string/);
  assert.match(errors[0], /request 'echo' \(\d+\) failed: params\.text must be a string/);
  channel.dispose();
  assert.equal(connected(), false);
});
