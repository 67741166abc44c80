import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { EventOf } from '../../../../extension/core/common/rpc/protocol';
import { RpcClient } from '../../../../extension/core/common/rpc/client';
import type { RpcChannel } from '../../../../extension/core/common/rpc/channel';
import { startProcess } from '../../../../extension/core/common/rpc/processChannel';
import { startThread } from '../../../../extension/core/common/rpc/threadChannel';
import { TEST_PROTOCOL, type TestEvents, type TestMethods } from './testProtocol';

const PEER = { path: join(__dirname, 'testPeer.ts') };

class CodedError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

function connect(channel: RpcChannel) {
  const notes: string[] = [];
  const logged: string[] = [];
  const crashes: Error[] = [];
  const client = new RpcClient<TestMethods, TestEvents>(channel, TEST_PROTOCOL, {
    log: { warn: (m) => logged.push(m), error: (m) => logged.push(m) },
    remoteError: (info) => new CodedError(info.code, info.message),
    failure: (message) => new CodedError('failed', message),
    crashNote: 'Try again.',
    onEvent: (e) => {
      if (e.name === 'note') notes.push(e.data.text);
    },
    onCrash: (e) => crashes.push(e),
  });
  return { client, notes, logged, crashes };
}

const transports = {
  thread: () => startThread(PEER),
  process: () => startProcess(PEER),
};

for (const [name, start] of Object.entries(transports)) {
  describe(`RPC over a ${name}`, () => {
    it('answers requests, streams events in order and turns error replies into errors', async () => {
      const { client } = connect(start());
      assert.equal(await client.request('echo', { text: 'ünï 🙂' }).result, 'ünï 🙂');
      const ticks: EventOf<TestEvents>[] = [];
      assert.equal(await client.request('ticks', { n: 5 }, (e) => ticks.push(e)).result, 5);
      assert.deepEqual(ticks.map((e) => (e.name === 'tick' ? e.data.i : -1)), [0, 1, 2, 3, 4]);
      await assert.rejects(client.request('fail', { code: 'boom' }).result, { code: 'boom', message: 'failed with boom' });
      // An error code the protocol does not declare, a result that fails its check, params the
      // peer rejects: each fails its own request, and the peer keeps serving.
      await assert.rejects(client.request('fail', { code: 'other' }).result, /the test peer sent a malformed reply: error.error.code must be one of/);
      await assert.rejects(client.request('lie', { value: '["x"]' }).result, /malformed reply: lie result\[0\] must be a finite number/);
      await assert.rejects(client.request('echo', { text: 3 } as unknown as { text: string }).result, { code: 'invalid-request', message: 'echo params.text must be a string' });
      assert.equal(await client.request('echo', { text: 'still here' }).result, 'still here');
      await client.close(new Error('done'), 2000);
    });

    it('a cancel stops the handler at its next await; its late reply is dropped', async () => {
      const { client, notes } = connect(start());
      let seen = 0;
      const { id, result } = client.request('ticks', { n: 1_000_000 }, () => {
        if (++seen === 3) client.cancel(id);
      });
      let settled = false;
      void result.finally(() => (settled = true));
      assert.equal(await client.request('echo', { text: 'after' }).result, 'after');
      while (notes.length === 0) await client.request('echo', { text: 'poll' }).result;
      assert.match(notes[0], /ticks stopped at \d+/);
      assert.ok(Number(/at (\d+)/.exec(notes[0])![1]) < 1000, notes[0]);
      assert.equal(settled, false);
      await client.close(new Error('done'), 2000);
    });

    it('close fails pending requests, lets running handlers return, releases and ends the peer cleanly', async () => {
      const { client, crashes, logged } = connect(start());
      const running = client.request('ticks', { n: 1_000_000 }).result;
      await client.request('echo', { text: 'started' }).result;
      const exit = client.close(new Error('closed by the test'), 5000);
      await assert.rejects(running, /closed by the test/);
      await assert.rejects(client.request('echo', { text: 'x' }).result, /closed by the test/);
      assert.equal(client.alive, false);
      const ended = await exit;
      assert.equal(ended.signal, null);
      assert.equal(ended.code, 0);
      assert.deepEqual(crashes, []);
      assert.ok(!logged.some((l) => /killing/.test(l)), logged.join('\n'));
    });

    it('a peer that dies fails its pending requests with the reason; later requests fail the same way', async () => {
      const { client, crashes } = connect(start());
      const pending = client.request('ticks', { n: 1_000_000 }).result;
      await assert.rejects(client.request('die', { how: 'exit' }).result, /the test peer exited unexpectedly \(exit code 3\); 2 pending request\(s\) failed\. Try again\./);
      await assert.rejects(pending, /exit code 3/);
      assert.equal(crashes.length, 1);
      await assert.rejects(client.request('echo', { text: 'x' }).result, /exit code 3/);
    });

    it('kill ends a peer that stopped answering', async () => {
      const { client, crashes } = connect(start());
      const pending = client.request('ticks', { n: 1_000_000 }).result;
      client.kill('the test peer took too long');
      await assert.rejects(pending, /took too long\. Try again\./);
      assert.equal(crashes.length, 1);
      assert.equal(client.alive, false);
    });
  });
}

describe('RPC over a child process, native crash', () => {
  it('an abort in the peer ends only the peer: the client gets the signal and the peer’s last output', async () => {
    const { client, crashes } = connect(startProcess(PEER));
    await assert.rejects(client.request('die', { how: 'abort' }).result, /the test peer crashed \(signal SIGABRT\)/);
    assert.equal(crashes.length, 1);
  });
});
