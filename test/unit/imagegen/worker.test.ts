import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ImageGenError } from '../../../extension/core/imagegen/errors';
import { createImageGenerator } from '../../../extension/core/imagegen/imageGenerator';
import { decodePng, readPngMetadata } from '../../../extension/core/imagegen/png';
import { parseImageHostMessage, parseImageWorkerMessage } from '../../../extension/core/imagegen/worker/protocol';
import { testLogger, TINY_SD, TINY_TEXT_MODEL, WORKER_TS } from './helpers';
import { problemOf } from '../helpers/problemOf';

describe('image worker', () => {
  const gen = createImageGenerator({ logger: testLogger(), threads: 1, workerPath: WORKER_TS, idleUnloadMs: 0 });
  after(() => gen.dispose());

  it('generates off the calling thread: PNG previews per step, PNGs with metadata at the end', async () => {
    const previews: number[] = [];
    const r = await gen.generate(TINY_SD, { prompt: 'red heart', steps: 3, seed: 9, previews: true }, {
      onProgress: (p) => {
        if (p.previewPng) previews.push(decodePng(p.previewPng, 'preview').width);
      },
    });
    assert.ok(previews.length >= 1 && previews.every((w) => w === 32));
    assert.equal(r.images.length, 1);
    const meta = readPngMetadata(r.images[0].png, 'result');
    assert.deepEqual([meta.prompt, meta.seed, meta.steps, meta.scheduler, meta.model], ['red heart', 9, 3, 'ddim', 'tiny-sd']);
    const again = await gen.generate(TINY_SD, { prompt: 'red heart', steps: 3, seed: 9 });
    assert.deepEqual(again.images[0].png, r.images[0].png);
  });

  it('cancellation rejects at once and the worker keeps serving', async () => {
    const ac = new AbortController();
    const pending = gen.generate(TINY_SD, { prompt: 'x', steps: 200, seed: 1 }, { signal: ac.signal, onProgress: (p) => p.step === 2 && ac.abort() });
    await assert.rejects(pending, (err: unknown) => err instanceof ImageGenError && err.code === 'aborted');
    const r = await gen.generate(TINY_SD, { prompt: 'y', steps: 1, seed: 1 });
    assert.equal(r.images.length, 1);
  });

  it('errors cross the boundary typed, naming the folder or parameter', async () => {
    await assert.rejects(gen.generate(TINY_TEXT_MODEL, { prompt: 'x' }), (err: unknown) => err instanceof ImageGenError && err.code === 'not-image-model' && err.message.includes(TINY_TEXT_MODEL));
    await assert.rejects(gen.generate(TINY_SD, { prompt: 'x', width: 31 }), (err: unknown) => err instanceof ImageGenError && err.code === 'invalid-parameter' && err.subject === 'width');
  });

  it('messages are validated both ways', () => {
    assert.match(problemOf(parseImageHostMessage({ type: 'generate', id: 1 })), /load must be an object/);
    assert.match(problemOf(parseImageHostMessage({ type: 'generate', id: 1, load: { modelDir: 'm', threads: 0 }, request: { prompt: 1 }, abort: new SharedArrayBuffer(4) })), /prompt must be a string/);
    assert.match(problemOf(parseImageWorkerMessage({ type: 'progress', id: 1, progress: { step: 1, steps: 2, previewPng: 'x' } })), /previewPng must be a Uint8Array/);
    assert.match(problemOf(parseImageWorkerMessage({ type: 'error', id: 1, error: { code: 'weird', message: 'x' } })), /code must be one of/);
    assert.match(problemOf(parseImageWorkerMessage({ type: 'bogus' })), /unknown type/);
  });
});
