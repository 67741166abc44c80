/**
 * The RPC between the dataset editor and its token-counting worker thread: batches of texts
 * in, one count per text out, both checked on arrival.
 */
import { arrayOf, object, str, type Check } from '../../../base/schema';
import type { RpcProtocol } from '../../common/rpc/protocol';

export interface TokenCountMethods {
  count: { params: { readonly texts: readonly string[] }; result: number[] };
}

/** The worker sends no events. */
export type TokenCountEvents = Record<never, never>;

const count: Check = (v, p) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? undefined : `${p} must be a non-negative integer`);

export const TOKEN_COUNT_PROTOCOL: RpcProtocol<TokenCountMethods, TokenCountEvents> = {
  peer: 'the token counting worker',
  methods: {
    count: {
      params: object({ texts: arrayOf(str, 10_000_000) }),
      result: (v, p, params) => {
        const bad = arrayOf(count, 10_000_000)(v, p);
        if (bad) return bad;
        const expected = (params as TokenCountMethods['count']['params']).texts.length;
        return (v as number[]).length === expected ? undefined : `${p} has ${(v as number[]).length} counts for ${expected} texts`;
      },
    },
  },
  events: {},
  errorCodes: ['invalid-request', 'count-failed'],
};
