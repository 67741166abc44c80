/**
 * The worker-thread transport. `terminate()` stops a thread wherever it is, which is harmless
 * for pure JavaScript and fatal to the whole process inside a native call: native work goes
 * through `processChannel.ts` instead.
 */
import { parentPort, Worker } from 'node:worker_threads';
import { scriptExecArgv, type PeerChannel, type PeerExit, type RpcChannel, type ScriptEntry } from './channel';

export interface ThreadOptions {
  readonly workerData?: unknown;
  /** Do not keep the process alive for this thread (a helper that may idle forever). */
  readonly unref?: boolean;
}

export function startThread(entry: ScriptEntry, options: ThreadOptions = {}): RpcChannel {
  let worker: Worker;
  if (entry.path.endsWith('.ts')) {
    // Worker threads take no --require: a small bootstrap loads tsx's hook, then the entry.
    const [, hook] = scriptExecArgv({ path: entry.path });
    const boot = `require(${JSON.stringify(hook)});\nrequire(${JSON.stringify(entry.path)});`;
    worker = new Worker(boot, { eval: true, workerData: options.workerData, execArgv: entry.execArgv ? [...entry.execArgv] : undefined });
  } else {
    worker = new Worker(entry.path, { workerData: options.workerData, execArgv: entry.execArgv ? [...entry.execArgv] : undefined });
  }
  if (options.unref) worker.unref();
  let error: Error | undefined;
  const exitListeners: ((exit: PeerExit) => void)[] = [];
  worker.on('error', (err) => (error ??= err));
  worker.on('exit', (code) => {
    for (const l of exitListeners) l({ code, signal: null, error });
  });
  return {
    send: (message) => worker.postMessage(message),
    onMessage: (listener) => void worker.on('message', listener),
    onExit: (listener) => void exitListeners.push(listener),
    kill: () => void worker.terminate(),
  };
}

/** The peer's end inside a worker thread. */
export function threadPeer(): PeerChannel | undefined {
  const port = parentPort;
  if (!port) return undefined;
  return {
    send: (message) => port.postMessage(message),
    onMessage: (listener) => void port.on('message', listener),
    onDisconnect: (listener) => void port.once('close', listener),
    close: () => port.close(),
  };
}
