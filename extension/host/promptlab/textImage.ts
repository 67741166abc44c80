/**
 * Prompt Lab's Text + Image handlers: one prompt runs the text model (tokens streamed like a
 * normal run) and the image model (previews streamed as data URLs) at the same time; the pair
 * is kept in the gallery (PNG + text sidecar), listed with its PNG metadata, opened in VS Code's
 * image preview, or appended to a dataset as a multimodal chat row. Gallery files named by the
 * webview must lie inside the gallery folder.
 */
import { readFile } from 'node:fs/promises';
import { basename, isAbsolute, relative, resolve } from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../../base/errorText';
import { appendJsonl } from '../../core/common/fs/appendJsonl';
import type { Logger } from '../../core/common/logger';
import { generateChat, type TextGenerator, type TokenEvent } from '../../core/engine/shared/generator';
import { ImageGenError } from '../../core/imagegen/errors';
import { listGallery, readPair, saveToGallery } from '../../core/imagegen/gallery';
import type { GenerateOptions } from '../../core/imagegen/imageGenerator';
import { readImageModel } from '../../core/imagegen/modelFolder';
import { pairRow } from '../../core/imagegen/pairRow';
import type { ImageRequest } from '../../core/imagegen/params';
import { readPngMetadata } from '../../core/imagegen/png';
import type { PngResult } from '../../core/imagegen/worker/protocol';
import type { TokenBatcher } from '../../core/promptlab/tokenBatch';
import type { HostChannel } from '../../protocol/hostChannel';
import type { promptLabContract } from '../../protocol/promptlab';
import { MAX_GALLERY_ENTRIES, type ImageInfoDto, type TextImageResultDto } from '../../protocol/textImage';
import { galleryEntryDto as entryDto, pngDataUrl } from './dto';
import { SettingKeys, updateSetting } from '../config';
import type { RunRegistry } from './runs';

/** What Prompt Lab needs of the image feature. */
export interface ImageService {
  generate(request: ImageRequest, options: GenerateOptions): Promise<PngResult>;
  modelDir(): string;
  galleryFolder(): string;
}

export interface TextImageDeps {
  readonly channel: HostChannel<typeof promptLabContract>;
  readonly runs: RunRegistry;
  /** The model in use, asked at each run (it may change between runs). */
  readonly generator: () => TextGenerator;
  readonly images: ImageService;
  readonly log: Logger;
  readonly batcher: (runId: string) => TokenBatcher;
}

const DEFAULT_MAX_TOKENS = 64;

function problem(err: unknown): { message: string; field?: string } {
  return err instanceof ImageGenError && err.code === 'invalid-parameter' && err.subject ? { message: err.message, field: err.subject } : { message: errorMessage(err) };
}

export class TextImageHandlers {
  private datasetFile: string | undefined;

