/**
 * Memory bandwidth as memcpy sees it, with as many threads as the engine uses: each thread
 * copies its own buffer after a shared start signal. A copy reads and writes every byte, so
 * the traffic is 2 × bytes; decoding one token reads every weight once, which makes
 * weight bytes ÷ this bandwidth the floor for ms per token.
 */
import { Worker } from 'node:worker_threads';

const COPY_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { bytes, reps, start } = workerData;
const a = Buffer.alloc(bytes, 1), b = Buffer.alloc(bytes);
a.copy(b); b.copy(a);
const flag = new Int32Array(start);
parentPort.postMessage('ready');
Atomics.wait(flag, 0, 0);
const t0 = performance.now();
for (let i = 0; i < reps; i++) (i % 2 ? b : a).copy(i % 2 ? a : b);
parentPort.postMessage(performance.now() - t0);
`;

/** Bytes per second of memory traffic (read + write) over `threads` threads. */
export async function measureBandwidth(threads: number, bytesPerThread = 64 * 1024 * 1024, reps = 8): Promise<number> {
  const start = new SharedArrayBuffer(4);
  const workers = Array.from({ length: threads }, () => new Worker(COPY_WORKER, { eval: true, workerData: { bytes: bytesPerThread, reps, start } }));
  try {
    const message = (w: Worker) => new Promise<unknown>((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
    await Promise.all(workers.map(message));
    const done = workers.map(message);
    Atomics.store(new Int32Array(start), 0, 1);
    Atomics.notify(new Int32Array(start), 0);
    const times = (await Promise.all(done)) as number[];
    const slowest = Math.max(...times);
    return (2 * bytesPerThread * reps * threads) / (slowest / 1000);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
