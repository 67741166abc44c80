import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { encode } from 'fast-png';
import { ImageGenError } from '../../../extension/core/imagegen/errors';
import { decodePng, encodePng, readPngMetadata, readPngMetadataFile, writePngFile } from '../../../extension/core/imagegen/png';
import { escapeLatin1, unescapeLatin1, type ImageMetadata } from '../../../extension/core/imagegen/pngMetadata';
import { tempDir } from './helpers';

const META: ImageMetadata = {
  prompt: 'a green apple, C:\\fruit\\ — “quoted” 🍏 naïve',
  negativePrompt: 'blurry',
  seed: 4_000_000_000,
  steps: 20,
  guidance: 7.5,
  scheduler: 'euler-a',
  width: 2,
  height: 1,
  model: 'lathe-image-mini',
};
const IMAGE = { width: 2, height: 1, rgb: Uint8Array.of(255, 0, 0, 0, 255, 0) };

describe('PNG output', () => {
  it('stores every parameter as a tEXt chunk and reads it back exactly (unicode and backslashes included)', () => {
    const bytes = encodePng(IMAGE, META);
    const png = decodePng(bytes, 'x.png');
    assert.deepEqual([png.width, png.height, png.channels], [2, 1, 3]);
    assert.equal(png.text.Software, 'Lathe');
    assert.equal(png.text.size, '2x1');
    assert.equal(png.text.scheduler, 'euler-a');
    assert.equal(png.text.negative_prompt, 'blurry');
    assert.deepEqual(readPngMetadata(bytes, 'x.png'), META);
  });

  it('escapes only what Latin-1 cannot hold', () => {
    assert.equal(escapeLatin1('café'), 'café');
    assert.equal(escapeLatin1('a\\u0041🍏'), 'a\\\\u0041\\ud83c\\udf4f');
    assert.equal(unescapeLatin1(escapeLatin1('a\\u0041🍏')), 'a\\u0041🍏');
  });

  it('the same image and parameters give the same bytes', () => {
    assert.deepEqual(encodePng(IMAGE, META), encodePng(IMAGE, META));
  });

  it('a PNG without Lathe metadata is a no-metadata error naming the file', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, 'plain.png');
      writeFileSync(file, encode({ width: 1, height: 1, data: Uint8Array.of(1, 2, 3), channels: 3, text: { Title: 'holiday' } }));
      await assert.rejects(readPngMetadataFile(file), (err: unknown) => err instanceof ImageGenError && err.code === 'no-metadata' && err.message.includes(file) && err.message.includes('"Title"'));
      const broken = encode({ width: 1, height: 1, data: Uint8Array.of(1, 2, 3), channels: 3, text: { prompt: 'x', seed: '1', steps: '0', guidance: '1', scheduler: 'ddim', size: '1x1' } });
      assert.throws(() => readPngMetadata(broken, 'b.png'), (err: unknown) => err instanceof ImageGenError && /b\.png: text chunk "steps"/.test(err.message));
      writeFileSync(join(dir, 'not.png'), 'hello');
      await assert.rejects(readPngMetadataFile(join(dir, 'not.png')), (err: unknown) => err instanceof ImageGenError && err.code === 'invalid-file');
    } finally {
      cleanup();
    }
  });

  it('writes atomically: the file appears whole, no temp file is left', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, 'sub', 'out.png');
      const bytes = encodePng(IMAGE, META);
      await writePngFile(file, bytes);
      assert.deepEqual(new Uint8Array(readFileSync(file)), bytes);
      await writePngFile(file, encodePng(IMAGE));
      assert.deepEqual(readdirSync(join(dir, 'sub')), ['out.png']);
      // writing into a "folder" that is a file fails without leaving anything behind
      await assert.rejects(writePngFile(join(file, 'nested.png'), bytes));
      assert.deepEqual(readdirSync(join(dir, 'sub')), ['out.png']);
    } finally {
      cleanup();
    }
  });
});