  constructor(private readonly d: TextImageDeps) {
    const { channel } = d;
    channel.handle('imageInfo', () => this.imageInfo());
    channel.handle('textImage', (p) => d.runs.run(p.runId, (signal) => this.run(p, signal)));
    channel.handle('listGallery', async () => {
      const folder = d.images.galleryFolder();
      const entries = await listGallery(folder, MAX_GALLERY_ENTRIES, (file, why) => d.log.debug(`gallery: skipped ${file}: ${why}`));
      return { folder, entries: await Promise.all(entries.map(async (e) => entryDto(e, await readFile(e.file)))) };
    });
    channel.handle('chooseGallery', async () => {
      const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Use as image gallery' });
      const dir = picked?.[0]?.fsPath;
      if (!dir) return null;
      const target = vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
      await updateSetting(SettingKeys.imageGalleryFolder, dir, target);
      return { path: dir };
    });
    channel.handle('openImage', async ({ file }) => {
      await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(this.galleryFile(file)));
      return {};
    });
    channel.handle('saveTextImageRow', async ({ file, reference }) => {
      const pngFile = this.galleryFile(file);
      const png = await readFile(pngFile);
      const meta = readPngMetadata(png, pngFile);
      const pair = await readPair(pngFile);
      if (!pair) throw new Error(`${basename(pngFile)} has no text side: only Text + Image pairs become dataset rows`);
      this.datasetFile ??= await pickPairDataset();
      if (!this.datasetFile) return null;
      const row = pairRow({ prompt: pair.textPrompt, text: pair.text, png, pngFile, meta }, this.datasetFile, reference);
      await appendJsonl(this.datasetFile, [row]);
      d.log.info(`appended a text + image row to ${this.datasetFile}`);
      return { path: this.datasetFile };
    });
  }

  /** A path the webview sent, accepted only inside the gallery folder. */
  private galleryFile(file: string): string {
    const dir = resolve(this.d.images.galleryFolder());
    const full = resolve(file);
    const rel = relative(dir, full);
    if (!full.toLowerCase().endsWith('.png') || rel.startsWith('..') || isAbsolute(rel)) throw new Error(`${file} is not a PNG in the gallery folder ${dir}`);
    return full;
  }

  private imageInfo(): ImageInfoDto {
    const gallery = this.d.images.galleryFolder();
    try {
      const spec = readImageModel(this.d.images.modelDir());
      const x = spec.defaults;
      return { model: spec.name, steps: x.steps, guidance: x.guidance, scheduler: x.scheduler, width: x.width, height: x.height, latentFactor: spec.decoder.latentFactor, gallery };
    } catch (err) {
      return { model: basename(this.d.images.modelDir()), steps: 20, guidance: 7.5, scheduler: 'ddim', width: 512, height: 512, latentFactor: 8, gallery, error: errorMessage(err) };
    }
  }

  private async run(
    p: { runId: string; prompt: string; imagePrompt?: string; negativePrompt?: string; text: { maxTokens?: number; temperature?: number; seed?: number }; image: Omit<ImageRequest, 'prompt'> },
    signal: AbortSignal,
  ): Promise<TextImageResultDto> {
    const { channel } = this.d;
    const batcher = this.d.batcher(p.runId);
    const textSide = (async () => {
      try {
        const generator = this.d.generator();
        const info = await generator.info(signal);
        const params = { maxTokens: p.text.maxTokens ?? DEFAULT_MAX_TOKENS, temperature: p.text.temperature ?? 0, seed: p.text.seed, logprobs: 5, onToken: (t: TokenEvent) => batcher.push(t) };
        const r = info.hasChatTemplate
          ? await generateChat(generator, { ...params, messages: [{ role: 'user', content: p.prompt }] }, signal)
          : await generator.generate({ ...params, prompt: p.prompt }, signal);
        return { model: info.id, text: r.text, completionTokens: r.completionTokens, totalMs: r.timings.totalMs, tokensPerSecond: r.timings.decodeTokensPerSecond };
      } finally {
        batcher.flush();
      }
    })();
    const imagePrompt = p.imagePrompt?.trim() ? p.imagePrompt : p.prompt;
    const imageSide = this.d.images.generate(
      { ...p.image, prompt: imagePrompt, negativePrompt: p.negativePrompt, previews: true },
      {
        signal,
        onProgress: (g) => channel.notify('imageProgress', { runId: p.runId, step: g.step, steps: g.steps, preview: g.previewPng ? pngDataUrl(g.previewPng) : undefined }),
      },
    );
    const [text, image] = await Promise.allSettled([textSide, imageSide]);
    const out: { -readonly [K in keyof TextImageResultDto]: TextImageResultDto[K] } = {};
    if (text.status === 'fulfilled') out.text = text.value;
    else out.textError = problem(text.reason);
    if (image.status === 'fulfilled') {
      const r = image.value;
      const img = r.images[0];
      const meta = { ...r.params, seed: img.seed, width: img.width, height: img.height, model: r.model };
      const pair = out.text ? { text: out.text.text, textPrompt: p.prompt, textModel: out.text.model } : undefined;
      const file = await saveToGallery(this.d.images.galleryFolder(), img.png, meta, pair);
      const entry = entryDto({ file, meta, pair, mtimeMs: Date.now() }, img.png);
      out.image = { entry, totalMs: r.timings.totalMs, msPerStep: r.timings.msPerStep, truncated: r.truncated?.prompt };
    } else {
      out.imageError = problem(image.reason);
    }
    return out;
  }
}

async function pickPairDataset(): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const picked = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, 'text-image-pairs.jsonl') : undefined,
    filters: { 'JSON Lines': ['jsonl'] },
    saveLabel: 'Append to dataset',
    title: 'Dataset file for text + image pairs (rows are appended)',
  });
  return picked?.fsPath;
}
