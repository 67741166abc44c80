/**
 * `--context full` for the quality bench: the same completion stack the editor uses, with the
 * tree-sitter context engine over all listed files (tags indexed up front), in single-line
 * mode. Each sample's document is its file with the expected text removed.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCompletionStack } from '../../../extension/cli/completionStack';
import { languageIdForPath } from '../../../extension/core/context/languages';
import type { FimOrder } from '../../../extension/core/completion/fimTemplates';
import type { DtypeChoice } from '../../../extension/core/engine/modelFiles';
import type { QualitySample, SourceFile } from './positions';

export async function fullContextCompleter(
  modelDir: string,
  dtype: DtypeChoice,
  files: readonly SourceFile[],
  fimOrder?: FimOrder,
  tokenHealing = true,
): Promise<{ complete: (s: QualitySample, signal: AbortSignal) => Promise<string>; dispose(): void }> {
  const stack = await createCompletionStack({ modelDir, dtype, multiline: 'never', fimOrder, tokenHealing });
  for (const f of files) await stack.context.fileChanged(pathToFileURL(resolve(f.path)).href, languageIdForPath(f.path), f.text);
  let version = 0;
  return {
    complete: async (s, signal) => {
      const uri = pathToFileURL(resolve(s.file)).href;
      const doc = { uri, languageId: languageIdForPath(s.file), text: s.docText, version: ++version, offset: s.docOffset, relativePath: s.file };
      return (await stack.pipeline.complete(doc, signal)).completion;
    },
    dispose: () => stack.dispose(),
  };
}
