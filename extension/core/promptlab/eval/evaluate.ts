/**
 * Batch evaluation: the prompt runs once per dataset row (by its chain-of-thought strategy
 * when it has one), each output is checked against the prompt's and the row's assertions.
 * A row that fails (bad row, missing variable, generation error) is recorded with its error
 * and the run continues.
 */
import type { GenerateResult, TextGenerator } from '../../engine/shared/generator';
import { readCotConfig } from '../cot/config';
import { runStrategy } from '../cot/runner';
import { PromptLabError } from '../errors';
import { generatePrepared, preparePrompt, resolveValues } from '../prompt';
import type { PromptyFile } from '../prompty/parse';
import type { PromptSpec } from '../prompty/types';
import { usesTranscript, withTranscriptStops } from '../roles';
import { compileTemplate, missingVariables } from '../template/render';
import { inlineRenderer, type TemplateRenderer } from '../template/renderer';
import { check, readAssertions, rowChecks, type AssertionSpec, type CheckResult, type Observation } from './assertions';
import type { DatasetRow } from './dataset';
import { errorMessage } from '../../../base/errorText';

export interface RowResult {
  readonly index: number;
  readonly line: number;
  readonly values?: Readonly<Record<string, unknown>>;
  readonly output: string;
  readonly answer?: string;
  /** Every check passed, and there was at least one: a row with no check never passes. */
  readonly passed: boolean;
  readonly checks: readonly CheckResult[];
  readonly latencyMs?: number;
  readonly promptTokens?: number;
  readonly completionTokens?: number;
  readonly error?: string;
}

export interface AssertionStat {
  readonly type: string;
  readonly passRate: number;
  readonly meanScore?: number;
}

export interface EvalRun {
  readonly prompt: string;
  readonly dataset: string;
  readonly model: string;
  readonly startedAt: string;
  readonly rows: readonly RowResult[];
  /** Passed rows among the checked ones; null when no row had a check ("no checks", not a pass rate). */
  readonly passRate: number | null;
  /** Rows that were checked (had at least one check) or failed with an error. */
  readonly checkedRows: number;
  readonly byAssertion: readonly AssertionStat[];
}

export type RowStatus = 'pass' | 'fail' | 'error' | 'unchecked';

/** How a row came out; 'unchecked': it ran, but nothing checked its output. */
export function rowStatus(r: Pick<RowResult, 'error' | 'checks' | 'passed'>): RowStatus {
  if (r.error !== undefined) return 'error';
  if (r.checks.length === 0) return 'unchecked';
  return r.passed ? 'pass' : 'fail';
}

export interface EvalOptions {
  readonly generator: TextGenerator;
  readonly file: PromptyFile;
  readonly spec?: PromptSpec;
  readonly rows: readonly DatasetRow[];
  readonly datasetPath: string;
  readonly signal?: AbortSignal;
  readonly onRow?: (row: RowResult, done: number, total: number) => void;
  readonly now?: () => Date;
  /** Where templates render (default: in-process, bounded). */
  readonly renderer?: TemplateRenderer;
}

