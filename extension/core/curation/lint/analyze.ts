/**
 * Line analysis shared by the CLI and the editor: decode, lint, remember the row's format.
 * Problems that depend on the whole dataset (a row written in another format than most) are
 * added by `datasetProblems` once the dataset's format is known.
 */
import { FORMAT_LABELS, type Example, type FormatId } from '../formats/types';
import { decodeLine, DEFAULT_ROW_LIMITS, type ParsedLine, type RowLimits } from '../jsonl/parse';
import { problem, type Problem } from './problems';
import { lintLine } from './row';

export interface LineInfo {
  readonly status: ParsedLine['status'];
  /** Whether the line reads as a row of its format (it may still have lint problems). */
  readonly isRow: boolean;
  readonly format?: FormatId;
  readonly problems: readonly Problem[];
}

export interface LineAnalysis extends LineInfo {
  readonly parsed: ParsedLine;
  readonly example?: Example;
}

const NONE: readonly Problem[] = [];

export function analyzeLine(bytes: Buffer, isFirstLine: boolean, limits: RowLimits = DEFAULT_ROW_LIMITS): LineAnalysis {
  const parsed = decodeLine(bytes, isFirstLine, limits);
  const lint = lintLine(parsed);
  return { status: parsed.status, isRow: lint.example !== undefined, parsed, format: lint.format, example: lint.example, problems: lint.problems.length ? lint.problems : NONE };
}

/** A line's problems with the dataset-level rules applied for `datasetFormat`. */
export function datasetProblems(info: LineInfo, datasetFormat: FormatId | undefined): readonly Problem[] {
  if (!datasetFormat) return info.problems;
  if (info.format && info.format !== datasetFormat) {
    return [problem('format_mismatch', `written as ${FORMAT_LABELS[info.format]}; most rows are ${FORMAT_LABELS[datasetFormat]}`), ...info.problems];
  }
  if (datasetFormat === 'openai-chat' && info.problems.some((p) => p.code === 'unknown_format')) {
    return info.problems.map((p) => (p.code === 'unknown_format' ? problem('missing_messages_list', "the row has no 'messages' list") : p));
  }
  return info.problems;
}
