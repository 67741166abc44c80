import assert from 'node:assert/strict';
import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { freeImagePath, listGallery, promptSlug, saveToGallery } from '../../../extension/core/imagegen/gallery';
import { encodePng } from '../../../extension/core/imagegen/png';
import type { ImageMetadata } from '../../../extension/core/imagegen/pngMetadata';
import { tempDir } from './helpers';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const meta = (prompt: string, seed: number): ImageMetadata => ({ prompt, negativePrompt: '', seed, steps: 2, guidance: 1, scheduler: 'ddim', width: 1, height: 1, model: 'm' });
const png = (m: ImageMetadata) => encodePng({ width: 1, height: 1, rgb: Uint8Array.of(1, 2, 3) }, m);

describe('gallery', () => {
  it('names files from the prompt and seed, never overwriting', () => {
    assert.equal(promptSlug('A Red Heart! ❤️ on café table'), 'a-red-heart-on-cafe-table');
    assert.equal(promptSlug('🍎'), 'image');
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    assert.equal(freeImagePath(dir, 'red heart', 7), join(dir, 'red-heart-7.png'));
    writeFileSync(join(dir, 'red-heart-7.png'), '');
    assert.equal(freeImagePath(dir, 'red heart', 7), join(dir, 'red-heart-7-2.png'));
  });

  it('keeps pairs (PNG + text sidecar) and lists them newest first, skipping PNGs without metadata', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const gallery = join(dir, '.lathe', 'gallery');
    const a = await saveToGallery(gallery, png(meta('red heart', 1)), meta('red heart', 1), { text: 'A heart is red.', textPrompt: 'red heart', textModel: 'tiny' });
    const b = await saveToGallery(gallery, png(meta('green apple', 2)), meta('green apple', 2));
    utimesSync(a, new Date(1000), new Date(1000));
    writeFileSync(join(gallery, 'other.png'), encodePng({ width: 1, height: 1, rgb: Uint8Array.of(0, 0, 0) }));
    const skipped: string[] = [];
    const entries = await listGallery(gallery, 10, (f, why) => skipped.push(`${f}: ${why}`));
    assert.deepEqual(entries.map((e) => e.file), [b, a]);
    assert.deepEqual(entries[1].pair, { text: 'A heart is red.', textPrompt: 'red heart', textModel: 'tiny' });
    assert.equal(entries[0].pair, undefined);
    assert.equal(entries[1].meta.prompt, 'red heart');
    assert.equal(skipped.length, 1);
    assert.match(skipped[0], /other\.png.*no Lathe generation metadata/);
    assert.deepEqual(readdirSync(gallery).sort(), ['green-apple-2.png', 'other.png', 'red-heart-1.json', 'red-heart-1.png']);
    assert.deepEqual(await listGallery(join(dir, 'missing')), []);
  });
});
