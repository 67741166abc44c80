/**
 * `--context plain` for the quality bench: a bare FIM prompt from the sample's prefix and
 * suffix windows, fitted to the model's context window with its own tokenizer.
 */
import { createLogger, stderrSink } from '../../../extension/core/common/logger';
import { fitWindow } from '../../../extension/core/completion/context';
import type { FimTemplate } from '../../../extension/core/completion/fimTemplates';
import { createEngine } from '../../../extension/core/engine/client/engine';
import type { DtypeChoice } from '../../../extension/core/engine/modelFiles';
import { loadTokenizer } from '../../../extension/core/engine/tokenizer';
import { healPrefix } from '../../../extension/core/completion/healing';
import type { QualitySample } from './positions';

export async function plainCompleter(
  modelDir: string,
  dtype: DtypeChoice,
  template: FimTemplate,
  signal: AbortSignal,
  healing = true,
): Promise<{ complete: (s: QualitySample, signal: AbortSignal) => Promise<string>; dispose(): void }> {
  const engine = createEngine({ modelDir, dtype, logger: createLogger(stderrSink('warn'), 'engine') });
  const info = await engine.load(signal);
  const tokenizer = loadTokenizer(modelDir);
  const count = (t: string) => tokenizer.countTokens(t);
  const budget = Math.min(1536, info.contextLength - 64);
  return {
    complete: async (s, sig) => {
      const suffix = fitWindow(s.suffix, Math.floor(budget * 0.15), count, 'end');
      const prefix = fitWindow(s.prefix, budget - count(suffix), count, 'start');
      // Token healing, as the completion pipeline does: the partial word before the cursor is forced.
      const healed = healPrefix(prefix, healing);
      const prompt = template.build({ prefix: healed.prefix, suffix });
      return (await engine.generate({ prompt, maxTokens: 48, temperature: 0, stop: [...template.stop, '\n'], forcePrefix: healed.forcePrefix }, sig)).text;
    },
    dispose: () => engine.dispose(),
  };
}
