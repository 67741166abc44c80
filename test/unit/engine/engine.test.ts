import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createEngine, type Engine, type EngineState } from '../../../extension/core/engine/client/engine';
import { EngineError } from '../../../extension/core/engine/shared/errors';
import type { TokenEvent } from '../../../extension/core/engine/shared/generator';
import { CODE_PROMPT, ids, loadRunner, run, testLogger, TINY, watchedLogger, WORKER_TS } from './helpers';

function waitForState(engine: Engine, kind: EngineState['kind']): Promise<EngineState> {
  return new Promise((done) => {
    const sub = engine.onStateChange((s) => {
      if (s.kind === kind) {
        sub.dispose();
        done(s);
      }
    });
  });
}

describe('engine in a child process', () => {
  let engine: Engine;
  const states: string[] = [];
  const log = watchedLogger();
  before(() => {
    engine = createEngine({ modelDir: TINY, logger: log.logger, threads: 1, workerPath: WORKER_TS });
    engine.onStateChange((s) => states.push(s.kind));
  });
  after(() => engine.dispose());

  it('loads on first use and generates what the in-process runner generates', async () => {
    assert.equal(engine.state.kind, 'unloaded');
    const streamed: TokenEvent[] = [];
    const result = await engine.generate({ prompt: CODE_PROMPT, maxTokens: 20, prefixCache: false, onToken: (e) => streamed.push(e) });
    assert.deepEqual(states.slice(0, 2), ['loading', 'ready']);
    const runner = await loadRunner(TINY);
    const local = await run(runner, { prompt: CODE_PROMPT, maxTokens: 20, prefixCache: false });
    await runner.model.dispose();
    assert.deepEqual(ids(result), ids(local));
    assert.equal(result.text, local.text);
    assert.deepEqual(streamed, result.tokens);
    // What `bench engine` reads cross the process boundary: onnxruntime time and CPU time of the
    // decode alone (after the first token), within the request's CPU time.
    const t = result.timings;
    assert.ok(t.decodeRunMs! > 0 && t.decodeCpuMs! > 0 && t.decodeCpuMs! <= t.cpuMs!, `decode ${t.decodeCpuMs} of ${t.cpuMs} ms CPU`);
    const info = await engine.info();
    assert.equal(info.contextLength, 512);
    assert.deepEqual(await engine.tokenize('<|fim_prefix|>'), [457]);
    assert.match(await engine.renderChat([{ role: 'user', content: 'hi' }]), /hi/);
  });

  it('cancellation resolves at once with the partial output and frees the process', async () => {
    const ac = new AbortController();
    const seen: TokenEvent[] = [];
    const result = await engine.generate(
      {
        prompt: CODE_PROMPT,
        maxTokens: 400,
        prefixCache: false,
        onToken: (e) => {
          seen.push(e);
          if (seen.length === 3) ac.abort();
        },
      },
      ac.signal,
    );
    assert.equal(result.finishReason, 'abort');
    assert.equal(result.completionTokens, 3);
    assert.equal(result.text, seen.map((e) => e.text).join(''));
    assert.ok(result.promptTokens > 0);
    const next = await engine.generate({ prompt: 'x', maxTokens: 5 });
    assert.equal(next.completionTokens, 5);
    // The cancel reached the process between model steps: it stopped long before 400 tokens.
    const stopped = await log.line(/stopped by a cancel after (\d+) of at most 400 tokens/);
    assert.ok(Number(/after (\d+)/.exec(stopped)![1]) < 50, stopped);
  });

  it('an already-aborted signal returns without running, and a queued request can be cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    const r = await engine.generate({ prompt: CODE_PROMPT, maxTokens: 5 }, ac.signal);
    assert.equal(r.finishReason, 'abort');
    assert.equal(r.completionTokens, 0);

    const second = new AbortController();
    const first = engine.generate({ prompt: CODE_PROMPT, maxTokens: 60, prefixCache: false });
    const queued = engine.generate({ prompt: CODE_PROMPT, maxTokens: 60 }, second.signal);
    second.abort();
    const q = await queued;
    assert.equal(q.finishReason, 'abort');
    assert.equal((await first).completionTokens > 0, true);
  });

  it('invalid requests are typed errors and leave the process running', async () => {
    await assert.rejects(engine.generate({ prompt: 'x', maxTokens: 2, topP: 2 }), (e: unknown) => e instanceof EngineError && e.code === 'invalid-request');
    await assert.rejects(engine.generate({ prompt: 'x', maxTokens: 1.5 }), (e: unknown) => e instanceof EngineError && e.code === 'invalid-request');
    assert.equal((await engine.generate({ prompt: 'x', maxTokens: 2 })).completionTokens, 2);
  });
});

