import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { chooseOnnxFile } from '../../../extension/core/engine/modelFiles';
import { readModelConfig } from '../../../extension/core/engine/modelConfig';
import { copyModel, TINY, TINY_KEEP } from './helpers';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function withVariants(...names: string[]): string {
  const { dir, cleanup } = copyModel(TINY);
  cleanups.push(cleanup);
  for (const n of names) copyFileSync(join(dir, 'onnx', 'model.onnx'), join(dir, 'onnx', n));
  return dir;
}

describe('model folder files', () => {
  it('picks the ONNX variant for each dtype, with int8 first for auto', () => {
    const dir = withVariants('model_quantized.onnx', 'model_q4.onnx', 'model_fp16.onnx');
    assert.match(chooseOnnxFile(dir, 'auto').path, /model_quantized\.onnx$/);
    assert.equal(chooseOnnxFile(dir, 'auto').dtype, 'int8');
    assert.match(chooseOnnxFile(dir, 'fp32').path, /model\.onnx$/);
    assert.match(chooseOnnxFile(dir, 'q4').path, /model_q4\.onnx$/);
    assert.match(chooseOnnxFile(dir, 'fp16').path, /model_fp16\.onnx$/);
    const choice = chooseOnnxFile(dir, 'fp32');
    assert.equal(choice.externalData, false);
    assert.ok(choice.weightBytes > 500_000);
  });

  it('auto follows the folder’s recommendation in lathe.json', () => {
    const dir = withVariants('model_int8.onnx');
    assert.match(chooseOnnxFile(dir, 'auto').path, /model_int8\.onnx$/);
    writeFileSync(join(dir, 'lathe.json'), JSON.stringify({ default_onnx: 'model.onnx' }));
    assert.equal(chooseOnnxFile(dir, 'auto').dtype, 'fp32');
    writeFileSync(join(dir, 'lathe.json'), JSON.stringify({ default_onnx: '../../etc/passwd' }));
    assert.equal(chooseOnnxFile(dir, 'auto').dtype, 'int8');
  });

  it('counts external weight files', () => {
    const dir = withVariants();
    writeFileSync(join(dir, 'onnx', 'model.onnx_data'), Buffer.alloc(1000));
    const choice = chooseOnnxFile(dir, 'fp32');
    assert.equal(choice.externalData, true);
    assert.equal(choice.weightBytes, chooseOnnxFile(TINY, 'fp32').weightBytes + 1000);
  });

  it('reads the KV geometry, context and EOS ids from the configs', () => {
    const c = readModelConfig(TINY_KEEP);
    assert.deepEqual([c.numLayers, c.numKvHeads, c.headDim, c.vocabSize, c.contextLength], [2, 2, 16, 461, 512]);
    assert.deepEqual(c.eosTokenIds, [456, 460]);
    assert.equal(c.generation.doSample, false);
  });
});
