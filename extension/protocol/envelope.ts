/**
 * Wire format shared by the extension host and its webviews. Three kinds of message:
 * requests (with an id, answered by exactly one response), responses (ok or error), and
 * notifications (fire and forget). Everything crossing the boundary is validated on arrival.
 */
import { isRecord } from '../base/records';
export interface RequestEnvelope<M extends string = string, P = unknown> {
  readonly kind: 'request';
  readonly id: number;
  readonly method: M;
  readonly params: P;
}

export interface ErrorInfo {
  readonly message: string;
  /** Machine-readable reason, e.g. 'unknown-method', 'invalid-params', 'failed'. */
  readonly code: string;
}

export type ResponseEnvelope<R = unknown> =
  | { readonly kind: 'response'; readonly id: number; readonly ok: true; readonly result: R }
  | { readonly kind: 'response'; readonly id: number; readonly ok: false; readonly error: ErrorInfo };

export interface NotificationEnvelope<M extends string = string, P = unknown> {
  readonly kind: 'notification';
  readonly method: M;
  readonly params: P;
}

export type Envelope = RequestEnvelope | ResponseEnvelope | NotificationEnvelope;

/** Checks the outer shape only; params are validated per method by the receiver. */
export function parseEnvelope(value: unknown): Envelope | string {
  if (!isRecord(value)) return 'message is not an object';
  switch (value.kind) {
    case 'request':
      if (typeof value.id !== 'number' || !Number.isInteger(value.id)) return 'request without an integer id';
      if (typeof value.method !== 'string') return 'request without a method';
      return value as unknown as RequestEnvelope;
    case 'notification':
      if (typeof value.method !== 'string') return 'notification without a method';
      return value as unknown as NotificationEnvelope;
    case 'response':
      if (typeof value.id !== 'number') return 'response without an id';
      if (value.ok === true) return value as unknown as ResponseEnvelope;
      if (value.ok === false && isRecord(value.error) && typeof value.error.message === 'string') {
        return value as unknown as ResponseEnvelope;
      }
      return 'response without a result or an error';
    default:
      return `unknown message kind ${JSON.stringify(value.kind)}`;
  }
}
