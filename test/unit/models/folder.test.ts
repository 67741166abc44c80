import assert from 'node:assert/strict';
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { readModelConfig } from '../../../extension/core/models/config';
import { ModelFolderError } from '../../../extension/core/models/errors';
import { readModelFolder } from '../../../extension/core/models/folder';
import { copyModel, TINY, TINY_KEEP } from '../engine/helpers';

const chooseOnnxFile = (dir: string, dtype: Parameters<ReturnType<typeof readModelFolder>['chooseWeights']>[0]) => readModelFolder(dir).chooseWeights(dtype);

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

describe('model folder', () => {
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

  it('lists the weight variants present, in auto order', () => {
    const dir = withVariants('model_int8.onnx', 'model_fp16.onnx');
    assert.deepEqual(readModelFolder(dir).weights.map((w) => w.dtype), ['int8', 'fp32', 'fp16']);
  });

  it('reads FIM support, chat template and special tokens once, for every caller', () => {
    const folder = readModelFolder(TINY);
    assert.equal(folder.name, 'tiny-llama');
    assert.equal(folder.fim?.family, 'lathe');
    assert.equal(folder.fim?.declared, true);
    assert.equal(folder.chatTemplate, undefined);
    assert.equal(folder.eosToken, '<|endoftext|>');
    assert.equal(folder.tokenizer(), folder.tokenizer());
    assert.equal(folder.tokenCounter().name, 'tiny-llama');
    assert.equal(folder.tokenCounter().count('def f(x):'), folder.tokenizer().countTokens('def f(x):'));
  });

  it('takes the FIM order from lathe.json and its tokens when tokenizer_config.json has none', () => {
    const { dir, cleanup } = copyModel(TINY);
    cleanups.push(cleanup);
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ eos_token: '<|endoftext|>' }));
    writeFileSync(join(dir, 'lathe.json'), JSON.stringify({ fim_prefix_token: '<|fim_prefix|>', fim_suffix_token: '<|fim_suffix|>', fim_middle_token: '<|fim_middle|>', fim_format: 'spm' }));
    const fim = readModelFolder(dir).fim;
    assert.deepEqual([fim?.family, fim?.order, fim?.tokens.prefix], ['lathe', 'spm', '<|fim_prefix|>']);
  });

  it('a folder without config.json or tokenizer.json is an error naming the file', () => {
    for (const file of ['config.json', 'tokenizer.json']) {
      const { dir, cleanup } = copyModel(TINY);
      cleanups.push(cleanup);
      rmSync(join(dir, file));
      assert.throws(() => readModelFolder(dir), (err: unknown) => err instanceof ModelFolderError && err.code === 'missing-file' && err.message.includes(file));
    }
  });
});
