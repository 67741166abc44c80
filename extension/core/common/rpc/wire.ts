/**
 * The envelope every RPC message travels in, the same over a worker thread's port and a child
 * process's IPC channel. The bodies (params, results, event data) are checked against the
 * protocol's validators after the envelope itself passes.
 *
 * client → peer: `request` (id, method, params), `cancel` (id), `close`.
 * peer → client: exactly one `result` or `error` per request id; `event`s, tied to a request
 * by its id or, without one, to the channel (log lines).
 */
import { isRecord } from '../../../base/records';
import type { RpcErrorInfo } from './protocol';

export type ClientMessage =
  | { readonly kind: 'request'; readonly id: number; readonly method: string; readonly params: unknown }
  | { readonly kind: 'cancel'; readonly id: number }
  | { readonly kind: 'close' };

export type PeerMessage =
  | { readonly kind: 'result'; readonly id: number; readonly value: unknown }
  | { readonly kind: 'error'; readonly id: number; readonly error: RpcErrorInfo }
  | { readonly kind: 'event'; readonly id?: number; readonly name: string; readonly data: unknown };

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

function onlyKeys(m: Record<string, unknown>, keys: readonly string[]): string | undefined {
  const extra = Object.keys(m).find((k) => !keys.includes(k));
  return extra === undefined ? undefined : `unknown field ${JSON.stringify(extra)}`;
}

/** The message, or a description of what is wrong with it. */
export function parseClientMessage(raw: unknown): ClientMessage | string {
  if (!isRecord(raw)) return 'not an object';
  switch (raw.kind) {
    case 'request':
      if (!isId(raw.id)) return 'request.id must be a positive integer';
      if (typeof raw.method !== 'string') return 'request.method must be a string';
      return onlyKeys(raw, ['kind', 'id', 'method', 'params']) ?? (raw as ClientMessage);
    case 'cancel':
      if (!isId(raw.id)) return 'cancel.id must be a positive integer';
      return onlyKeys(raw, ['kind', 'id']) ?? (raw as ClientMessage);
    case 'close':
      return onlyKeys(raw, ['kind']) ?? (raw as ClientMessage);
    default:
      return `unknown message kind ${JSON.stringify(raw.kind)}`;
  }
}

export function parsePeerMessage(raw: unknown, errorCodes: readonly string[]): PeerMessage | string {
  if (!isRecord(raw)) return 'not an object';
  switch (raw.kind) {
    case 'result':
      if (!isId(raw.id)) return 'result.id must be a positive integer';
      return onlyKeys(raw, ['kind', 'id', 'value']) ?? (raw as PeerMessage);
    case 'error': {
      if (!isId(raw.id)) return 'error.id must be a positive integer';
      const e = raw.error;
      const optionalText = (v: unknown) => v === undefined || typeof v === 'string';
      if (!isRecord(e) || typeof e.message !== 'string' || !optionalText(e.file) || !optionalText(e.subject)) return 'error.error must be { code, message, file?, subject? }';
      if (typeof e.code !== 'string' || !errorCodes.includes(e.code)) return `error.error.code must be one of ${errorCodes.join(', ')}`;
      return onlyKeys(raw, ['kind', 'id', 'error']) ?? onlyKeys(e, ['code', 'message', 'file', 'subject']) ?? (raw as PeerMessage);
    }
    case 'event':
      if (raw.id !== undefined && !isId(raw.id)) return 'event.id must be a positive integer';
      if (typeof raw.name !== 'string') return 'event.name must be a string';
      return onlyKeys(raw, ['kind', 'id', 'name', 'data']) ?? (raw as PeerMessage);
    default:
      return `unknown message kind ${JSON.stringify(raw.kind)}`;
  }
}

/** The request id a malformed message claims, if any, so its request can fail instead of hang. */
export function claimedId(raw: unknown): number | undefined {
  return isRecord(raw) && isId(raw.id) ? raw.id : undefined;
}
