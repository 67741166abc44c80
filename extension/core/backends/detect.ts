/**
 * Finds model servers already running on this machine: a short `GET /v1/models` to each known
 * port on loopback (Ollama 11434, LM Studio 1234, llama.cpp server 8080, vLLM 8000), all at
 * once, each bounded by a timeout and reported as it settles. Nothing else is contacted, never
 * at activation, and nothing at all in offline mode. A closed port is simply "not running"; a
 * server that answers with HTML or a wrong shape, or hangs, is reported once with the reason.
 */
import { errorMessage } from '../../base/errorText';
import type { Network } from '../common/network';
import { readModelList, type ServerModel } from './modelList';
import { PRODUCT_NAMES, type ServerProduct } from './serverRoles';

export interface ProbeTarget {
  readonly product: ServerProduct;
  readonly port: number;
  /** Loopback only: 127.0.0.1 (default), ::1 or localhost. */
  readonly host?: string;
}

export const KNOWN_LOCAL_SERVERS: readonly ProbeTarget[] = [
  { product: 'ollama', port: 11434 },
  { product: 'lmstudio', port: 1234 },
  { product: 'llamacpp', port: 8080 },
  { product: 'vllm', port: 8000 },
];

export interface DetectedServer {
  readonly product: ServerProduct;
  /** e.g. "Ollama on port 11434". */
  readonly label: string;
  /** Base URL up to /v1. */
  readonly baseUrl: string;
  readonly models: readonly ServerModel[];
}

export interface ProbeProblem {
  readonly target: ProbeTarget;
  readonly url: string;
  readonly reason: string;
}

export interface Detection {
  readonly servers: DetectedServer[];
  /** Ports that answered, but not like a model server (HTML, wrong shape, a hang). */
  readonly problems: ProbeProblem[];
  /** Offline mode: nothing was probed. */
  readonly offline: boolean;
}

export interface DetectOptions {
  readonly network: Network;
  readonly targets?: readonly ProbeTarget[];
  /** Per probe (default 2,000 ms: a busy server, or an editor busy starting up, can take a second). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Called as each probe settles, with what is known so far (in target order) and the targets still being asked. */
  readonly onPartial?: (soFar: Detection, pending: readonly ProbeTarget[]) => void;
}

export const DEFAULT_PROBE_TIMEOUT_MS = 2_000;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** The product the answer says it is (lathe serve, vLLM and llama.cpp name themselves), else the port's. */
function productOf(target: ProbeTarget, models: readonly ServerModel[]): ServerProduct {
  const owner = models[0]?.ownedBy;
  if (owner === 'lathe' || models.some((m) => m.fim !== undefined)) return 'lathe';
  if (owner === 'vllm') return 'vllm';
  if (owner === 'llamacpp') return 'llamacpp';
  return target.product;
}

function isRefused(err: unknown): boolean {
  const code = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EADDRNOTAVAIL' || code === 'EHOSTUNREACH';
}

async function probe(target: ProbeTarget, options: DetectOptions): Promise<DetectedServer | ProbeProblem | undefined> {
  const host = target.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new Error(`server detection probes loopback only, not ${host}`);
  const authority = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const baseUrl = `http://${authority}:${target.port}/v1`;
  const url = `${baseUrl}/models`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
  let res: Response;
  try {
    res = await options.network.fetch('Detecting local model servers', url, { signal, headers: { accept: 'application/json' } });
  } catch (err) {
    if (options.signal?.aborted) throw err;
    if (isRefused(err)) return undefined;
    if (signal.aborted) return { target, url, reason: `no answer within ${timeoutMs} ms` };
    return undefined;
  }
  const name = `${PRODUCT_NAMES[target.product]} port ${target.port}`;
  try {
    if (!res.ok) {
      await res.body?.cancel();
      return { target, url, reason: `${url} answered HTTP ${res.status}` };
    }
    const models = await readModelList(res, `port ${target.port}`);
    const product = productOf(target, models);
    return { product, label: `${PRODUCT_NAMES[product]} on port ${target.port}`, baseUrl, models };
  } catch (err) {
    if (options.signal?.aborted) throw err;
    return { target, url, reason: signal.aborted ? `${name}: the answer did not finish within ${timeoutMs} ms` : errorMessage(err) };
  }
}

function collect(results: ReadonlyArray<DetectedServer | ProbeProblem | undefined>): Detection {
  const servers: DetectedServer[] = [];
  const problems: ProbeProblem[] = [];
  for (const r of results) {
    if (!r) continue;
    if ('baseUrl' in r) servers.push(r);
    else problems.push(r);
  }
  return { servers, problems, offline: false };
}

export async function detectLocalServers(options: DetectOptions): Promise<Detection> {
  if (options.network.offline) return { servers: [], problems: [], offline: true };
  const targets = options.targets ?? KNOWN_LOCAL_SERVERS;
  const results = new Array<DetectedServer | ProbeProblem | undefined>(targets.length);
  const settled = new Array<boolean>(targets.length).fill(false);
  await Promise.all(
    targets.map(async (t, i) => {
      results[i] = await probe(t, options);
      settled[i] = true;
      options.onPartial?.(collect(results), targets.filter((_, j) => !settled[j]));
    }),
  );
  return collect(results);
}
