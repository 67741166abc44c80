/**
 * `lintFile`: one streaming pass over a JSONL file. Lines are decoded, linted and counted as
 * they are read; only per-line problems and token counts are kept, never the text.
 */
import { FormatTally } from '../formats/detect';
import type { FormatId } from '../formats/types';
import { scanLines } from '../jsonl/lines';
import type { RowLimits } from '../jsonl/parse';
import { analyzeLine, datasetProblems, type LineInfo } from './analyze';
import { PROBLEM_CODES, type Problem, type ProblemCode } from './problems';
import { estimateTokensFromBytes, exampleTokens, tokenStats, type TokenStats } from './tokens';
import type { TokenCounter } from '../../models/tokenCounter';

export interface LineProblems {
  /** 1-based line number. */
  readonly line: number;
  readonly problems: readonly Problem[];
}

export interface LintReport {
  readonly file: string;
  readonly lines: number;
  readonly validRows: number;
  readonly format?: FormatId;
  readonly formats: Partial<Record<FormatId, number>>;
  readonly counts: Partial<Record<ProblemCode, number>>;
  readonly errors: number;
  readonly warnings: number;
  readonly problems: readonly LineProblems[];
  readonly tokens?: TokenStats & { readonly overLimitLines: readonly number[]; readonly estimatedLines: readonly number[] };
}

export interface LintOptions {
  readonly counter?: TokenCounter;
  /** Token limit per row (over it is a `too_long` problem). */
  readonly maxTokens?: number;
  /** Row size and depth caps (defaults: DEFAULT_ROW_LIMITS). */
  readonly limits?: RowLimits;
  readonly signal?: AbortSignal;
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export async function lintFile(file: string, options: LintOptions = {}): Promise<LintReport> {
  const tally = new FormatTally();
  const infos: Array<{ line: number; info: LineInfo }> = [];
  const tokenCounts: number[] = [];
  const tokenLines: number[] = [];
  // Rows over the size cap are never tokenized: their count is estimated from their size.
  const estimated = new Set<number>();
  let valid = 0;
  const lines = await scanLines(
    file,
    (raw) => {
      const a = analyzeLine(raw.bytes, raw.index === 0, options.limits);
      if (a.status === 'json') tally.add(a.format);
      if (a.parsed.status === 'too-large' && options.counter) {
        tokenCounts.push(estimateTokensFromBytes(a.parsed.bytes));
        tokenLines.push(raw.index + 1);
        estimated.add(raw.index + 1);
      }
      if (a.example) {
        valid++;
        if (options.counter) {
          tokenCounts.push(exampleTokens(a.example, options.counter));
          tokenLines.push(raw.index + 1);
        }
      }
      // Keep only what the report needs: lines without problems are not stored.
      if (a.problems.length > 0 || a.format !== undefined) infos.push({ line: raw.index + 1, info: { status: a.status, isRow: a.isRow, format: a.format, problems: a.problems } });
    },
    { signal: options.signal, onProgress: options.onProgress },
  );
  const format = tally.best;
  const problems: LineProblems[] = [];
  const counts: Partial<Record<ProblemCode, number>> = {};
  let errors = 0;
  let warnings = 0;
  const add = (line: number, list: readonly Problem[]) => {
    if (list.length === 0) return;
    problems.push({ line, problems: list });
    for (const p of list) {
      counts[p.code] = (counts[p.code] ?? 0) + 1;
      if (p.severity === 'error') errors++;
      else warnings++;
    }
  };
  const tooLong = new Map<number, Problem>();
  let tokens: LintReport['tokens'];
  if (options.counter) {
    const limit = options.maxTokens ?? Number.POSITIVE_INFINITY;
    const stats = tokenStats(tokenCounts, limit, options.counter.name);
    const overLimitLines: number[] = [];
    tokenLines.forEach((line, i) => {
      if (tokenCounts[i] <= limit) return;
      overLimitLines.push(line);
      const count = estimated.has(line) ? `about ${tokenCounts[i]} tokens (estimated from its size)` : `${tokenCounts[i]} tokens`;
      tooLong.set(line, { code: 'too_long', severity: 'warning', message: `${count}, over the limit of ${limit}` });
    });
    tokens = { ...stats, overLimitLines, estimatedLines: [...estimated] };
  }
  for (const { line, info } of infos) {
    const list = [...datasetProblems(info, format)];
    const long = tooLong.get(line);
    if (long) list.push(long);
    add(line, list);
  }
  const ordered = Object.fromEntries(PROBLEM_CODES.filter((c) => counts[c]).map((c) => [c, counts[c]])) as Partial<Record<ProblemCode, number>>;
  return { file, lines, validRows: valid, format, formats: tally.byFormat, counts: ordered, errors, warnings, problems, tokens };
}
