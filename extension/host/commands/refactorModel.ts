/**
 * The model the refactorings fill slots with: Lathe's current model (ModelRuntime, local or
 * remote) and its fill-in-the-middle template. A model without FIM tokens, or one that failed
 * to load, is a clear RefactorError instead of a broken edit.
 */
import { errorMessage } from '../../base/errorText';
import { detectFimTemplate, FAMILY_TEMPLATES, type FimTemplate } from '../../core/completion/fimTemplates';
import { readFimTokenSource } from '../../core/completion/fimTokens';
import type { TextGenerator } from '../../core/engine/shared/generator';
import { RefactorError } from '../../core/refactor/errors';
import { FimSlotFiller, type SlotFiller } from '../../core/refactor/slotFiller';
import { readSettings } from '../config';

/** What the refactorings need from the model runtime. */
export interface RefactorModelSource extends TextGenerator {
  readonly modelName: string;
  modelDir(): string;
  tokenCounter(): { count(text: string): number } | undefined;
}

export class RefactorModel {
  private cache: { key: string; filler: Promise<SlotFiller> } | undefined;

  constructor(private readonly source: RefactorModelSource) {}

  /** Forget the filler (the model or its settings changed). */
  reset(): void {
    this.cache = undefined;
  }

  get generator(): TextGenerator {
    return this.source;
  }

  get modelName(): string {
    return this.source.modelName;
  }

  filler(): Promise<SlotFiller> {
    const settings = readSettings();
    const key = JSON.stringify([settings.backendUrl, settings.backendFimTemplate, settings.completionsFimOrder, this.source.modelDir()]);
    if (this.cache?.key !== key) {
      const filler = this.make();
      // A failure is not cached: the next command tries again (the user may have fixed the setting).
      filler.catch(() => {
        if (this.cache?.filler === filler) this.cache = undefined;
      });
      this.cache = { key, filler };
    }
    return this.cache.filler;
  }

  private async make(): Promise<SlotFiller> {
    const template = await this.template();
    try {
      await this.source.info();
    } catch (err) {
      throw new RefactorError('model', `the model ${this.source.modelName} failed to load: ${errorMessage(err)}`);
    }
    const counter = this.source.tokenCounter();
    return new FimSlotFiller(this.source, template, counter ? { countTokens: (t) => counter.count(t) } : {});
  }

  private async template(): Promise<FimTemplate> {
    const settings = readSettings();
    if (settings.backendUrl) {
      if (settings.backendFimTemplate === 'none') {
        throw new RefactorError('model', 'lathe.backend.fimTemplate is "none": the refactorings fill slots with fill-in-the-middle; set the remote model\'s FIM family');
      }
      return FAMILY_TEMPLATES[settings.backendFimTemplate];
    }
    let template: FimTemplate | undefined;
    try {
      const order = settings.completionsFimOrder === 'auto' ? undefined : settings.completionsFimOrder;
      template = detectFimTemplate(await readFimTokenSource(this.source.modelDir(), order));
    } catch (err) {
      throw new RefactorError('model', `the model folder ${this.source.modelDir()} cannot be read: ${errorMessage(err)}`);
    }
    if (!template) throw new RefactorError('model', `${this.source.modelName} declares no fill-in-the-middle tokens; the refactorings need a FIM model (the embedded one is)`);
    return template;
  }
}
