/**
 * Evaluation history: every run is saved as JSON Lines next to the prompt, in
 * `<name>.runs/<timestamp>.jsonl` (a `run` header line, one `row` line per dataset row, a
 * `summary` line), so runs can be diffed in git and compared with each other.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { atomicWrite } from '../../common/fs/atomicWrite';
import type { EvalRun, RowResult } from './evaluate';

export function runsDir(promptPath: string): string {
  return join(dirname(promptPath), `${basename(promptPath).replace(/\.prompty$/i, '')}.runs`);
}

export function runFileName(startedAt: string): string {
  return `${startedAt.replace(/[:.]/g, '-')}.jsonl`;
}

export function serializeRun(run: EvalRun): string {
  const { rows, passRate, checkedRows, byAssertion, ...meta } = run;
  const lines = [{ kind: 'run', ...meta }, ...rows.map((r) => ({ kind: 'row', ...r })), { kind: 'summary', rows: rows.length, passRate, checkedRows, byAssertion }];
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}

export async function saveRun(run: EvalRun, promptPath: string): Promise<string> {
  const path = join(runsDir(promptPath), runFileName(run.startedAt));
  await atomicWrite(path, serializeRun(run));
  return path;
}

export function parseRun(text: string, file: string): EvalRun {
  let header: Omit<EvalRun, 'rows' | 'passRate' | 'checkedRows' | 'byAssertion'> | undefined;
  let summary: (Pick<EvalRun, 'passRate' | 'byAssertion'> & { checkedRows?: number }) | undefined;
  const rows: RowResult[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: { kind?: string } & Record<string, unknown>;
    try {
      value = JSON.parse(line) as typeof value;
    } catch {
      throw new Error(`${file}:${i + 1}: not a JSON line`);
    }
    const { kind, ...rest } = value;
    if (kind === 'run') header = rest as unknown as typeof header;
    else if (kind === 'row') rows.push(rest as unknown as RowResult);
    else if (kind === 'summary') summary = rest as unknown as typeof summary;
  });
  if (!header || !summary) throw new Error(`${file}: not a Prompt Lab run file (no run header or summary line)`);
  // Runs saved before checkedRows was recorded counted every row.
  return { ...header, rows, passRate: summary.passRate, checkedRows: summary.checkedRows ?? rows.length, byAssertion: summary.byAssertion };
}

/** Run files of a prompt, oldest first. */
export async function listRuns(promptPath: string): Promise<string[]> {
  const dir = runsDir(promptPath);
  try {
    return (await readdir(dir)).filter((f) => f.endsWith('.jsonl')).sort().map((f) => join(dir, f));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

export async function loadRun(path: string): Promise<EvalRun> {
  return parseRun(await readFile(path, 'utf8'), path);
}

export interface RunComparison {
  readonly against: string;
  /** null: that run had no checks. */
  readonly passRateBefore: number | null;
  readonly passRateAfter: number | null;
  /** Rows that failed before and pass now. */
  readonly improved: number;
  readonly regressed: number;
  readonly changedOutputs: number;
  readonly rows: ReadonlyArray<{ readonly index: number; readonly before: boolean; readonly after: boolean; readonly outputChanged: boolean }>;
}

/** Compares rows with the same index and the same input values. */
export function compareRuns(current: EvalRun, previous: EvalRun, against: string): RunComparison {
  const rows: Array<{ index: number; before: boolean; after: boolean; outputChanged: boolean }> = [];
  for (const row of current.rows) {
    const old = previous.rows.find((r) => r.index === row.index);
    if (!old || JSON.stringify(old.values) !== JSON.stringify(row.values)) continue;
    rows.push({ index: row.index, before: old.passed, after: row.passed, outputChanged: old.output !== row.output });
  }
  return {
    against,
    passRateBefore: previous.passRate,
    passRateAfter: current.passRate,
    improved: rows.filter((r) => !r.before && r.after).length,
    regressed: rows.filter((r) => r.before && !r.after).length,
    changedOutputs: rows.filter((r) => r.outputChanged).length,
    rows,
  };
}
