/**
 * The gallery: generated images kept in a folder (`.lathe/gallery/` in the workspace by
 * default), each a Lathe PNG with its parameters in text chunks, optionally with a sidecar
 * `<name>.json` holding the text answer it was generated next to (a Prompt Lab "Text + Image"
 * pair). Files are written atomically; names come from the prompt and the seed and never
 * overwrite an existing file.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { atomicWrite } from '../common/fs/atomicWrite';
import { isRecord } from '../../base/records';
import { ImageGenError } from './errors';
import { readPngMetadata } from './png';
import type { ImageMetadata } from './pngMetadata';

export const DEFAULT_GALLERY = '.lathe/gallery';

/** The text side of a pair, stored next to the PNG. */
export interface PairText {
  readonly text: string;
  readonly textPrompt: string;
  readonly textModel?: string;
}

export interface GalleryEntry {
  readonly file: string;
  readonly meta: ImageMetadata;
  readonly pair?: PairText;
  readonly mtimeMs: number;
}

/** A file-name-safe slug of the first words of a prompt ("A red heart!" → "a-red-heart"). */
export function promptSlug(prompt: string, maxLength = 40): string {
  const slug = prompt
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/, '');
  return slug || 'image';
}

/** `<dir>/<slug>-<seed>.png`, or with -2, -3 … when that exists. */
export function freeImagePath(dir: string, prompt: string, seed: number): string {
  const base = `${promptSlug(prompt)}-${seed}`;
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base}-${i}`;
    const file = join(dir, `${name}.png`);
    if (!existsSync(file) && !existsSync(join(dir, `${name}.json`))) return file;
  }
}

export function sidecarPath(pngFile: string): string {
  return pngFile.replace(/\.png$/i, '') + '.json';
}

/** Saves a PNG (and the text of its pair) under a fresh name in `dir`; returns the PNG's path. */
export async function saveToGallery(dir: string, png: Uint8Array, meta: ImageMetadata, pair?: PairText): Promise<string> {
  const file = freeImagePath(dir, meta.prompt, meta.seed);
  await atomicWrite(file, png);
  if (pair) await atomicWrite(sidecarPath(file), `${JSON.stringify({ text: pair.text, textPrompt: pair.textPrompt, textModel: pair.textModel ?? null }, null, 1)}\n`);
  return file;
}

/** The text side stored next to a gallery PNG, if it has one. */
export async function readPair(file: string): Promise<PairText | undefined> {
  try {
    const doc: unknown = JSON.parse(await readFile(sidecarPath(file), 'utf8'));
    if (isRecord(doc) && typeof doc.text === 'string' && typeof doc.textPrompt === 'string') {
      return { text: doc.text, textPrompt: doc.textPrompt, textModel: typeof doc.textModel === 'string' ? doc.textModel : undefined };
    }
  } catch {
    // no sidecar, or not ours: an image without a text side
  }
  return undefined;
}

/**
 * The gallery's Lathe PNGs, newest first (at most `limit`). PNGs without Lathe metadata are
 * skipped and reported through `onSkipped` with the reason.
 */
export async function listGallery(dir: string, limit = 60, onSkipped?: (file: string, reason: string) => void): Promise<GalleryEntry[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.png'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const withTimes = await Promise.all(names.map(async (n) => ({ file: join(dir, n), mtimeMs: (await stat(join(dir, n))).mtimeMs })));
  withTimes.sort((a, b) => b.mtimeMs - a.mtimeMs || basename(a.file).localeCompare(basename(b.file)));
  const out: GalleryEntry[] = [];
  for (const { file, mtimeMs } of withTimes) {
    if (out.length >= limit) break;
    try {
      const meta = readPngMetadata(await readFile(file), file);
      out.push({ file, meta, pair: await readPair(file), mtimeMs });
    } catch (err) {
      onSkipped?.(file, err instanceof ImageGenError ? err.message : String(err));
    }
  }
  return out;
}
