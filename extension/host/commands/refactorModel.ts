/**
 * The model the refactorings fill slots with: Lathe's current model (the runtime's ModelView,
 * local or remote) and its fill-in-the-middle template. A model without FIM tokens, or one that
 * failed to load, is a clear RefactorError instead of a broken edit.
 */
import { errorMessage } from '../../base/errorText';
import { fimTemplate } from '../../core/completion/fimTemplates';
import type { TextGenerator } from '../../core/engine/shared/generator';
import { RefactorError } from '../../core/refactor/errors';
import { FimSlotFiller, type SlotFiller } from '../../core/refactor/slotFiller';
import { readSettings } from '../config';
import type { ModelSource, ModelView } from '../modelRuntime';

export class RefactorModel {
  private cache: { key: string; view: ModelView; filler: Promise<SlotFiller> } | undefined;

  constructor(private readonly source: ModelSource) {}

  /** Forget the filler (the model or its settings changed). */
  reset(): void {
    this.cache = undefined;
  }

  /** The model in use, or a RefactorError saying why there is none. */
  get generator(): TextGenerator {
    const m = this.source.current;
    if (!m.generator) throw new RefactorError('model', `no model is available (${m.name}${m.message ? `: ${m.message}` : ''})`);
    return m.generator;
  }

  get modelName(): string {
    return this.source.current.name;
  }

  filler(): Promise<SlotFiller> {
    const view = this.source.current;
    const order = readSettings().completionsFimOrder;
    const key = order;
    if (this.cache?.key !== key || this.cache.view.generator !== view.generator || this.cache.view.fim !== view.fim) {
      const filler = this.make(view, order === 'auto' ? undefined : order);
      // A failure is not cached: the next command tries again (the user may have fixed the setting).
      filler.catch(() => {
        if (this.cache?.filler === filler) this.cache = undefined;
      });
      this.cache = { key, view, filler };
    }
    return this.cache.filler;
  }

  private async make(view: ModelView, order: 'psm' | 'spm' | undefined): Promise<SlotFiller> {
    if (view.state === 'error' || !view.generator) throw new RefactorError('model', `the model ${view.name} failed to load: ${view.message ?? 'see the Lathe log'}`);
    if (!view.fim) {
      throw new RefactorError(
        'model',
        view.folder
          ? `${view.name} declares no fill-in-the-middle tokens; the refactorings need a FIM model (the embedded one is)`
          : 'lathe.backend.fimTemplate is "none": the refactorings fill slots with fill-in-the-middle; set the remote model\'s FIM family',
      );
    }
    try {
      await view.generator.info();
    } catch (err) {
      throw new RefactorError('model', `the model ${view.name} failed to load: ${errorMessage(err)}`);
    }
    const counter = view.counter;
    return new FimSlotFiller(view.generator, fimTemplate(view.fim, order), { countTokens: (t) => counter.count(t) });
  }
}
