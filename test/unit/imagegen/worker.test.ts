import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ImageGenError } from '../../../extension/core/imagegen/errors';
import { createImageGenerator } from '../../../extension/core/imagegen/imageGenerator';
import { decodePng, readPngMetadata } from '../../../extension/core/imagegen/png';
import { IMAGE_PROTOCOL } from '../../../extension/core/imagegen/worker/protocol';
import { parsePeerMessage } from '../../../extension/core/common/rpc/wire';
import { testLogger, TINY_SD, TINY_TEXT_MODEL, WORKER_TS } from './helpers';
import { problemOf } from '../helpers/problemOf';

describe('image process', () => {
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

  it('cancellation rejects at once and the process keeps serving', async () => {
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
    const { methods, events, errorCodes } = IMAGE_PROTOCOL;
    assert.match(problemOf(methods.generate.params({}, 'p')), /load must be an object/);
    assert.match(problemOf(methods.generate.params({ load: { modelDir: 'm', threads: 0 }, request: { prompt: 1 } }, 'p')), /prompt must be a string/);
    assert.match(problemOf(events.progress({ step: 1, steps: 2, previewPng: 'x' }, 'e')), /previewPng must be a Uint8Array/);
    assert.match(problemOf(parsePeerMessage({ kind: 'error', id: 1, error: { code: 'weird', message: 'x' } }, errorCodes)), /code must be one of/);
    assert.equal(typeof parsePeerMessage({ kind: 'error', id: 1, error: { code: 'invalid-parameter', message: 'x', subject: 'width' } }, errorCodes), 'object');
    assert.match(problemOf(parsePeerMessage({ kind: 'bogus' }, errorCodes)), /unknown message kind/);
  });

  it('dispose during a generation fails it at once; the process finishes its step, releases the model and exits', async () => {
    const lines: string[] = [];
    const own = createImageGenerator({ logger: testLogger(lines), threads: 1, workerPath: WORKER_TS, idleUnloadMs: 0 });
    const pending = own.generate(TINY_SD, { prompt: 'x', steps: 200, seed: 1 }, { onProgress: (p) => p.step === 2 && own.dispose() });
    await assert.rejects(pending, (err: unknown) => err instanceof ImageGenError && err.code === 'disposed');
    await assert.rejects(own.generate(TINY_SD, { prompt: 'x' }), (err: unknown) => err instanceof ImageGenError && err.code === 'disposed');
    while (!lines.some((l) => /released the model and exited|asked to close/.test(l))) await new Promise((r) => setTimeout(r, 20));
    assert.ok(lines.some((l) => /the image process released the model and exited/.test(l)), lines.join('\n'));
  });
});
