/** Test worker: loads for real, then never answers generate requests (a stuck native call). */
import { parentPort } from 'node:worker_threads';

parentPort?.on('message', (m: { type: string; id: number }) => {
  if (m.type === 'load') {
    parentPort!.postMessage({ type: 'result', id: m.id, value: { id: 'stuck', contextLength: 8, vocabSize: 4, hasChatTemplate: false } });
  }
});
