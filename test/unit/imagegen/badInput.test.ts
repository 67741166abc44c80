import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { ImageGenError, type ImageGenErrorCode } from '../../../extension/core/imagegen/errors';
import { readImageModel } from '../../../extension/core/imagegen/modelFolder';
import { parseSize } from '../../../extension/core/imagegen/params';
import { generateImages } from '../../../extension/core/imagegen/pipeline';
import { SdModel } from '../../../extension/core/imagegen/sdModel';
import { copyModel, editJson, testLogger, TINY_SD, TINY_TEXT_MODEL, tempDir } from './helpers';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function broken(edit: (dir: string) => void): string {
  const { dir, cleanup } = copyModel(TINY_SD);
  cleanups.push(cleanup);
  edit(dir);
  return dir;
}

function fails(code: ImageGenErrorCode, ...mentions: (string | RegExp)[]) {
  return (err: unknown) => {
    assert.ok(err instanceof ImageGenError, `expected an ImageGenError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    for (const m of mentions) {
      if (typeof m === 'string') assert.ok(err.message.includes(m), `"${err.message}" should mention ${m}`);
      else assert.match(err.message, m);
    }
    return true;
  };
}

describe('bad model folders', () => {
  it('a missing component folder or graph names it', () => {
    const noUnet = broken((d) => rmSync(join(d, 'unet'), { recursive: true }));
    assert.throws(() => readImageModel(noUnet), fails('missing-file', join(noUnet, 'unet'), 'unet component'));
    const noGraph = broken((d) => rmSync(join(d, 'vae_decoder', 'model.onnx')));
    assert.throws(() => readImageModel(noGraph), fails('missing-file', join(noGraph, 'vae_decoder', 'model.onnx')));
    const noTok = broken((d) => rmSync(join(d, 'tokenizer'), { recursive: true }));
    assert.throws(() => readImageModel(noTok), fails('missing-file', join(noTok, 'tokenizer')));
  });

  it('a missing or broken config names the file and the field', () => {
    const noSched = broken((d) => rmSync(join(d, 'scheduler', 'scheduler_config.json')));
    assert.throws(() => readImageModel(noSched), fails('missing-file', join(noSched, 'scheduler', 'scheduler_config.json')));
    const noVae = broken((d) => rmSync(join(d, 'vae_decoder', 'config.json')));
    assert.throws(() => readImageModel(noVae), fails('missing-file', join(noVae, 'vae_decoder', 'config.json')));
    const badJson = broken((d) => writeFileSync(join(d, 'unet', 'config.json'), '{"in_channels": 4,'));
    assert.throws(() => readImageModel(badJson), fails('invalid-file', join(badJson, 'unet', 'config.json'), 'not valid JSON'));
    const badField = broken((d) => editJson(join(d, 'scheduler', 'scheduler_config.json'), (c) => (c.prediction_type = 'sample')));
    assert.throws(() => readImageModel(badField), fails('invalid-file', 'scheduler_config.json', '"prediction_type"', 'epsilon, v_prediction'));
    const badClass = broken((d) => editJson(join(d, 'scheduler', 'scheduler_config.json'), (c) => (c._class_name = 'HeunDiscreteScheduler')));
    assert.throws(() => readImageModel(badClass), fails('invalid-file', 'HeunDiscreteScheduler'));
    const noWidth = broken((d) => editJson(join(d, 'text_encoder', 'config.json'), (c) => delete c.hidden_size));
    assert.throws(() => readImageModel(noWidth), fails('invalid-file', join(noWidth, 'text_encoder', 'config.json'), '"hidden_size" is missing'));
  });

  it('a folder that is not an SD export says so (text model, empty folder, PyTorch pipeline)', () => {
    assert.throws(() => readImageModel(TINY_TEXT_MODEL), fails('not-image-model', TINY_TEXT_MODEL, 'text model'));
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    assert.throws(() => readImageModel(dir), fails('not-image-model', 'model_index.json is missing'));
    writeFileSync(join(dir, 'model_index.json'), JSON.stringify({ _class_name: 'StableDiffusionPipeline', unet: [], text_encoder: [], vae: [] }));
    assert.throws(() => readImageModel(dir), fails('not-image-model', 'vae, not vae_decoder'));
    assert.throws(() => readImageModel(join(dir, 'nope')), fails('missing-file', 'does not exist'));
  });

  it('mismatched latent shapes between the configs', () => {
    const dir = broken((d) => editJson(join(d, 'vae_decoder', 'config.json'), (c) => (c.latent_channels = 8)));
    assert.throws(() => readImageModel(dir), fails('model-mismatch', 'mismatched latent shapes', 'in_channels=4', 'latent_channels=8'));
    const ctx = broken((d) => editJson(join(d, 'unet', 'config.json'), (c) => (c.cross_attention_dim = 64)));
    assert.throws(() => readImageModel(ctx), fails('model-mismatch', 'cross_attention_dim=64', 'hidden_size=32'));
  });

  it('configs that disagree with the graphs: latent channels, encoder width', async () => {
    const dir = broken((d) => {
      editJson(join(d, 'unet', 'config.json'), (c) => ((c.in_channels = 8), (c.out_channels = 8)));
      editJson(join(d, 'vae_decoder', 'config.json'), (c) => (c.latent_channels = 8));
    });
    await assert.rejects(SdModel.load({ modelDir: dir, threads: 1 }, testLogger()), fails('model-mismatch', 'mismatched latent shapes', join(dir, 'unet', 'model.onnx'), "'sample' has 4 channels"));
    const wide = broken((d) => {
      editJson(join(d, 'unet', 'config.json'), (c) => (c.cross_attention_dim = 48));
      editJson(join(d, 'text_encoder', 'config.json'), (c) => (c.hidden_size = 48));
    });
    await assert.rejects(SdModel.load({ modelDir: wide, threads: 1 }, testLogger()), fails('model-mismatch', 'hidden_size=48', join(wide, 'text_encoder', 'model.onnx')));
  });

  it('a corrupt graph names its file', async () => {
    const dir = broken((d) => writeFileSync(join(d, 'unet', 'model.onnx'), 'not a graph'));
    await assert.rejects(SdModel.load({ modelDir: dir, threads: 1 }, testLogger()), fails('invalid-file', join(dir, 'unet', 'model.onnx')));
  });
});

describe('bad generation parameters', () => {
  let sd: SdModel;
  before(async () => {
    sd = await SdModel.load({ modelDir: TINY_SD, threads: 1 }, testLogger());
  });
  after(() => sd.dispose());

  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['width not a multiple of the latent factor', { width: 30 }, 'width', /multiple of the model's latent factor 4 \(got 30; try 32\)/],
    ['height not a multiple', { height: 33 }, 'height', /latent factor 4/],
    ['steps 0', { steps: 0 }, 'steps', /from 1 to 1000 \(got 0\)/],
    ['steps 1001', { steps: 1001 }, 'steps', /got 1001/],
    ['fractional steps', { steps: 2.5 }, 'steps', /integer/],
    ['negative guidance', { guidance: -1 }, 'guidance', /≥ 0 \(got -1\)/],
    ['NaN guidance', { guidance: Number.NaN }, 'guidance', /≥ 0/],
    ['negative seed', { seed: -1 }, 'seed', /from 0 to 4294967295/],
    ['batch 0', { batch: 0 }, 'batch', /from 1 to 16/],
    ['unknown scheduler', { scheduler: 'heun' }, 'scheduler', /ddim, euler, euler-a, lcm/],
    ['LCM beyond its original steps', { scheduler: 'lcm', steps: 60 }, 'steps', /at most 50 for LCM/],
  ];
  for (const [name, change, param, message] of cases) {
    it(`${name} → invalid-parameter naming ${param}`, async () => {
      await assert.rejects(generateImages(sd, { prompt: 'x', ...change }), (err: unknown) => {
        assert.ok(err instanceof ImageGenError);
        assert.equal(err.code, 'invalid-parameter');
        assert.equal(err.subject, param);
        assert.ok(err.message.startsWith(`${param} `), err.message);
        assert.match(err.message, message);
        return true;
      });
    });
  }

  it('--size must look like WxH', () => {
    assert.deepEqual(parseSize('64x48'), { width: 64, height: 48 });
    assert.throws(() => parseSize('64'), fails('invalid-parameter', 'size must look like WIDTHxHEIGHT'));
  });

  it('a lathe.json with a bad default names the file and field', () => {
    const dir = broken((d) => {
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, 'lathe.json'), JSON.stringify({ defaults: { steps: 0 } }));
    });
    assert.throws(() => readImageModel(dir), fails('invalid-file', 'lathe.json', '"steps"'));
  });
});
