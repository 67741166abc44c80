/**
 * Protocol messages: fuzzed envelopes (valid, mutated and made-up) arrive at both ends of every
 * webview contract (Prompt Lab, dataset editor). The receiving Peer must reject what does not
 * fit, through its error callback or an error response, and never throw or hang.
 */
import { datasetEditorContract } from '../../../extension/protocol/curation';
import { Peer, type Direction } from '../../../extension/protocol/peer';
import { promptLabContract } from '../../../extension/protocol/promptlab';
import type { Gen } from '../gen';
import type { Outcome } from '../outcome';

export interface ProtocolInput {
  /** The message as it arrives (structured-cloned, as postMessage delivers it). */
  readonly message: unknown;
  readonly contract: 'promptlab' | 'curation';
  readonly side: 'host' | 'webview';
  /** Params nested too deep to copy to the worker thread, as JSON text (parsed there, put in `message.params`). */
  readonly deepParams?: string;
}

const CONTRACTS = { promptlab: promptLabContract, curation: datasetEditorContract } as const;

const KEYS = ['kind', 'id', 'method', 'params', 'ok', 'result', 'error', 'code', 'message', 'draft', 'body', 'values', 'parameters', 'runId', 'path', 'columns', 'model', 'clientVersion', 'filter', 'offset', 'count', 'index', 'rows', 'edit', 'text', 'tag', 'rating', 'format', 'preferred', 'rejected', 'saveAs', 'threshold'];

function methods(d: Direction): string[] {
  return [...Object.keys(d.requests), ...Object.keys(d.notifications)];
}

export function generate(g: Gen): ProtocolInput {
  const contract = g.pick(['promptlab', 'curation'] as const);
  const side = g.pick(['host', 'webview'] as const);
  const c = CONTRACTS[contract];
  const inbound: Direction = side === 'host' ? c.toHost : c.toWebview;
  const method = g.chance(0.85) ? g.pick(methods(inbound)) : g.pick(['__proto__', 'toString', 'constructor', '', g.text(10)]);
  const deepParams = g.chance(0.1) ? g.deep(g.pick([100, 5000, 50_000])) : undefined;
  const params: unknown = deepParams ? null : g.json(g.int(6), KEYS);
  const kind = g.pick(['request', 'notification', 'response', 'bogus']);
  const base: Record<string, unknown> =
    kind === 'response' ? { kind, id: g.pick([1, 0, -1, 1.5, 2 ** 53, '1']), ok: g.chance(0.5), result: params, error: g.json(2, KEYS) } : { kind, id: g.pick([1, 2, -1, NaN, '1', null]), method, params };
  if (g.chance(0.2)) for (const k of Object.keys(base)) if (g.chance(0.3)) delete base[k];
  if (g.chance(0.1)) return { contract, side, message: g.json(4, KEYS) };
  if (g.chance(0.1)) return { contract, side, message: g.pick<unknown>([null, undefined, 42, 'ready', [], { kind: 'request' }]) };
  return { contract, side, message: base, deepParams };
}

export async function run(input: ProtocolInput): Promise<Outcome> {
  const c = CONTRACTS[input.contract];
  const [inbound, outbound] = input.side === 'host' ? [c.toHost, c.toWebview] : [c.toWebview, c.toHost];
  const posted: unknown[] = [];
  const peer = new Peer<Direction, Direction>(inbound, outbound, (m) => posted.push(m), () => undefined);
  // Every request has a handler, so valid ones reach it (and its answer is posted back).
  for (const method of Object.keys(inbound.requests)) peer.handle(method, () => null);
  for (const method of Object.keys(inbound.notifications)) peer.on(method, () => undefined);
  // A pending request of our own, so responses can find one to settle.
  const first = Object.keys(outbound.requests)[0];
  if (first) peer.request(first, {}).catch(() => undefined);
  try {
    const message = input.deepParams && typeof input.message === 'object' && input.message !== null ? { ...input.message, params: JSON.parse(input.deepParams) as unknown } : input.message;
    await peer.receive(message);
    JSON.stringify(posted);
    return { ok: true };
  } catch (err) {
    return { ok: false, crash: `${err instanceof Error ? err.name : typeof err}: ${err instanceof Error ? err.message.slice(0, 300) : String(err)}` };
  } finally {
    peer.rejectPending('fuzz case done');
  }
}
