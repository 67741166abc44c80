import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ModelRunner } from '../../../extension/core/engine/worker/runner';
import type { DtypeChoice } from '../../../extension/core/models/onnxFiles';
import { CODE_PROMPT, ids, loadRunner, run, TINY_QWEN, TINY_QWEN_FUSED } from './helpers';

/**
 * The weight formats users bring (4-bit MatMulNBits, float16 throughout, fp32 with external
 * data) and Lathe's fused graph, on tiny fixtures written by models/train/size_fixture.py. Each
 * must load, and greedy output must be the same with and without the prefix cache and with
 * prompt-lookup speculation (on these graphs a cached step computes the same logits as a full
 * pass: models/train/graph_check.py measures ≤ 3e-6 relative).
 */
const CASES: Array<{ name: string; dir: string; dtype: DtypeChoice; file: RegExp; kv: 'float32' | 'float16'; nodes: number }> = [
  { name: 'fp32 with external data', dir: TINY_QWEN, dtype: 'fp32', file: /onnx\/model\.onnx$/, kv: 'float32', nodes: 100 },
  { name: '4-bit MatMulNBits (model_q4.onnx)', dir: TINY_QWEN, dtype: 'q4', file: /model_q4\.onnx$/, kv: 'float32', nodes: 100 },
  { name: 'float16 weights, KV and logits (model_fp16.onnx)', dir: TINY_QWEN, dtype: 'fp16', file: /model_fp16\.onnx$/, kv: 'float16', nodes: 100 },
  { name: 'fused contrib-op graph, 4-bit', dir: TINY_QWEN_FUSED, dtype: 'q4', file: /model_q4\.onnx$/, kv: 'float32', nodes: 0 },
];

for (const c of CASES) {
  describe(`a Qwen2-layout model: ${c.name}`, () => {
    let runner: ModelRunner;
    before(async () => {
      runner = await loadRunner(c.dir, c.dtype);
    });
    after(() => runner.model.dispose());

    it('loads the variant and reads its graph', () => {
      assert.equal(runner.model.onnx.dtype, c.dtype);
      assert.match(runner.model.onnx.path, c.file);
      assert.equal(runner.model.geometry.elementType, c.kv);
      const graph = runner.model.graph!;
      assert.ok(graph.nodes > 0);
      if (c.nodes > 0) assert.ok(graph.nodes > c.nodes, `plain layout: ${graph.nodes} nodes`);
      else assert.ok(graph.ops.has('com.microsoft:GroupQueryAttention') && graph.nodes < 60, `fused layout: ${graph.nodes} nodes`);
      if (c.dtype === 'q4') assert.ok(graph.ops.has('com.microsoft:MatMulNBits'));
      if (c.dtype === 'fp32') assert.ok(graph.external.length > 0 && runner.model.onnx.externalData);
    });

    it(c.nodes === 0 ? 'keeps KV in an arena: steps return only their own rows' : 'keeps KV dense: steps return the whole cache', async () => {
      const first = await runner.model.step([1, 2, 3], runner.model.emptyKv(), 1);
      const second = await runner.model.step([4], first.kv, 1);
      assert.equal(second.kv.length, 4);
      assert.equal(second.kv.arena !== undefined, c.nodes === 0);
      if (second.kv.arena) assert.equal(second.kv.arena, first.kv.arena, 'the next step appends to the same buffers');
      assert.equal(second.kv.frozen().tensors[0].dims[2], 4);
    });

    it('decodes the same greedy tokens with and without the prefix cache', async () => {
      const plain = await run(runner, { prompt: CODE_PROMPT, maxTokens: 24, prefixCache: false, speculative: false });
      assert.equal(plain.completionTokens, 24);
      await run(runner, { prompt: CODE_PROMPT.slice(0, 50), maxTokens: 2, speculative: false });
      const cached = await run(runner, { prompt: CODE_PROMPT, maxTokens: 24, speculative: false });
      assert.ok(cached.cachedTokens > 0, 'the second request reuses the first one’s KV');
      assert.deepEqual(ids(cached), ids(plain));
      const spec = await run(runner, { prompt: CODE_PROMPT, maxTokens: 24, prefixCache: false, speculative: true });
      assert.ok(spec.speculation);
      assert.deepEqual(ids(spec), ids(plain));
      assert.ok(plain.timings.decodeRunMs! > 0 && plain.timings.decodeRunMs! <= plain.timings.totalMs);
      assert.ok(plain.timings.decodeCpuMs! > 0 && plain.timings.decodeCpuMs! <= plain.timings.cpuMs!);
    });
  });
}
