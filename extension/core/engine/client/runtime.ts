/**
 * Host side of one inference process: starts `dist/engine-worker.js` (or the TypeScript entry
 * under tsx) as a child process and speaks the engine protocol with it through the RPC layer.
 * Whatever happens in that process — a native crash, a kill — ends only that process: its
 * pending requests fail with `EngineError('worker-failed')` and the engine starts a new one.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../common/logger';
import type { ScriptEntry } from '../../common/rpc/channel';
import { RpcClient } from '../../common/rpc/client';
import { startProcess } from '../../common/rpc/processChannel';
import { EngineError, type EngineErrorInfo } from '../shared/errors';
import { ENGINE_PROTOCOL, type EngineEvents, type EngineMethods } from '../shared/protocol';

export type RuntimeClient = RpcClient<EngineMethods, EngineEvents>;

/** The process script sits next to the host bundle; unbundled runs (tsx) use the TypeScript entry. */
export function defaultRuntimeEntry(): ScriptEntry {
  const bundled = join(__dirname, 'engine-worker.js');
  if (existsSync(bundled)) return { path: bundled };
  const source = join(__dirname, '..', 'worker', 'main.ts');
  if (existsSync(source)) return { path: source };
  throw new EngineError('worker-failed', `cannot find the inference process script (looked for ${bundled})`);
}

export function startRuntime(entry: ScriptEntry, log: Logger, onCrash: (error: EngineError) => void): RuntimeClient {
  // Native libraries write warnings and fatal errors to stdout/stderr; they belong in the log.
  const channel = startProcess(entry, { onOutput: (line) => log.warn(`inference process: ${line}`) });
  return new RpcClient(channel, ENGINE_PROTOCOL, {
    log,
    remoteError: (info) => EngineError.fromInfo(info as EngineErrorInfo),
    failure: (message) => new EngineError('worker-failed', message),
    crashNote: 'It restarts on the next request.',
    onEvent: (event) => {
      if (event.name === 'log') log[event.data.level](event.data.message);
    },
    onCrash: (error) => onCrash(error as EngineError),
  });
}
