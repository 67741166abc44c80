import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ImageGenError } from '../../../extension/core/imagegen/errors';
import { generateImages, guidanceEmbedding, type ImageProgress } from '../../../extension/core/imagegen/pipeline';
import { readPngMetadata, resultPng } from '../../../extension/core/imagegen/png';
import { SdModel } from '../../../extension/core/imagegen/sdModel';
import { testLogger, TINY_SD, TINY_SD_FP16 } from './helpers';

function distinct(bytes: Uint8Array): number {
  return new Set(bytes).size;
}

describe('image pipeline on the fixture models', () => {
  let sd: SdModel;
  let fp16: SdModel;
  before(async () => {
    sd = await SdModel.load({ modelDir: TINY_SD, threads: 1 }, testLogger());
    fp16 = await SdModel.load({ modelDir: TINY_SD_FP16, threads: 1 }, testLogger());
  });
  after(async () => {
    await sd.dispose();
    await fp16.dispose();
  });

  it('reads IO from the session metadata: int32 ids / int64 [1] timestep / fp32, and int64 ids / fp16 [batch] timestep / fp16', () => {
    assert.equal(sd.io.text.idsType, 'int32');
    assert.deepEqual([sd.io.unet.timestepType, sd.io.unet.timestepShape, sd.io.unet.sampleType], ['int64', 'one', 'float32']);
    assert.equal(fp16.io.text.idsType, 'int64');
    assert.deepEqual([fp16.io.unet.timestepType, fp16.io.unet.timestepShape, fp16.io.unet.sampleType, fp16.io.decoder.inputType], ['float16', 'batch', 'float16', 'float16']);
    assert.equal(sd.spec.decoder.latentFactor, 4);
    assert.equal(sd.spec.decoder.scalingFactor, 0.18215);
    assert.deepEqual([sd.spec.defaults.width, sd.spec.defaults.scheduler], [32, 'ddim']);
    assert.equal(fp16.spec.defaults.scheduler, 'euler');
  });

  it('makes a 32×32 image per batch item with the model defaults filled in', async () => {
    const r = await generateImages(sd, { prompt: 'red heart', steps: 3, seed: 7, batch: 2 });
    assert.equal(r.images.length, 2);
    assert.deepEqual([r.images[0].width, r.images[0].height, r.images[0].rgb.length], [32, 32, 32 * 32 * 3]);
    assert.deepEqual(r.images.map((i) => i.seed), [7, 8]);
    assert.deepEqual([r.params.guidance, r.params.scheduler, r.params.width], [7.5, 'ddim', 32]);
    assert.ok(distinct(r.images[0].rgb) > 20, 'the image is not flat');
    assert.notDeepEqual(r.images[0].rgb, r.images[1].rgb);
    // classifier-free guidance: one UNet call per step over [negative × 2, prompt × 2]
    assert.equal(r.timings.unetCalls, 3);
    assert.ok(r.timings.runMs > 0 && r.timings.runMs <= r.timings.totalMs);
    assert.equal(r.model, 'tiny-sd');
  });

  it('same seed and parameters → identical PNG bytes; another seed or prompt → a different image', async () => {
    const req = { prompt: 'green apple', negativePrompt: 'red', steps: 4, seed: 42, scheduler: 'euler-a' as const };
    const a = resultPng(await generateImages(sd, req), 0);
    const b = resultPng(await generateImages(sd, req), 0);
    assert.deepEqual(a, b);
    const c = await generateImages(sd, { ...req, seed: 43 });
    const d = await generateImages(sd, { ...req, prompt: 'blue heart' });
    assert.notDeepEqual(resultPng(c, 0), a);
    assert.notDeepEqual(resultPng(d, 0), a);
    assert.equal(readPngMetadata(a, 'a.png').prompt, 'green apple');
  });

  it('batch item i is the image of seed + i', async () => {
    const batch = await generateImages(sd, { prompt: 'cat face', steps: 2, seed: 100, batch: 2, guidance: 0 });
    const single = await generateImages(sd, { prompt: 'cat face', steps: 2, seed: 101, guidance: 0 });
    const diff = batch.images[1].rgb.reduce((m, v, i) => Math.max(m, Math.abs(v - single.images[0].rgb[i])), 0);
    assert.ok(diff <= 1, `max pixel difference ${diff}`);
  });

  it('every scheduler runs on both fixtures; fp16 IO and v-prediction included', async () => {
    for (const model of [sd, fp16]) {
      for (const scheduler of ['ddim', 'euler', 'euler-a', 'lcm'] as const) {
        const r = await generateImages(model, { prompt: 'rocket', steps: 3, seed: 1, scheduler });
        assert.equal(r.images[0].rgb.length, 32 * 32 * 3, `${model.spec.name} ${scheduler}`);
        assert.ok(distinct(r.images[0].rgb) > 5, `${model.spec.name} ${scheduler} is not flat`);
      }
    }
  });

  it('guidance ≤ 1 skips the negative pass; one step is the SD-Turbo path', async () => {
    const r = await generateImages(fp16, { prompt: 'sun with face', steps: 1, guidance: 0, seed: 5 });
    assert.equal(r.timings.unetCalls, 1);
    assert.equal(r.params.steps, 1);
  });

  it('other sizes: multiples of the latent factor', async () => {
    const r = await generateImages(sd, { prompt: 'pizza', steps: 1, width: 48, height: 16, seed: 1 });
    assert.deepEqual([r.images[0].width, r.images[0].height], [48, 16]);
  });

  it('reports progress per step with previews, and stops between steps when cancelled', async () => {
    const seen: ImageProgress[] = [];
    await generateImages(sd, { prompt: 'fire', steps: 4, seed: 3, previews: true }, { onProgress: (p) => seen.push(p) });
    assert.deepEqual(seen.map((p) => p.step), [1, 2, 3, 4]);
    assert.equal(seen[0].steps, 4);
    assert.ok(seen[0].preview && seen[0].preview.width === 32 && seen[0].preview.rgb.length === 32 * 32 * 3);
    let steps = 0;
    await assert.rejects(
      generateImages(sd, { prompt: 'fire', steps: 10, seed: 3 }, { isAborted: () => steps >= 2, onProgress: () => steps++ }),
      (err: unknown) => err instanceof ImageGenError && err.code === 'aborted',
    );
    assert.equal(steps, 2);
  });

  it('reports a truncated prompt', async () => {
    const long = Array(90).fill('heart').join(' ');
    const r = await generateImages(sd, { prompt: long, negativePrompt: 'dog', steps: 1, seed: 1 });
    assert.match(r.truncated?.prompt ?? '', /^heart/);
    assert.equal(r.truncated?.negativePrompt, undefined);
    const ok = await generateImages(sd, { prompt: 'heart', steps: 1, seed: 1 });
    assert.equal(ok.truncated, undefined);
  });

  it('LCM guidance embedding: sin/cos of (g − 1)·1000 at geometric frequencies', () => {
    const e = guidanceEmbedding(2, 4);
    // half = 2, frequencies exp(−ln(10000)·i/(half−1)) = 1, 1e-4
    assert.ok(Math.abs(e[0] - Math.sin(1000)) < 1e-6);
    assert.ok(Math.abs(e[1] - Math.sin(0.1)) < 1e-6);
    assert.ok(Math.abs(e[2] - Math.cos(1000)) < 1e-6);
    assert.ok(Math.abs(e[3] - Math.cos(0.1)) < 1e-6);
  });
});
