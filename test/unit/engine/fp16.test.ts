import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DecoderModel } from '../../../extension/core/engine/worker/decoderModel';
import { halfToFloat32 } from '../../../extension/core/engine/worker/float16';
import { ModelRunner } from '../../../extension/core/engine/worker/runner';
import { CODE_PROMPT, ids, run, testLogger } from './helpers';

const FP16 = join(__dirname, 'fixtures', 'tiny-llama-fp16kv');

describe('float16', () => {
  it('decodes half-precision bit patterns', () => {
    const bits = Uint16Array.from([0x3c00, 0xc000, 0x0000, 0x8000, 0x7bff, 0x0001, 0x7c00, 0xfc00, 0x3555]);
    const f = halfToFloat32(bits);
    assert.deepEqual([...f.slice(0, 5)], [1, -2, 0, -0, 65504]);
    assert.equal(f[5], 2 ** -24);
    assert.equal(f[6], Infinity);
    assert.equal(f[7], -Infinity);
    assert.ok(Math.abs(f[8] - 1 / 3) < 1e-3);
    assert.ok(Number.isNaN(halfToFloat32(Uint16Array.of(0x7e00))[0]));
  });
});

describe('a model with float16 KV and logits (model_fp16.onnx)', () => {
  let runner: ModelRunner;
  before(async () => {
    runner = new ModelRunner(await DecoderModel.load({ modelDir: FP16, dtype: 'fp16', threads: 1 }, testLogger()));
  });
  after(() => runner.model.dispose());

  it('reads the KV element type from the graph and picks the fp16 file', () => {
    assert.equal(runner.model.geometry.elementType, 'float16');
    assert.equal(runner.model.onnx.dtype, 'fp16');
    assert.match(runner.model.onnx.path, /model_fp16\.onnx$/);
  });

  // This graph computes in fp32 and rounds KV to fp16 at its outputs, so a cached prefix (or a
  // draft verified in one batch) sees fp16-rounded keys where a single pass sees fp32 ones: on a
  // chaotic random-weight model that can flip an argmax. Token-for-token equality is asserted on
  // the fp32 fixtures; here the cache and speculation paths must run and be deterministic.
  it('generates through the fp16 KV path with the prefix cache and speculation', async () => {
    const plain = await run(runner, { prompt: CODE_PROMPT, maxTokens: 40, prefixCache: false, speculative: false });
    assert.equal(plain.completionTokens, 40);
    await run(runner, { prompt: CODE_PROMPT.slice(0, 40), maxTokens: 4, speculative: false });
    const cached = await run(runner, { prompt: CODE_PROMPT, maxTokens: 40, speculative: false });
    assert.ok(cached.cachedTokens > 0);
    const again = await run(runner, { prompt: CODE_PROMPT, maxTokens: 40, speculative: false });
    assert.equal(again.cachedTokens, again.promptTokens - 1);
    assert.equal(cached.tokens[0].tokenId, plain.tokens[0].tokenId);
    const spec = await run(runner, { prompt: 'return', maxTokens: 60, prefixCache: false, speculative: true });
    const spec2 = await run(runner, { prompt: 'return', maxTokens: 60, prefixCache: false, speculative: true });
    assert.ok(spec.speculation);
    assert.deepEqual(ids(spec), ids(spec2));
  });
});
