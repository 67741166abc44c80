/**
 * Entry point of the inference worker thread (bundled as dist/engine-worker.js). Owns the
 * onnxruntime session: its blocking run() calls never touch the extension host's event loop.
 * Requests that use the model run one at a time in arrival order; cancellation is read from
 * shared memory between model steps, so it needs no message round trip.
 */
import { parentPort } from 'node:worker_threads';
import { createLogger, type LogLevel } from '../../common/logger';
import { DecoderModel } from '../decoderModel';
import { errorMessage } from '../../../base/errorText';
import { EngineError } from '../errors';
import { DEFAULT_DRAFT } from '../promptLookup';
import { ModelRunner } from '../runner';
import { parseHostMessage, type HostMessage, type LoadOptions, type WorkerMessage } from './protocol';

const port = parentPort;
if (!port) throw new Error('engine worker must run in a worker thread');

function post(message: WorkerMessage): void {
  port!.postMessage(message);
}

const log = createLogger({ log: (level: LogLevel, message: string) => post({ type: 'log', level, message }) }, 'worker');

let runner: ModelRunner | undefined;
let queue: Promise<void> = Promise.resolve();

async function load(options: LoadOptions): Promise<ModelRunner> {
  if (runner) {
    await runner.model.dispose();
    runner = undefined;
  }
  const model = await DecoderModel.load(options, log);
  runner = new ModelRunner(model, {
    speculation: options.speculation,
    draft: DEFAULT_DRAFT,
    prefixCache: { maxEntries: options.prefixCacheEntries, maxBytes: options.prefixCacheBytes },
  });
  return runner;
}

function loaded(): ModelRunner {
  if (!runner) throw new EngineError('invalid-request', 'no model is loaded in the inference worker');
  return runner;
}

async function handle(msg: HostMessage): Promise<unknown> {
  switch (msg.type) {
    case 'load':
      return (await load(msg.options)).info();
    case 'info':
      return loaded().info();
    case 'tokenize':
      return loaded().tokenize(msg.text);
    case 'renderChat':
      return loaded().renderChat(msg.messages);
    case 'clearCache':
      loaded().clearCache();
      return null;
    case 'generate': {
      const flag = new Int32Array(msg.abort);
      const id = msg.id;
      return loaded().generate(msg.params, {
        isAborted: () => Atomics.load(flag, 0) !== 0,
        onPrompt: (promptTokens, cachedTokens) => post({ type: 'prompt', id, promptTokens, cachedTokens }),
        onToken: (event) => post({ type: 'token', id, event }),
      });
    }
  }
}

function reply(id: number, work: () => Promise<unknown>): Promise<void> {
  return work().then(
    (value) => post({ type: 'result', id, value }),
    (err: unknown) => {
      const info = err instanceof EngineError ? err.toInfo() : { code: 'inference-failed' as const, message: errorMessage(err) };
      if (!(err instanceof EngineError)) log.error('unexpected failure', err);
      post({ type: 'error', id, error: info });
    },
  );
}

port.on('message', (raw: unknown) => {
  const msg = parseHostMessage(raw);
  if (typeof msg === 'string') {
    log.error(`rejected a malformed message: ${msg}`);
    const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
    if (typeof id === 'number' && Number.isInteger(id)) post({ type: 'error', id, error: { code: 'invalid-request', message: msg } });
    return;
  }
  // Model work is serialised; everything else is answered between model steps.
  if (msg.type === 'load' || msg.type === 'generate' || msg.type === 'clearCache') {
    queue = queue.then(() => reply(msg.id, () => handle(msg)));
  } else {
    void reply(msg.id, () => handle(msg));
  }
});
