/**
 * One end of a typed message channel (host <-> webview). Everything that arrives is validated:
 * the envelope by `parseEnvelope`, request and notification params by the receiving side's
 * schemas, and a response's result by the schema of the request it answers. Unknown methods
 * and malformed params are reported to `onError` and, for requests, answered with an error
 * response so the other side never waits forever.
 */
import { errorMessage } from '../base/errorText';
import type { Check, Infer } from '../base/schema';
import { parseEnvelope, type Envelope, type ErrorInfo } from './envelope';

/** The schemas of one request: its params, and the result its answer carries. */
export interface RequestSchema {
  readonly params: Check;
  readonly result: Check;
}

/** The messages that travel one way: requests (answered the other way) and notifications. */
export interface Direction {
  readonly requests: Readonly<Record<string, RequestSchema>>;
  readonly notifications: Readonly<Record<string, Check>>;
}

export type RequestName<D extends Direction> = keyof D['requests'] & string;
export type NotificationName<D extends Direction> = keyof D['notifications'] & string;
export type ParamsOf<D extends Direction, K extends RequestName<D>> = Infer<D['requests'][K]['params']>;
export type ResultOf<D extends Direction, K extends RequestName<D>> = Infer<D['requests'][K]['result']>;
export type NotificationOf<D extends Direction, K extends NotificationName<D>> = Infer<D['notifications'][K]>;

export class ProtocolError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
    this.name = 'ProtocolError';
  }
}

interface Pending {
  readonly method: string;
  resolve(v: unknown): void;
  reject(e: Error): void;
}

/** `In`: what this side receives and answers; `Out`: what it sends (and the results it gets back). */
export class Peer<In extends Direction, Out extends Direction> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly requestHandlers = new Map<string, (params: never) => unknown>();
  private readonly notificationHandlers = new Map<string, Array<(p: never) => void>>();

  constructor(
    private readonly inbound: In,
    private readonly outbound: Out,
    private readonly post: (message: Envelope) => void,
    private readonly onError: (message: string) => void,
  ) {}

  handle<K extends RequestName<In>>(method: K, handler: (params: ParamsOf<In, K>) => ResultOf<In, K> | Promise<ResultOf<In, K>>): void {
    this.requestHandlers.set(method, handler);
  }

  on<K extends NotificationName<In>>(method: K, handler: (params: NotificationOf<In, K>) => void): { dispose(): void } {
    const list = this.notificationHandlers.get(method) ?? [];
    const h = handler as (p: never) => void;
    list.push(h);
    this.notificationHandlers.set(method, list);
    return { dispose: () => void (list.includes(h) && list.splice(list.indexOf(h), 1)) };
  }

  request<K extends RequestName<Out>>(method: K, params: ParamsOf<Out, K>): Promise<ResultOf<Out, K>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve, reject });
      this.post({ kind: 'request', id, method, params });
    });
  }

  notify<K extends NotificationName<Out>>(method: K, params: NotificationOf<Out, K>): void {
    this.post({ kind: 'notification', method, params });
  }

  /** Fails every request still waiting for an answer (the other side went away). */
  rejectPending(reason: string): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new ProtocolError({ code: 'closed', message: reason }));
    }
  }

  async receive(raw: unknown): Promise<void> {
    const msg = parseEnvelope(raw);
    if (typeof msg === 'string') {
      this.onError(`rejected malformed message: ${msg}`);
      return;
    }
    if (msg.kind === 'response') return this.settle(msg.id, msg.ok ? { result: msg.result } : { error: msg.error });
    if (msg.kind === 'notification') return this.dispatch(msg.method, msg.params);
    const fail = (code: string, message: string) => {
      this.onError(`request '${msg.method}' (${msg.id}) failed: ${message}`);
      this.post({ kind: 'response', id: msg.id, ok: false, error: { code, message } });
    };
    const schema = lookup(this.inbound.requests, msg.method);
    const handler = this.requestHandlers.get(msg.method);
    if (!schema || !handler) return fail('unknown-method', `unknown method '${msg.method}'`);
    const err = schema.params(msg.params, 'params');
    if (err) return fail('invalid-params', err);
    try {
      const result = await handler(msg.params as never);
      this.post({ kind: 'response', id: msg.id, ok: true, result });
    } catch (e) {
      fail(e instanceof ProtocolError ? e.info.code : 'failed', errorMessage(e));
    }
  }

  private settle(id: number, answer: { readonly result: unknown } | { readonly error: ErrorInfo }): void {
    const waiting = this.pending.get(id);
    if (!waiting) {
      this.onError(`response for unknown request id ${id}`);
      return;
    }
    this.pending.delete(id);
    if ('error' in answer) {
      waiting.reject(new ProtocolError(answer.error));
      return;
    }
    const err = lookup(this.outbound.requests, waiting.method)?.result(answer.result, 'result');
    if (err) {
      this.onError(`rejected the result of '${waiting.method}' (${id}): ${err}`);
      waiting.reject(new ProtocolError({ code: 'invalid-result', message: `invalid result of '${waiting.method}': ${err}` }));
      return;
    }
    waiting.resolve(answer.result);
  }

  private dispatch(method: string, params: unknown): void {
    const check = lookup(this.inbound.notifications, method);
    if (!check) {
      this.onError(`rejected unknown notification '${method}'`);
      return;
    }
    const err = check(params, 'params');
    if (err) {
      this.onError(`rejected notification '${method}': ${err}`);
      return;
    }
    for (const h of [...(this.notificationHandlers.get(method) ?? [])]) {
      try {
        h(params as never);
      } catch (e) {
        this.onError(`handler for '${method}' failed: ${errorMessage(e)}`);
      }
    }
  }
}

/** An own property only: a method named 'toString' or '__proto__' is unknown, not inherited. */
function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
