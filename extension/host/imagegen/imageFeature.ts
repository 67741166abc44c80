/**
 * Image generation in the editor: owns the image generator (its worker thread holds the image
 * model), resolves the model folder and the gallery from settings, and implements
 * **Lathe: Generate Image…** — a prompt box, a cancellable progress notification with the step
 * count, the PNG saved next to the active file (or in the gallery), then opened in VS Code's
 * image preview. Prompt Lab's Text + Image view uses the same generator and gallery.
 */
import { dirname, isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { Disposable, toDisposable } from '../../core/common/lifecycle';
import type { Logger } from '../../core/common/logger';
import { errorMessage } from '../../base/errorText';
import { ImageGenError } from '../../core/imagegen/errors';
import { freeImagePath, saveToGallery } from '../../core/imagegen/gallery';
import { createImageGenerator, type GenerateOptions, type ImageGenerator } from '../../core/imagegen/imageGenerator';
import type { ImageRequest } from '../../core/imagegen/params';
import { writePngFile } from '../../core/imagegen/png';
import type { PngResult } from '../../core/imagegen/worker/protocol';
import { readSettings } from '../config';

export const EMBEDDED_IMAGE_MODEL = 'lathe-image-mini';

export class ImageFeature extends Disposable {
  readonly generator: ImageGenerator;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Logger,
    private readonly storageDir: string,
  ) {
    super();
    const settings = readSettings();
    const generator = createImageGenerator({
      logger: log,
      threads: settings.engineThreads,
      cacheDir: storageDir,
      idleUnloadMs: settings.engineIdleUnloadMinutes * 60_000,
    });
    this.generator = generator;
    this.register(toDisposable(() => generator.dispose()));
  }

  /** The image model folder in use (the setting, else the embedded model). */
  modelDir(): string {
    return readSettings().imageModelPath || join(this.extensionUri.fsPath, 'models', EMBEDDED_IMAGE_MODEL);
  }

  /** The gallery folder: the setting (relative to the workspace folder), or Lathe's own storage without a workspace. */
  galleryFolder(): string {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const setting = readSettings(folder?.uri).imageGalleryFolder;
    if (isAbsolute(setting)) return setting;
    return folder ? join(folder.uri.fsPath, setting) : join(this.storageDir, 'gallery');
  }

  generate(request: ImageRequest, options: GenerateOptions): Promise<PngResult> {
    return this.generator.generate(this.modelDir(), request, options);
  }

  /** Lathe: Generate Image… */
  async generateImageCommand(): Promise<void> {
    const prompt = await vscode.window.showInputBox({
      title: 'Lathe: Generate Image',
      prompt: 'Describe the image (the embedded model knows emoji-like subjects: "red heart", "green apple")',
      placeHolder: 'a red heart',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Enter a prompt'),
    });
    if (!prompt?.trim()) return;
    const target = this.targetFolder();
    try {
      const file = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Lathe: generating "${prompt.trim()}"`, cancellable: true },
        async (progress, token) => {
          const ac = new AbortController();
          const sub = token.onCancellationRequested(() => ac.abort());
          try {
            let last = 0;
            const result = await this.generate({ prompt: prompt.trim() }, {
              signal: ac.signal,
              onProgress: (p) => {
                progress.report({ increment: ((p.step - last) / p.steps) * 100, message: `step ${p.step}/${p.steps}` });
                last = p.step;
              },
            });
            return await this.save(result, target);
          } finally {
            sub.dispose();
          }
        },
      );
      this.log.info(`generated ${file}`);
      await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file));
    } catch (err) {
      if (err instanceof ImageGenError && err.code === 'aborted') return;
      this.log.error('image generation failed', err);
      const choice = await vscode.window.showErrorMessage(`Lathe: image generation failed: ${errorMessage(err)}`, 'Show Logs');
      if (choice) void vscode.commands.executeCommand('lathe.showLogs');
    }
  }

  /** Next to the active saved file (setting `auto`), else the gallery. */
  private targetFolder(): { dir: string; gallery: boolean } {
    const doc = vscode.window.activeTextEditor?.document;
    const settings = readSettings(doc?.uri);
    if (settings.imageSaveTo === 'auto' && doc && doc.uri.scheme === 'file' && !doc.isUntitled) return { dir: dirname(doc.uri.fsPath), gallery: false };
    return { dir: this.galleryFolder(), gallery: true };
  }

  private async save(result: PngResult, target: { dir: string; gallery: boolean }): Promise<string> {
    const image = result.images[0];
    const p = result.params;
    if (target.gallery) {
      const meta = { ...p, seed: image.seed, width: image.width, height: image.height, model: result.model };
      return saveToGallery(target.dir, image.png, meta);
    }
    const file = freeImagePath(target.dir, p.prompt, image.seed);
    await writePngFile(file, image.png);
    return file;
  }
}