async function renderValue(value: unknown, row: Readonly<Record<string, unknown>>, file: string, renderer: TemplateRenderer): Promise<unknown> {
  if (typeof value !== 'string' || !/\{\{|\{%/.test(value)) return value;
  return renderer({ source: value, origin: { file, line: 1 }, values: row });
}

async function evaluateRow(o: EvalOptions, spec: PromptSpec, assertions: readonly AssertionSpec[], row: DatasetRow): Promise<RowResult> {
  const where = `row ${row.index + 1} (line ${row.line})`;
  if ('error' in row) return { index: row.index, line: row.line, output: '', passed: false, checks: [], error: `${where}: ${row.error}` };
  const base = { index: row.index, line: row.line, values: row.values };
  try {
    const origin = { file: o.file.path, line: o.file.bodyLine };
    const missing = missingVariables(compileTemplate(spec.body, origin).variables, resolveValues(spec, row.values));
    const cot = readCotConfig(o.file.document?.toJS(), o.file.path);
    const internal = cot?.strategy === 'least-to-most' ? ['stage', 'solved', 'subquestion', 'subquestions'] : [];
    const absent = missing.filter((m) => !internal.includes(m));
    if (absent.length > 0) throw new Error(`missing variable${absent.length > 1 ? 's' : ''} ${absent.map((m) => `'${m}'`).join(', ')}`);
    const rowAssertions = rowChecks([...assertions, ...readAssertions(row.values.assert, o.datasetPath, `${where}.assert`)], row.values);
    const logprobs: Array<number | undefined> = [];
    let promptTokens = 0;
    const sample = async (extra: Readonly<Record<string, unknown>>, parameters: PromptSpec['model']['parameters']) => {
      const prepared = await preparePrompt(o.generator, { ...spec, model: { ...spec.model, parameters } }, origin, { ...row.values, ...extra }, o.signal, o.renderer);
      promptTokens = prepared.promptTokens;
      const stops = withTranscriptStops(parameters, usesTranscript(spec.model.api, prepared.model.hasChatTemplate));
      return generatePrepared(o.generator, prepared, stops, (e) => logprobs.push(e.logprob), o.signal);
    };
    const started = Date.now();
    let text: string;
    let answer: string | undefined;
    let results: readonly GenerateResult[];
    if (cot) {
      ({ text, answer, results } = await runStrategy(cot, spec.model.parameters, sample, o.signal));
    } else {
      const r = await sample({}, spec.model.parameters);
      ({ text, results } = { text: r.text, results: [r] });
    }
    const latencyMs = results.reduce((a, r) => a + r.timings.totalMs, 0) || Date.now() - started;
    const obs: Observation = { output: answer ?? text, logprobs, latencyMs };
    const renderer = o.renderer ?? inlineRenderer;
    const checks: ReturnType<typeof check>[] = [];
    for (const a of rowAssertions) checks.push(check(a, await renderValue(a.value, row.values, o.datasetPath, renderer), obs, row.values));
    const completionTokens = results.reduce((a, r) => a + r.completionTokens, 0);
    return { ...base, output: text, answer, passed: checks.length > 0 && checks.every((c) => c.pass), checks, latencyMs, promptTokens, completionTokens };
  } catch (err) {
    const message = err instanceof PromptLabError ? err.message : errorMessage(err);
    return { ...base, output: '', passed: false, checks: [], error: `${where}: ${message}` };
  }
}

export function summarizeChecks(rows: readonly RowResult[]): Pick<EvalRun, 'passRate' | 'checkedRows' | 'byAssertion'> {
  const checkedRows = rows.filter((r) => rowStatus(r) !== 'unchecked').length;
  const passRate = checkedRows === 0 ? null : rows.filter((r) => rowStatus(r) === 'pass').length / checkedRows;
  const types = [...new Set(rows.flatMap((r) => r.checks.map((c) => c.type)))];
  const byAssertion = types.map((type) => {
    const cs = rows.flatMap((r) => r.checks.filter((c) => c.type === type));
    const scores = cs.map((c) => c.score).filter((s): s is number => s !== undefined);
    return {
      type,
      passRate: cs.filter((c) => c.pass).length / cs.length,
      meanScore: scores.length > 0 ? scores.reduce((a, b) => a + b, 0) / scores.length : undefined,
    };
  });
  return { passRate, checkedRows, byAssertion };
}

export async function evaluate(o: EvalOptions): Promise<EvalRun> {
  // Rows supply the inputs: the prompt's `sample` must not hide a row's missing field (input defaults still apply).
  const spec = { ...(o.spec ?? o.file.spec), sample: {} };
  const front = o.file.document?.toJS() as { lathe?: { assert?: unknown } } | undefined;
  const assertions = readAssertions(front?.lathe?.assert, o.file.path, 'lathe.assert');
  const model = (await o.generator.info(o.signal)).id;
  const startedAt = (o.now?.() ?? new Date()).toISOString();
  const rows: RowResult[] = [];
  for (const row of o.rows) {
    if (o.signal?.aborted) break;
    const result = await evaluateRow(o, spec, assertions, row);
    rows.push(result);
    o.onRow?.(result, rows.length, o.rows.length);
  }
  return { prompt: o.file.path, dataset: o.datasetPath, model, startedAt, rows, ...summarizeChecks(rows) };
}
