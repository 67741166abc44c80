/** Test worker that answers load correctly and everything else with malformed messages. */
import { parentPort } from 'node:worker_threads';

parentPort?.on('message', (m: { type: string; id: number }) => {
  if (m.type === 'load') {
    parentPort!.postMessage({ type: 'result', id: m.id, value: { id: 'fake', contextLength: 8, vocabSize: 4, hasChatTemplate: false } });
  } else if (m.type === 'tokenize') {
    parentPort!.postMessage({ type: 'result', id: m.id, value: ['not', 'ids'] });
  } else if (m.type === 'generate') {
    parentPort!.postMessage({ type: 'token', id: m.id, event: { text: 1, tokenId: -1 } });
  }
});
