/**
 * Entry point of the inference process (bundled as dist/engine-worker.js, started by
 * `client/runtime.ts` as a child process). Owns the onnxruntime session: its blocking run()
 * calls never touch the host's event loop, and a native crash ends only this process.
 *
 * Requests that use the model run one at a time in arrival order. A cancel (or close) arrives
 * as a message between model steps — each step yields to the event loop before it runs — and
 * the runner stops at the next step boundary. On close the running request returns, the
 * session is released, and the process exits by itself: it is never torn down inside run().
 */
import { createLogger, type LogLevel } from '../../common/logger';
import { currentPeer, serveRpc, type RequestContext, type StopReason } from '../../common/rpc/server';
import { errorMessage } from '../../../base/errorText';
import { EngineError } from '../shared/errors';
import type { GenerateResult, TokenEvent } from '../shared/generator';
import { ENGINE_PROTOCOL, type EngineEvents, type GenerationParams, type LoadOptions } from '../shared/protocol';
import { DecoderModel } from './decoderModel';
import { DEFAULT_PREFIX_CACHE } from './prefixCache';
import { DEFAULT_DRAFT } from './promptLookup';
import { ModelRunner } from './runner';

// Ctrl+C in a terminal reaches the whole process group: the host decides when this process
// ends (it closes it, or its going away disconnects the channel), never a signal mid-step.
process.on('SIGINT', () => undefined);

let runner: ModelRunner | undefined;
let queue: Promise<unknown> = Promise.resolve();

const server = serveRpc(
  currentPeer(),
  ENGINE_PROTOCOL,
  {
    load: (options) => serial(async () => (await load(options)).info()),
    generate: (params, context) => serial(() => generate(params, context)),
    clearCache: () =>
      serial(() => {
        loaded().clearCache();
        return null;
      }),
    // Answered between model steps, without waiting for the queue.
    info: () => loaded().info(),
    tokenize: ({ text }) => loaded().tokenize(text),
    renderChat: ({ messages }) => loaded().renderChat(messages),
  },
  {
    errorInfo: (err) => {
      if (err instanceof EngineError) return err.toInfo();
      log.error('unexpected failure', err);
      return { code: 'inference-failed', message: errorMessage(err) };
    },
    onClose: release,
    log: { error: (message) => log.error(message) },
  },
);

const log = createLogger({ log: (level: LogLevel, message: string) => server.emit('log', { level, message }) }, 'worker');

/** Model work runs one request at a time, in arrival order. */
function serial<T>(work: () => Promise<T> | T): Promise<T> {
  const next = queue.then(work);
  queue = next.catch(() => undefined);
  return next;
}

async function load(options: LoadOptions): Promise<ModelRunner> {
  await release();
  const model = await DecoderModel.load(options, log);
  runner = new ModelRunner(model, {
    speculation: options.speculation,
    draft: DEFAULT_DRAFT,
    prefixCache: { maxEntries: options.prefixCacheEntries ?? DEFAULT_PREFIX_CACHE.maxEntries, maxBytes: options.prefixCacheBytes ?? DEFAULT_PREFIX_CACHE.maxBytes },
    stepDelayMs: Number(process.env.LATHE_TEST_STEP_DELAY_MS) || 0,
  });
  return runner;
}

async function release(): Promise<void> {
  const current = runner;
  runner = undefined;
  if (current) await current.model.dispose();
}

function loaded(): ModelRunner {
  if (!runner) throw new EngineError('invalid-request', 'no model is loaded in the inference process');
  return runner;
}

/**
 * Tokens that become final together (a verified draft) travel in one message, sent before the
 * next model step starts: the flush is queued ahead of the step's own setImmediate. The prompt
 * counts ride with the first flush, so the host wakes once on the way to the first token.
 */
async function generate(params: GenerationParams, context: RequestContext<EngineEvents>): Promise<GenerateResult> {
  const model = loaded();
  let prompt: EngineEvents['prompt'] | undefined;
  let batch: TokenEvent[] = [];
  const flush = () => {
    if (prompt) context.emit('prompt', prompt);
    prompt = undefined;
    if (batch.length === 0) return;
    context.emit('tokens', { events: batch });
    batch = [];
  };
  try {
    const result = await model.generate(params, {
      isAborted: () => context.signal.aborted,
      onPrompt: (promptTokens, cachedTokens) => {
        prompt = { promptTokens, cachedTokens };
      },
      onToken: (event) => {
        if (batch.push(event) === 1) setImmediate(flush);
      },
    });
    if (context.signal.aborted) {
      // A close (model change, unload) interrupting a run is worth a line in the log; cancels are routine.
      const closing = context.signal.reason === ('closing' satisfies StopReason);
      log[closing ? 'info' : 'debug'](`generate stopped ${closing ? 'to close the process' : 'by a cancel'} after ${result.completionTokens} of at most ${params.maxTokens} tokens`);
    }
    return result;
  } finally {
    flush();
  }
}
