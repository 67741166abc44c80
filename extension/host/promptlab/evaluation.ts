/** Evaluate from the Prompt Lab view: pick a dataset, run, record, summarize for the grid. */
import type { TextGenerator } from '../../core/engine/shared/generator';
import { checkLabel } from '../../core/promptlab/eval/assertions';
import { rowStatus } from '../../core/promptlab/eval/evaluate';
import { evaluateAndRecord } from '../../core/promptlab/eval/record';
import type { PromptLab } from '../../core/promptlab/lab';
import type { TemplateRenderer } from '../../core/promptlab/template/renderer';
import type { DraftDto, EvalSummaryDto } from '../../protocol/promptlab';
import { pickEvalDataset } from './dialogs';

export async function evaluateDraft(
  lab: PromptLab,
  generator: TextGenerator,
  draft: DraftDto,
  progress: (message: string) => void,
  signal: AbortSignal,
  renderer?: TemplateRenderer,
): Promise<EvalSummaryDto | null> {
  const { file, spec } = lab.evaluationInput(draft);
  const datasetPath = await pickEvalDataset();
  if (!datasetPath) return null;
  const { run, runFile, comparison } = await evaluateAndRecord({
    generator,
    file,
    spec,
    datasetPath,
    signal,
    renderer,
    onRow: (row, done, total) => progress(`row ${done}/${total}: ${rowStatus(row) === 'unchecked' ? 'no checks' : rowStatus(row)}`),
  });
  return {
    runFile,
    passRate: run.passRate,
    checkedRows: run.checkedRows,
    byAssertion: run.byAssertion.map((a) => ({ type: a.type, passRate: a.passRate })),
    rows: run.rows.map((r) => ({
      index: r.index,
      output: r.answer ?? r.output,
      status: rowStatus(r),
      error: r.error,
      checks: r.checks.map((c) => ({ type: c.type, label: checkLabel(c), pass: c.pass, score: c.score, message: c.message })),
    })),
    comparison: comparison && { against: comparison.against, improved: comparison.improved, regressed: comparison.regressed, changedOutputs: comparison.changedOutputs },
  };
}
