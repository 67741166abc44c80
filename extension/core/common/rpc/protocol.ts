/**
 * What an RPC protocol declares: its methods (params in, one result out), the events its peer
 * may send, and a validator for each, so that both sides check everything they receive.
 * Lathe's engine (a child process) and curation's token counter (a worker thread) each declare
 * one and run it over `RpcClient` / `serveRpc`, whatever transport carries it.
 */
import type { Check } from '../../../base/schema';

/** `M[method] = { params, result }`. */
export type MethodTypes<M> = { readonly [K in keyof M]: { readonly params: unknown; readonly result: unknown } };

/** Like `Check`, with the request's params at hand (e.g. a result must have one entry per input). */
export type ResultCheck = (value: unknown, path: string, params: unknown) => string | undefined;

export interface RpcProtocol<M extends MethodTypes<M>, E> {
  /** What the peer is, for error messages: "the inference process". */
  readonly peer: string;
  readonly methods: { readonly [K in keyof M]: { readonly params: Check; readonly result: ResultCheck } };
  readonly events: { readonly [K in keyof E]: Check };
  /** Error codes the peer may reply with; others are treated as a malformed reply. */
  readonly errorCodes: readonly string[];
  /** The code of the peer's reply to a request it cannot parse (default `invalid-request`). */
  readonly invalidRequestCode?: string;
}

export type ParamsOf<M extends MethodTypes<M>, K extends keyof M> = M[K]['params'];
export type ResultOf<M extends MethodTypes<M>, K extends keyof M> = M[K]['result'];

/** One event as a discriminated union member: `{ name, data }`. */
export type EventOf<E> = { [K in keyof E]: { readonly name: K; readonly data: E[K] } }[keyof E];

/** An error reply: `code` is one of the protocol's `errorCodes`; `file` or `subject` name what is at fault. */
export interface RpcErrorInfo {
  readonly code: string;
  readonly message: string;
  readonly file?: string;
  readonly subject?: string;
}

/** Code of the error reply to a request the peer could not parse or does not know. */
export const INVALID_REQUEST = 'invalid-request';
