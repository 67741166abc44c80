import assert from 'node:assert/strict';
import { test } from 'node:test';
import { num, object, str } from '../../../extension/base/schema';
import type { Envelope } from '../../../extension/protocol/envelope';
import { Peer, ProtocolError } from '../../../extension/protocol/peer';

/** Client → server: an `add` request and a `hello` notification. */
const toServer = {
  requests: { add: { params: object({ a: num, b: num }), result: num } },
  notifications: { hello: object({ name: str }) },
};
const toClient = { requests: {}, notifications: {} };

function pair() {
  const errors: string[] = [];
  // eslint-disable-next-line prefer-const -- assigned after the server, which posts to it
  let client: Peer<typeof toClient, typeof toServer>;
  const sent: Envelope[] = [];
  const server = new Peer(toServer, toClient, (m) => {
    sent.push(m);
    void client.receive(m);
  }, (e) => errors.push(e));
  client = new Peer(toClient, toServer, (m) => void server.receive(m), (e) => errors.push(e));
  return { server, client, errors, sent };
}

test('a request is answered with its result', async () => {
  const { server, client } = pair();
  server.handle('add', ({ a, b }) => a + b);
  assert.equal(await client.request('add', { a: 2, b: 3 }), 5);
});

test('malformed params are rejected with an error naming the field', async () => {
  const { server, client, errors } = pair();
  server.handle('add', ({ a, b }) => a + b);
  await assert.rejects(client.request('add', { a: 2, b: 'x' } as unknown as { a: number; b: number }), (e: unknown) => {
    assert.ok(e instanceof ProtocolError);
    assert.equal(e.info.code, 'invalid-params');
    assert.match(e.message, /params\.b must be a finite number/);
    return true;
  });
  assert.equal(errors.length, 1);
});

test('unknown methods and extra fields are rejected', async () => {
  const { server, errors, sent } = pair();
  await server.receive({ kind: 'request', id: 7, method: 'nope', params: {} });
  assert.deepEqual(sent.at(-1), { kind: 'response', id: 7, ok: false, error: { code: 'unknown-method', message: "unknown method 'nope'" } });
  server.on('hello', () => assert.fail('must not be called'));
  await server.receive({ kind: 'notification', method: 'hello', params: { name: 'x', extra: 1 } });
  assert.match(errors.at(-1)!, /params\.extra is not a known field/);
});

test('garbage is logged, not thrown', async () => {
  const { server, errors } = pair();
  await server.receive('just a string');
  await server.receive({ kind: 'shout' });
  await server.receive(null);
  assert.deepEqual(errors, ['rejected malformed message: message is not an object', 'rejected malformed message: unknown message kind "shout"', 'rejected malformed message: message is not an object']);
});

test('a handler that throws becomes an error response', async () => {
  const { server, client } = pair();
  server.handle('add', () => {
    throw new Error('boom');
  });
  await assert.rejects(client.request('add', { a: 1, b: 1 }), /boom/);
});

test('notifications reach every listener; pending requests fail when closed', async () => {
  const { server, client } = pair();
  const names: string[] = [];
  server.on('hello', ({ name }) => names.push(name));
  const sub = server.on('hello', ({ name }) => names.push(name.toUpperCase()));
  client.notify('hello', { name: 'ada' });
  sub.dispose();
  client.notify('hello', { name: 'bob' });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(names, ['ada', 'ADA', 'bob']);

  const lonely = new Peer(toClient, toServer, () => {}, () => {});
  const p = lonely.request('add', { a: 1, b: 2 });
  lonely.rejectPending('view closed');
  await assert.rejects(p, /view closed/);
});

test('a result that does not fit its schema rejects the request', async () => {
  const errors: string[] = [];
  const posted: Envelope[] = [];
  const client = new Peer(toClient, toServer, (m) => posted.push(m), (e) => errors.push(e));
  const answer = client.request('add', { a: 1, b: 2 });
  await client.receive({ kind: 'response', id: (posted[0] as { id: number }).id, ok: true, result: 'three' });
  await assert.rejects(answer, (e: unknown) => e instanceof ProtocolError && e.info.code === 'invalid-result' && /result must be a finite number/.test(e.message));
  assert.match(errors[0], /rejected the result of 'add'/);
});

test('inherited names are unknown methods, not handlers', async () => {
  const { server, sent, errors } = pair();
  await server.receive({ kind: 'request', id: 9, method: 'toString', params: {} });
  assert.equal((sent.at(-1) as { error: { code: string } }).error.code, 'unknown-method');
  await server.receive({ kind: 'notification', method: '__proto__', params: {} });
  assert.match(errors.at(-1)!, /unknown notification '__proto__'/);
});
