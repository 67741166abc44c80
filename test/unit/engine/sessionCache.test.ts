import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DecoderModel } from '../../../extension/core/engine/worker/decoderModel';
import { ModelRunner } from '../../../extension/core/engine/worker/runner';
import { defaultThreads } from '../../../extension/core/engine/shared/defaults';
import { sessionOptions } from '../../../extension/core/engine/worker/sessionOptions';
import { CODE_PROMPT, ids, run, testLogger, TINY } from './helpers';

describe('session options', () => {
  it('leave a core free, keep threads from spinning and optimise the graph fully', () => {
    const o = sessionOptions(0);
    assert.equal(o.intraOpNumThreads, defaultThreads());
    assert.ok(defaultThreads() >= 1);
    assert.equal(sessionOptions(3).intraOpNumThreads, 3);
    assert.equal(o.graphOptimizationLevel, 'all');
    assert.deepEqual(o.extra, { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } });
    assert.equal(o.optimizedModelFilePath, undefined);
    assert.equal(sessionOptions(1, '/c/m.opt.onnx').optimizedModelFilePath, '/c/m.opt.onnx');
  });

  it('writes the optimized graph once, then loads it, with identical output', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'lathe-ortcache-'));
    try {
      const first: string[] = [];
      const a = new ModelRunner(await DecoderModel.load({ modelDir: TINY, dtype: 'auto', threads: 1, cacheDir }, testLogger(first)));
      const files = readdirSync(cacheDir);
      assert.equal(files.length, 1);
      assert.match(files[0], /^model-[0-9a-f]{16}\.opt\.onnx$/);
      assert.ok(first.some((l) => l.includes('cached the optimized graph')));
      const second: string[] = [];
      const b = new ModelRunner(await DecoderModel.load({ modelDir: TINY, dtype: 'auto', threads: 1, cacheDir }, testLogger(second)));
      assert.ok(second.some((l) => l.includes('using the optimized graph cached at')));
      const p = { prompt: CODE_PROMPT, maxTokens: 24, prefixCache: false };
      assert.deepEqual(ids(await run(b, p)), ids(await run(a, p)));
      await a.model.dispose();
      await b.model.dispose();
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
