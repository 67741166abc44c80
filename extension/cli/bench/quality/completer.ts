/**
 * The model under test in the quality bench: the editor's own completion stack (template,
 * budget, pipeline, post-processing), single-line, with the tree-sitter context engine over all
 * listed files (`--context full`, tags indexed up front) or with plain prefix/suffix windows
 * (`--context plain`) — so the two modes differ only in context. Each sample's document is its
 * file with the expected text removed.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCompletionStack } from '../../completionStack';
import { languageIdForPath } from '../../../core/context/languages';
import type { FimOrder } from '../../../core/models/fim';
import type { DtypeChoice } from '../../../core/models/onnxFiles';
import type { QualitySample, SourceFile } from './positions';

export interface QualityCompleter {
  /** The model folder's FIM family. */
  readonly family: string;
  complete(s: QualitySample, signal: AbortSignal): Promise<string>;
  dispose(): void;
}

export async function qualityCompleter(
  modelDir: string,
  dtype: DtypeChoice,
  context: 'full' | 'plain',
  files: readonly SourceFile[],
  fimOrder?: FimOrder,
  tokenHealing = true,
): Promise<QualityCompleter> {
  const stack = await createCompletionStack({ modelDir, dtype, context, multiline: 'never', fimOrder, tokenHealing });
  if (stack.context) for (const f of files) await stack.context.fileChanged(pathToFileURL(resolve(f.path)).href, languageIdForPath(f.path), f.text);
  let version = 0;
  return {
    family: stack.folder.fim?.family ?? 'none',
    complete: async (s, signal) => {
      const uri = pathToFileURL(resolve(s.file)).href;
      const doc = { uri, languageId: languageIdForPath(s.file), text: s.docText, version: ++version, offset: s.docOffset, relativePath: s.file };
      return (await stack.pipeline.complete(doc, signal)).completion;
    },
    dispose: () => stack.dispose(),
  };
}
