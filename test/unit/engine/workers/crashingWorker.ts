/**
 * Test worker: the real inference worker, which also exits the thread (as a native crash
 * would) when a generate request's prompt contains "<<crash>>".
 */
import { parentPort } from 'node:worker_threads';
import '../../../../extension/core/engine/worker/main';

parentPort?.on('message', (m: unknown) => {
  if (typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'generate') {
    const params = (m as { params?: { prompt?: unknown } }).params;
    if (typeof params?.prompt === 'string' && params.prompt.includes('<<crash>>')) process.exit(7);
  }
});
