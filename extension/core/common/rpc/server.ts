/**
 * The peer side of the RPC layer, inside a worker thread or child process: validates each
 * request, runs its handler with an AbortSignal and an event emitter, and answers with exactly
 * one result or error. `cancel` aborts one request's signal; `close` (or the client going away)
 * aborts them all, waits for the handlers to return — a handler stops at its next safe point,
 * never inside a native call — runs `onClose` and closes the channel so the peer can exit.
 */
import type { Logger } from '../logger';
import { processPeer } from './processChannel';
import type { PeerChannel } from './channel';
import { INVALID_REQUEST, type MethodTypes, type ParamsOf, type ResultOf, type RpcErrorInfo, type RpcProtocol } from './protocol';
import { threadPeer } from './threadChannel';
import { claimedId, parseClientMessage } from './wire';

/** Why a request's signal was aborted (its `reason`). */
export type StopReason = 'cancelled' | 'closing';

export interface RequestContext<E> {
  /** Aborted by the client's `cancel` or `close` (`signal.reason` is a StopReason): stop at the next safe point. */
  readonly signal: AbortSignal;
  readonly emit: <N extends keyof E & string>(name: N, data: E[N]) => void;
}

export type RpcHandlers<M extends MethodTypes<M>, E> = {
  readonly [K in keyof M]: (params: ParamsOf<M, K>, context: RequestContext<E>) => ResultOf<M, K> | Promise<ResultOf<M, K>>;
};

export interface ServeOptions {
  /** The error reply for a handler's failure. */
  errorInfo(err: unknown): RpcErrorInfo;
  /** Releases what the peer holds, after every running handler has returned. */
  onClose?(): void | Promise<void>;
  /** Where problems with incoming messages are reported (log events usually). */
  readonly log?: Pick<Logger, 'error'>;
}

export interface RpcServer<E> {
  /** An event not tied to a request (log lines). */
  emit<N extends keyof E & string>(name: N, data: E[N]): void;
}

/** The channel to the client of this thread or process. */
export function currentPeer(): PeerChannel {
  const peer = threadPeer() ?? processPeer();
  if (!peer) throw new Error('this script must run as a worker thread or a child process with an IPC channel');
  return peer;
}

export function serveRpc<M extends MethodTypes<M>, E>(channel: PeerChannel, protocol: RpcProtocol<M, E>, handlers: RpcHandlers<M, E>, options: ServeOptions): RpcServer<E> {
  const running = new Map<number, { controller: AbortController; done: Promise<void> }>();
  let closing: Promise<void> | undefined;
  const invalid = protocol.invalidRequestCode ?? INVALID_REQUEST;

  const run = (id: number, call: (context: RequestContext<E>) => unknown) => {
    const controller = new AbortController();
    const context: RequestContext<E> = { signal: controller.signal, emit: (name, data) => channel.send({ kind: 'event', id, name, data }) };
    const done = (async () => {
      try {
        channel.send({ kind: 'result', id, value: await call(context) });
      } catch (err) {
        channel.send({ kind: 'error', id, error: options.errorInfo(err) });
      } finally {
        running.delete(id);
      }
    })();
    running.set(id, { controller, done });
  };

  const close = () =>
    (closing ??= (async () => {
      for (const r of running.values()) r.controller.abort('closing' satisfies StopReason);
      await Promise.all([...running.values()].map((r) => r.done));
      try {
        await options.onClose?.();
      } finally {
        channel.close();
      }
    })());

  channel.onMessage((raw) => {
    const msg = parseClientMessage(raw);
    if (typeof msg === 'string') {
      options.log?.error(`rejected a malformed message: ${msg}`);
      const id = claimedId(raw);
      if (id !== undefined) channel.send({ kind: 'error', id, error: { code: invalid, message: msg } });
      return;
    }
    if (msg.kind === 'close') return void close();
    if (msg.kind === 'cancel') return void running.get(msg.id)?.controller.abort('cancelled' satisfies StopReason);
    if (closing) return channel.send({ kind: 'error', id: msg.id, error: { code: invalid, message: `${protocol.peer} is closing` } });
    const method = msg.method as keyof M & string;
    if (!Object.hasOwn(protocol.methods, method)) {
      return channel.send({ kind: 'error', id: msg.id, error: { code: invalid, message: `unknown method ${JSON.stringify(msg.method)}` } });
    }
    const bad = protocol.methods[method].params(msg.params, `${method} params`);
    if (bad) return channel.send({ kind: 'error', id: msg.id, error: { code: invalid, message: bad } });
    const handler = handlers[method];
    run(msg.id, (context) => handler(msg.params, context));
  });
  channel.onDisconnect(() => void close());

  return { emit: (name, data) => channel.send({ kind: 'event', name, data }) };
}
