/**
 * One end of a typed message channel (host <-> webview). Incoming messages are validated:
 * the envelope by `parseEnvelope`, params by the per-method checks of the receiving side's spec.
 * Unknown methods and malformed params are reported to `onError` and, for requests, answered
 * with an error response so the other side never waits forever.
 */
import { parseEnvelope, type Envelope, type ErrorInfo } from './envelope';
import type { Check } from './validate';
import { errorMessage } from '../base/errorText';

export type RequestMap = Record<string, { params: unknown; result: unknown }>;
export type NotificationMap = Record<string, unknown>;

/** What one side accepts: a check for the params of each request and notification. */
export interface InboundSpec<Req extends RequestMap, Note extends NotificationMap> {
  readonly requests: { readonly [K in keyof Req]: Check };
  readonly notifications: { readonly [K in keyof Note]: Check };
}

export class ProtocolError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
    this.name = 'ProtocolError';
  }
}

type RequestHandler<P, R> = (params: P) => R | Promise<R>;

export class Peer<
  InReq extends RequestMap,
  InNote extends NotificationMap,
  OutReq extends RequestMap,
  OutNote extends NotificationMap,
> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly requestHandlers = new Map<string, RequestHandler<never, unknown>>();
  private readonly notificationHandlers = new Map<string, Array<(p: never) => void>>();

  constructor(
    private readonly spec: InboundSpec<InReq, InNote>,
    private readonly post: (message: Envelope) => void,
    private readonly onError: (message: string) => void,
  ) {}

  handle<K extends keyof InReq & string>(method: K, handler: RequestHandler<InReq[K]['params'], InReq[K]['result']>): void {
    this.requestHandlers.set(method, handler as RequestHandler<never, unknown>);
  }

  on<K extends keyof InNote & string>(method: K, handler: (params: InNote[K]) => void): { dispose(): void } {
    const list = this.notificationHandlers.get(method) ?? [];
    list.push(handler as (p: never) => void);
    this.notificationHandlers.set(method, list);
    return { dispose: () => list.splice(list.indexOf(handler as (p: never) => void), 1) };
  }

  request<K extends keyof OutReq & string>(method: K, params: OutReq[K]['params']): Promise<OutReq[K]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.post({ kind: 'request', id, method, params });
    });
  }

  notify<K extends keyof OutNote & string>(method: K, params: OutNote[K]): void {
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
    if (msg.kind === 'response') {
      const waiting = this.pending.get(msg.id);
      if (!waiting) {
        this.onError(`response for unknown request id ${msg.id}`);
        return;
      }
      this.pending.delete(msg.id);
      if (msg.ok) waiting.resolve(msg.result);
      else waiting.reject(new ProtocolError(msg.error));
      return;
    }
    if (msg.kind === 'notification') {
      const check = (this.spec.notifications as Record<string, Check>)[msg.method];
      if (!check) {
        this.onError(`rejected unknown notification '${msg.method}'`);
        return;
      }
      const err = check(msg.params, 'params');
      if (err) {
        this.onError(`rejected notification '${msg.method}': ${err}`);
        return;
      }
      for (const h of [...(this.notificationHandlers.get(msg.method) ?? [])]) {
        try {
          h(msg.params as never);
        } catch (e) {
          this.onError(`handler for '${msg.method}' failed: ${errorMessage(e)}`);
        }
      }
      return;
    }
    const fail = (code: string, message: string) => {
      this.onError(`request '${msg.method}' (${msg.id}) failed: ${message}`);
      this.post({ kind: 'response', id: msg.id, ok: false, error: { code, message } });
    };
    const check = (this.spec.requests as Record<string, Check>)[msg.method];
    const handler = this.requestHandlers.get(msg.method);
    if (!check || !handler) return fail('unknown-method', `unknown method '${msg.method}'`);
    const err = check(msg.params, 'params');
    if (err) return fail('invalid-params', err);
    try {
      const result = await handler(msg.params as never);
      this.post({ kind: 'response', id: msg.id, ok: true, result });
    } catch (e) {
      fail(e instanceof ProtocolError ? e.info.code : 'failed', errorMessage(e));
    }
  }
}
