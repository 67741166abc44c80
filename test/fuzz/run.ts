/**
 * The fuzz harness: `npm run fuzz -- --seed S --count N [--kinds jsonl,prompty,protocol,serve]
 * [--timeout-ms T] [--only kind:index]`. Inputs are generated here from the seed (case i of a
 * kind always gets the same input) and run one at a time on a worker thread; a case that does
 * not answer within the timeout is a hang (the thread is replaced). Prints each failure and a
 * summary per kind (inputs tried, crashes, hangs, rows lost, leaks) and keeps failing inputs
 * under test-results/fuzz/. Exit code 1 when anything failed. Never part of the timed tests.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { caseSeed, Gen } from './gen';
import type { Outcome } from './outcome';
import { KINDS, TARGETS, type Kind } from './targets';

const { values } = parseArgs({ options: { seed: { type: 'string' }, count: { type: 'string' }, kinds: { type: 'string' }, 'timeout-ms': { type: 'string' }, only: { type: 'string' } } });
const seed = Number(values.seed ?? 1);
const count = Number(values.count ?? 100);
const timeoutMs = Number(values['timeout-ms'] ?? 30_000);
const kinds = (values.kinds?.split(',') ?? KINDS) as Kind[];
const bad = kinds.filter((k) => !KINDS.includes(k));
if (bad.length || !Number.isInteger(seed) || !(count > 0)) {
  console.error(`usage: npm run fuzz -- --seed S --count N [--kinds ${KINDS.join(',')}] [--timeout-ms T] [--only kind:index]`);
  process.exit(2);
}
const only = values.only ? { kind: values.only.split(':')[0] as Kind, index: Number(values.only.split(':')[1]) } : undefined;
const OUT = join(__dirname, '..', '..', 'test-results', 'fuzz');

class Runner {
  private worker: Worker | undefined;
  private ready: Promise<Worker> | undefined;

  private start(): Promise<Worker> {
    const hook = require.resolve('tsx/cjs');
    const worker = new Worker(`require(${JSON.stringify(hook)});\nrequire(${JSON.stringify(join(__dirname, 'worker.ts'))});`, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 4096 } });
    this.worker = worker;
    return new Promise((resolve, reject) => {
      worker.once('message', () => resolve(worker));
      worker.once('error', reject);
    });
  }

  async run(kind: Kind, input: unknown): Promise<Outcome | 'hang'> {
    const worker = await (this.ready ??= this.start());
    return new Promise((resolve) => {
      const done = (outcome: Outcome | 'hang') => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        resolve(outcome);
      };
      const restart = () => {
        void worker.terminate();
        this.ready = undefined;
      };
      const onMessage = (m: Outcome) => done(m);
      const onError = (err: Error) => {
        restart();
        done({ ok: false, crash: `worker died: ${err.name}: ${err.message}`.slice(0, 400) });
      };
      const onExit = (code: number) => {
        this.ready = undefined;
        done({ ok: false, crash: `worker exited with code ${code}` });
      };
      const timer = setTimeout(() => {
        restart();
        done('hang');
      }, timeoutMs);
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
      worker.postMessage({ kind, input });
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
  }
}

function preview(input: unknown): string {
  const text = JSON.stringify(input, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : v)) ?? String(input);
  return text.length > 160 ? `${text.slice(0, 160)}… (${text.length} chars)` : text;
}

async function main(): Promise<number> {
  const runner = new Runner();
  const summary: Record<string, { tried: number; ok: number; crashes: number; hangs: number; lostRows: number; leaks: number; ms: number }> = {};
  try {
    for (const kind of kinds) {
      if (only && only.kind !== kind) continue;
      const s = (summary[kind] = { tried: 0, ok: 0, crashes: 0, hangs: 0, lostRows: 0, leaks: 0, ms: 0 });
      const t0 = Date.now();
      for (let i = only ? only.index : 0; i < (only ? only.index + 1 : count); i++) {
        const input = TARGETS[kind].generate(new Gen(caseSeed(seed, kind, i)));
        const outcome = await runner.run(kind, input);
        s.tried++;
        let failure: string | undefined;
        if (outcome === 'hang') {
          s.hangs++;
          failure = `hang (no answer in ${timeoutMs} ms)`;
        } else if (!outcome.ok) {
          s.crashes++;
          failure = `crash: ${outcome.crash}`;
        } else {
          if (outcome.lost) {
            s.lostRows += outcome.lost;
            failure = `${outcome.lost} rows lost`;
          }
          if (outcome.leaked) {
            s.leaks++;
            failure = 'an error showed content of a file it refused';
          }
          if (!failure) s.ok++;
        }
        if (failure) {
          console.log(`${kind}#${i}: ${failure}\n  input: ${preview(input)}`);
          mkdirSync(OUT, { recursive: true });
          writeFileSync(join(OUT, `${kind}-${seed}-${i}.json`), preview(input).length < 200 ? JSON.stringify(input) : JSON.stringify(input).slice(0, 1_000_000));
        }
        if ((i + 1) % 100 === 0) process.stderr.write(`${kind}: ${i + 1}/${count}\n`);
      }
      s.ms = Date.now() - t0;
    }
  } finally {
    await runner.close();
  }
  const rows = Object.entries(summary).map(([k, s]) => `${k.padEnd(9)} tried ${String(s.tried).padStart(5)}  crashes ${s.crashes}  hangs ${s.hangs}  rows lost ${s.lostRows}  leaks ${s.leaks}  (${(s.ms / 1000).toFixed(1)} s)`);
  console.log(`\nfuzz seed ${seed}, ${count} inputs per kind, timeout ${timeoutMs} ms\n${rows.join('\n')}`);
  console.log(JSON.stringify({ seed, count, timeoutMs, kinds: summary }));
  return Object.values(summary).some((s) => s.crashes + s.hangs + s.lostRows + s.leaks > 0) ? 1 : 0;
}

void main().then((code) => {
  process.exitCode = code;
});
