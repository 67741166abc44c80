/** The peer of the RPC layer's tests; runs as a worker thread or as a child process. */
import { currentPeer, serveRpc, type RpcServer } from '../../../../extension/core/common/rpc/server';
import { TEST_PROTOCOL, type TestEvents } from './testProtocol';

class Coded extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

const server: RpcServer<TestEvents> = serveRpc(
  currentPeer(),
  TEST_PROTOCOL,
  {
    echo: ({ text }) => text,
    ticks: async ({ n }, { signal, emit }) => {
      let i = 0;
      for (; i < n && !signal.aborted; i++) {
        emit('tick', { i });
        // A step of blocking work (like a model step), then a turn of the event loop.
        const until = performance.now() + 1;
        while (performance.now() < until);
        await new Promise((r) => setImmediate(r));
      }
      if (signal.aborted) server.emit('note', { text: `ticks stopped at ${i}` });
      return i;
    },
    fail: ({ code }) => {
      throw new Coded(code, `failed with ${code}`);
    },
    lie: ({ value }) => JSON.parse(value) as number[],
    die: ({ how }) => {
      if (how === 'abort') process.abort();
      process.exit(3);
    },
  },
  {
    errorInfo: (err) => ({ code: err instanceof Coded ? err.code : 'boom', message: String((err as Error).message) }),
    onClose: () => server.emit('note', { text: 'released' }),
  },
);
