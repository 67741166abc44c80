/**
 * `--context full` for the quality bench: the same completion pipeline the editor uses, with
 * the tree-sitter context engine over all listed files (tags indexed up front), in single-line
 * mode. Each sample's document is its file with the expected text removed.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createLogger, stderrSink } from '../../../extension/core/common/logger';
import type { FimTemplate } from '../../../extension/core/completion/fimTemplates';
import { CompletionPipeline } from '../../../extension/core/completion/pipeline';
import { SyntaxContextBuilder } from '../../../extension/core/completion/syntaxContext';
import { locateAssets } from '../../../extension/core/context/assets';
import { ContextEngine } from '../../../extension/core/context/engine';
import { languageIdForPath } from '../../../extension/core/context/languages';
import { tokenizerCounter } from '../../../extension/core/context/tokenCounter';
import type { TextGenerator } from '../../../extension/core/engine/generator';
import { loadTokenizer } from '../../../extension/core/engine/tokenizer';
import type { QualitySample, SourceFile } from './positions';

export async function fullContextCompleter(
  generator: TextGenerator,
  template: FimTemplate,
  modelDir: string,
  files: readonly SourceFile[],
): Promise<{ complete: (s: QualitySample) => Promise<string>; dispose(): void }> {
  const context = new ContextEngine({ assets: locateAssets(__dirname), log: createLogger(stderrSink('warn'), 'context') });
  for (const f of files) await context.fileChanged(pathToFileURL(resolve(f.path)).href, languageIdForPath(f.path), f.text);
  const counter = tokenizerCounter(loadTokenizer(modelDir));
  const pipeline = new CompletionPipeline(generator, template, new SyntaxContextBuilder(context, () => counter), { multiline: 'never' });
  let version = 0;
  return {
    complete: async (s) => {
      const uri = pathToFileURL(resolve(s.file)).href;
      const r = await pipeline.complete({ uri, languageId: languageIdForPath(s.file), text: s.docText, version: ++version, offset: s.docOffset, relativePath: s.file });
      return r.completion;
    },
    dispose: () => context.dispose(),
  };
}
