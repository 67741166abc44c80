/**
 * The model under test in the quality bench: the editor's own completion stack (template,
 * budget, pipeline, post-processing), single-line, with the tree-sitter context engine over all
 * listed files (`--context full`, tags indexed up front) or with plain prefix/suffix windows
 * (`--context plain`) — so the two modes differ only in context. Under `--context full` the other
 * listed files of the sample's directory are the editor's open tabs (openTabs.ts). Each sample's document is its
 * file with the expected text removed. The confidence gate is open (threshold 0): every
 * suggestion comes back with its score, and the bench applies thresholds afterwards. The
 * editor's time limit per suggestion is lifted: on a busy machine it would cut lines short and
 * the figures would measure the load, not the model.
 */
import { createCompletionStack } from '../../completionStack';
import { languageIdForPath } from '../../../core/context/languages';
import type { GateVerdict } from '../../../core/completion/confidenceGate';
import type { CompletionCalibration } from '../../../core/completion/calibration';
import type { FimOrder } from '../../../core/models/fim';
import type { DtypeChoice } from '../../../core/models/onnxFiles';
import type { QualitySample, SourceFile } from './positions';
import { fileUri, OpenTabs } from './openTabs';

export interface QualityAnswer {
  /** The post-processed suggestion, before the gate. */
  readonly candidate: string;
  /** The model's text before post-processing. */
  readonly raw: string;
  /** The prompt sent, and the text the answer was forced to begin with (for `--records`). */
  readonly prompt: string;
  readonly forcePrefix: string;
  readonly verdict: GateVerdict;
}

export interface QualityCompleter {
  /** The model folder's FIM family. */
  readonly family: string;
  /** The model folder's own calibration, if it has one. */
  readonly calibration?: CompletionCalibration;
  complete(s: QualitySample, signal: AbortSignal): Promise<QualityAnswer>;
  dispose(): void;
}

export interface QualityCompleterOptions {
  readonly dtype: DtypeChoice;
  readonly context: 'full' | 'plain';
  readonly fimOrder?: FimOrder;
  readonly tokenHealing: boolean;
  /** Beam width of the first line (the pipeline's default when undefined). */
  readonly beams?: number;
  /** Prompt copy (the pipeline's default, on, when undefined). */
  readonly promptCopy?: boolean;
}

export async function qualityCompleter(modelDir: string, files: readonly SourceFile[], o: QualityCompleterOptions): Promise<QualityCompleter> {
  const { dtype, context, fimOrder, tokenHealing, beams, promptCopy } = o;
  const stack = await createCompletionStack({ modelDir, dtype, context, multiline: 'never', fimOrder, tokenHealing, beams, promptCopy, gate: { threshold: 0 }, maxTimeMs: 120_000 });
  if (stack.context) for (const f of files) await stack.context.fileChanged(fileUri(f.path), languageIdForPath(f.path), f.text);
  const tabs = stack.context ? new OpenTabs(stack.context, files) : undefined;
  let version = 0;
  return {
    family: stack.folder.fim?.family ?? 'none',
    calibration: stack.folder.calibration,
    complete: async (s, signal) => {
      await tabs?.show(s.file);
      const uri = fileUri(s.file);
      const doc = { uri, languageId: languageIdForPath(s.file), text: s.docText, version: ++version, offset: s.docOffset, relativePath: s.file };
      const r = await stack.pipeline.complete(doc, signal);
      return { candidate: r.candidate, raw: r.raw, prompt: r.prompt, forcePrefix: r.forcePrefix, verdict: r.verdict };
    },
    dispose: () => stack.dispose(),
  };
}