describe('engine process failures', () => {
  it('a process that exits fails its pending requests clearly and restarts on the next request', async () => {
    const crashing = resolve(__dirname, 'processes/crashingWorker.ts');
    const engine = createEngine({ modelDir: TINY, logger: testLogger(), threads: 1, workerPath: crashing });
    try {
      await engine.info();
      const errorState = waitForState(engine, 'error');
      await assert.rejects(engine.generate({ prompt: '<<exit>>', maxTokens: 10 }), (err: unknown) => {
        assert.ok(err instanceof EngineError);
        assert.equal(err.code, 'worker-failed');
        assert.match(err.message, /exited unexpectedly \(exit code 7\).*1 pending request\(s\) failed.*restarts/);
        return true;
      });
      assert.match(((await errorState) as { message: string }).message, /exit code 7/);
      const again = await engine.generate({ prompt: 'def f(x):', maxTokens: 4 });
      assert.equal(again.completionTokens, 4);
      assert.equal(engine.state.kind, 'ready');
    } finally {
      engine.dispose();
    }
  });

  it('a native crash in the process (abort) fails the request with a clear error; the host lives on', async () => {
    const crashing = resolve(__dirname, 'processes/crashingWorker.ts');
    const engine = createEngine({ modelDir: TINY, logger: testLogger(), threads: 1, workerPath: crashing });
    try {
      await assert.rejects(engine.generate({ prompt: '<<abort>>', maxTokens: 10 }), (err: unknown) => {
        assert.ok(err instanceof EngineError);
        assert.equal(err.code, 'worker-failed');
        assert.match(err.message, /the inference process crashed \(signal SIGABRT\).*1 pending request\(s\) failed.*restarts/);
        return true;
      });
      assert.equal(engine.state.kind, 'error');
      assert.equal((await engine.generate({ prompt: 'def f(x):', maxTokens: 3 })).completionTokens, 3);
    } finally {
      engine.dispose();
    }
  });

  it('malformed replies from the process are rejected, not trusted', async () => {
    const lying = resolve(__dirname, 'processes/lyingWorker.ts');
    const lines: string[] = [];
    const engine = createEngine({ modelDir: TINY, logger: testLogger(lines), workerPath: lying });
    try {
      await assert.rejects(engine.tokenize('x'), (e: unknown) => e instanceof EngineError && e.code === 'worker-failed' && /malformed reply/.test(e.message));
      await assert.rejects(engine.generate({ prompt: 'x', maxTokens: 2 }), (e: unknown) => e instanceof EngineError && /malformed reply/.test(e.message));
      assert.ok(lines.some((l) => l.includes('events[0].text must be a string')));
    } finally {
      engine.dispose();
    }
  });

  it('a process that stops answering a time-limited request is killed and the request fails', async () => {
    const hanging = resolve(__dirname, 'processes/hangingWorker.ts');
    const engine = createEngine({ modelDir: TINY, logger: testLogger(), workerPath: hanging, watchdogGraceMs: 100 });
    try {
      await assert.rejects(engine.generate({ prompt: 'x', maxTokens: 2, maxTimeMs: 50 }), (err: unknown) => {
        assert.ok(err instanceof EngineError);
        assert.equal(err.code, 'worker-failed');
        assert.match(err.message, /did not answer within 150 ms/);
        return true;
      });
      assert.equal(engine.state.kind, 'error');
    } finally {
      engine.dispose();
    }
  });

  it('unloads after the idle time and loads again on the next request', async () => {
    const engine = createEngine({ modelDir: TINY, logger: testLogger(), threads: 1, idleUnloadMs: 20, workerPath: WORKER_TS });
    try {
      await engine.generate({ prompt: 'x', maxTokens: 2 });
      await waitForState(engine, 'unloaded');
      const r = await engine.generate({ prompt: 'x', maxTokens: 2 });
      assert.equal(r.completionTokens, 2);
    } finally {
      engine.dispose();
    }
  });

  it('dispose fails pending requests instead of leaving them hanging', async () => {
    const engine = createEngine({ modelDir: TINY, logger: testLogger(), threads: 1, workerPath: WORKER_TS });
    const pending = engine.generate({ prompt: CODE_PROMPT, maxTokens: 400 });
    engine.dispose();
    await assert.rejects(pending, (e: unknown) => e instanceof EngineError && e.code === 'disposed');
  });

  it('dispose during a run lets the process finish its step, release the model and exit by itself', async () => {
    const log = watchedLogger();
    const engine = createEngine({ modelDir: TINY, logger: log.logger, threads: 1, workerPath: WORKER_TS });
    let tokens = 0;
    const pending = engine.generate({
      prompt: CODE_PROMPT,
      maxTokens: 400,
      prefixCache: false,
      onToken: () => {
        if (++tokens === 5) engine.dispose();
      },
    });
    await assert.rejects(pending, (e: unknown) => e instanceof EngineError && e.code === 'disposed');
    await log.line(/the inference process released the model and exited/);
    assert.ok(!log.lines.some((l) => /after it was asked to close|did not end within/.test(l)), log.lines.join('\n'));
  });
});
