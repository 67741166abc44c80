/** The fuzz worker thread: runs one case at a time and answers with its Outcome (crashes caught). */
import { parentPort } from 'node:worker_threads';
import type { Outcome } from './outcome';
import { TARGETS, type Kind } from './targets';

parentPort?.on('message', (m: { kind: Kind; input: unknown }) => {
  const target = TARGETS[m.kind];
  Promise.resolve()
    .then(() => target.run(m.input as never))
    .catch((err: unknown): Outcome => ({ ok: false, crash: `uncaught ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`.slice(0, 400) }))
    .then((outcome) => parentPort?.postMessage(outcome), () => undefined);
});
parentPort?.postMessage({ ready: true });
