/**
 * Worker thread that counts tokens with a model's tokenizer, so that counting a large dataset
 * does not occupy the thread that started it. Input: `{ id, texts }`; output: `{ id, counts }`
 * or `{ id, error }`. Malformed input is answered with an error, never thrown.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadTokenizer } from '../../engine/tokenizer';
import { errorMessage } from '../../../base/errorText';

const port = parentPort;
if (!port) throw new Error('tokenWorker runs as a worker thread');
const dir = (workerData as { modelDir?: unknown } | undefined)?.modelDir;
if (typeof dir !== 'string') throw new Error('tokenWorker needs workerData.modelDir');
const tokenizer = loadTokenizer(dir);

port.on('message', (m: unknown) => {
  const msg = m as { id?: unknown; texts?: unknown };
  const id = typeof msg?.id === 'number' ? msg.id : -1;
  if (!Array.isArray(msg?.texts) || !msg.texts.every((t) => typeof t === 'string')) {
    port.postMessage({ id, error: 'texts must be a list of strings' });
    return;
  }
  try {
    port.postMessage({ id, counts: (msg.texts as string[]).map((t) => tokenizer.countTokens(t)) });
  } catch (err) {
    port.postMessage({ id, error: errorMessage(err) });
  }
});
