/**
 * PNG files through fast-png (encoder and decoder with tEXt support): generated images with
 * their parameters in text chunks, written atomically (temp file + rename: a cancelled or
 * failed write leaves no partial PNG), and read back for "re-run from a PNG".
 */
import { decode, encode } from 'fast-png';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { atomicWrite } from '../common/fs/atomicWrite';
import { errorMessage } from '../../base/errorText';
import { ImageGenError } from './errors';
import type { ImageResult, RgbImage } from './pipeline';
import { metadataFromText, metadataToText, type ImageMetadata } from './pngMetadata';

export function encodePng(image: RgbImage, meta?: ImageMetadata): Uint8Array {
  return encode({ width: image.width, height: image.height, data: image.rgb, channels: 3, depth: 8, text: meta ? metadataToText(meta) : undefined });
}

export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly text: Record<string, string>;
}

export function decodePng(bytes: Uint8Array, file: string): DecodedImage {
  try {
    const png = decode(bytes);
    return { width: png.width, height: png.height, channels: png.channels, text: png.text };
  } catch (err) {
    throw new ImageGenError('invalid-file', `not a readable PNG: ${errorMessage(err)}`, file, { cause: err });
  }
}

/** Lathe's generation parameters from a PNG's bytes (`no-metadata` when it has none). */
export function readPngMetadata(bytes: Uint8Array, file: string): ImageMetadata {
  return metadataFromText(decodePng(bytes, file).text, file);
}

export async function readPngMetadataFile(file: string): Promise<ImageMetadata> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new ImageGenError('missing-file', `cannot read the PNG: ${errorMessage(err)}`, file, { cause: err });
  }
  return readPngMetadata(bytes, file);
}

/** Writes `bytes` to `file` atomically, creating its folder. */
export async function writePngFile(file: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await atomicWrite(file, bytes);
}

/** The PNG of image `index` of a generation, with its own seed in the metadata. */
export function resultPng(result: ImageResult, index: number): Uint8Array {
  const image = result.images[index];
  const p = result.params;
  return encodePng(image, {
    prompt: p.prompt,
    negativePrompt: p.negativePrompt,
    seed: image.seed,
    steps: p.steps,
    guidance: p.guidance,
    scheduler: p.scheduler,
    width: image.width,
    height: image.height,
    model: result.model,
  });
}
