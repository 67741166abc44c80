/**
 * The engine stopped in the middle of runs, 100 times, in the three ways it happens in use:
 * dispose (a model or settings change while a completion streams, `lathe serve` shutting
 * down), cancel (the user typed on) and the watchdog's kill (a time-limited request past its
 * deadline). Runs are 1–200 tokens, stopped at a seeded point from prefill to the last token.
 * The test process must survive every one (an abort inside onnxruntime would end it), and the
 * next request is served each time.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEngine, type Engine } from '../../../extension/core/engine/client/engine';
import { seededRandom } from '../../../extension/core/common/rng';
import { EngineError } from '../../../extension/core/engine/shared/errors';
import { CODE_PROMPT, TINY, watchedLogger, WORKER_TS } from './helpers';

const RUNS = 100;
const WAYS = ['dispose', 'cancel', 'kill'] as const;
type Way = (typeof WAYS)[number];

describe('terminating the engine mid-run', () => {
  it(`survives ${RUNS} terminations (dispose, cancel, watchdog kill) and serves the next request each time`, async () => {
    const random = seededRandom(20);
    const int = (n: number) => Math.floor(random() * n);
    const log = watchedLogger();
    const make = () => createEngine({ modelDir: TINY, logger: log.logger, threads: 1, workerPath: WORKER_TS, watchdogGraceMs: 0 });
    /** Runs stopped before they finished, per way; `triggered`: dispose/cancel calls made. */
    const stopped: Record<Way, number> = { dispose: 0, cancel: 0, kill: 0 };
    const triggered: Record<Way, number> = { dispose: 0, cancel: 0, kill: 0 };
    let engine: Engine = make();
    try {
      for (let i = 0; i < RUNS; i++) {
        const way = WAYS[i % WAYS.length];
        const maxTokens = 1 + int(200);
        // 0: stop during prefill, before the first token arrives.
        const stopAt = int(maxTokens);
        const ac = new AbortController();
        let seen = 0;
        const stop = () => {
          triggered[way]++;
          if (way === 'dispose') engine.dispose();
          else ac.abort();
        };
        const running = engine.generate(
          {
            prompt: `${CODE_PROMPT}# run ${i}\n`,
            maxTokens,
            prefixCache: i % 2 === 0,
            // The watchdog fires this long after the request was sent (no grace); the
            // process's own deadline starts later, so the kill lands inside a run.
            maxTimeMs: way === 'kill' ? 1 + int(40) : undefined,
            onToken: () => {
              if (++seen === stopAt && way !== 'kill') stop();
            },
          },
          ac.signal,
        );
        if (stopAt === 0 && way !== 'kill') setImmediate(stop);
        const outcome = await running.then(
          (r) => (r.finishReason === 'abort' ? 'stopped' : 'finished'),
          (err: unknown) => {
            assert.ok(err instanceof EngineError, String(err));
            if (way === 'dispose') assert.equal(err.code, 'disposed');
            if (way === 'kill') assert.match(err.message, /did not answer within \d+ ms of a time-limited request/);
            return 'stopped';
          },
        );
        if (outcome === 'stopped') stopped[way]++;
        if (way === 'dispose') {
          engine.dispose(); // a no-op unless the run ended (EOS) before its stopping point
          engine = make();
        }
        const next = await engine.generate({ prompt: 'def f(x):', maxTokens: 3 });
        assert.equal(next.completionTokens, 3, `run ${i} (${way} after ${stopAt} of ${maxTokens} tokens): the next request`);
      }
    } finally {
      engine.dispose();
    }
    // Every dispose and cancel stopped its run (the others ended before their stopping point,
    // with EOS); the seeded kills land inside runs too.
    const counts = JSON.stringify({ stopped, triggered });
    assert.equal(stopped.dispose, triggered.dispose, counts);
    assert.equal(stopped.cancel, triggered.cancel, counts);
    assert.ok(triggered.dispose + triggered.cancel >= 50 && stopped.kill >= 10, counts);
    // Disposed processes finished their step, released the model and exited by themselves.
    assert.ok(!log.lines.some((l) => /after it was asked to close|did not end within/.test(l)), log.lines.filter((l) => !l.startsWith('debug')).join('\n'));
  });
});
