/** A small protocol for the RPC layer's tests, served by testPeer.ts over a thread or a process. */
import { arrayOf, num, object, str, type Check } from '../../../../extension/base/schema';
import type { RpcProtocol } from '../../../../extension/core/common/rpc/protocol';

export interface TestMethods {
  echo: { params: { readonly text: string }; result: string };
  /** Emits `tick` events until `n` or a cancel; returns how many it emitted. */
  ticks: { params: { readonly n: number }; result: number };
  fail: { params: { readonly code: string }; result: null };
  /** Replies with whatever `value` says, unchecked by the peer. */
  lie: { params: { readonly value: string }; result: number[] };
  /** Ends the peer: `exit` with code 3, or `abort` natively. */
  die: { params: { readonly how: string }; result: null };
}

export interface TestEvents {
  tick: { readonly i: number };
  note: { readonly text: string };
}

const none: Check = (v, p) => (v === null ? undefined : `${p} must be null`);

export const TEST_PROTOCOL: RpcProtocol<TestMethods, TestEvents> = {
  peer: 'the test peer',
  methods: {
    echo: { params: object({ text: str }), result: str },
    ticks: { params: object({ n: num }), result: num },
    fail: { params: object({ code: str }), result: none },
    lie: { params: object({ value: str }), result: arrayOf(num) },
    die: { params: object({ how: str }), result: none },
  },
  events: { tick: object({ i: num }), note: object({ text: str }) },
  errorCodes: ['invalid-request', 'boom'],
};
