/**
 * An evaluation as the UI and the CLI run it: read the dataset, evaluate, save the run next to
 * the prompt, and compare with an earlier run (the latest one before it unless named).
 */
import { readFile } from 'node:fs/promises';
import type { TextGenerator } from '../../engine/shared/generator';
import type { PromptyFile } from '../prompty/parse';
import type { PromptSpec } from '../prompty/types';
import type { TemplateRenderer } from '../template/renderer';
import { parseDataset } from './dataset';
import { evaluate, type EvalRun, type RowResult } from './evaluate';
import { compareRuns, listRuns, loadRun, saveRun, type RunComparison } from './runLog';

export interface RecordedEval {
  readonly run: EvalRun;
  readonly runFile: string;
  readonly comparison?: RunComparison;
}

export interface RecordOptions {
  readonly generator: TextGenerator;
  readonly file: PromptyFile;
  readonly spec?: PromptSpec;
  readonly datasetPath: string;
  /** A run file to compare with; default: the newest earlier run of this prompt. */
  readonly compareWith?: string;
  readonly signal?: AbortSignal;
  readonly onRow?: (row: RowResult, done: number, total: number) => void;
  /** Where templates render (default: in-process, bounded). */
  readonly renderer?: TemplateRenderer;
}

export async function evaluateAndRecord(o: RecordOptions): Promise<RecordedEval> {
  const rows = parseDataset(await readFile(o.datasetPath, 'utf8'), o.datasetPath);
  const earlier = o.compareWith ?? (await listRuns(o.file.path)).at(-1);
  const run = await evaluate({ generator: o.generator, file: o.file, spec: o.spec, rows, datasetPath: o.datasetPath, signal: o.signal, onRow: o.onRow, renderer: o.renderer });
  const runFile = await saveRun(run, o.file.path);
  const comparison = earlier ? compareRuns(run, await loadRun(earlier), earlier) : undefined;
  return { run, runFile, comparison };
}
