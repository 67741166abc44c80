/**
 * Assertions checked on each evaluated output. Declared in the prompt's front matter under
 * `lathe.assert` (and per dataset row under `assert`):
 *
 *   lathe:
 *     assert:
 *       - type: contains            # equals | contains | icontains | not-contains | regex | is-json
 *         value: "{{ expected }}"   # Jinja over the row's fields; defaults to the row's `expected`
 *       - type: json-schema
 *         value: { type: object, required: [name] }
 *       - type: bleu                # bleu | rouge-l: score ≥ threshold against value/expected
 *         threshold: 0.4
 *       - type: perplexity          # perplexity | latency (ms): value ≤ threshold; metric only without one
 *         threshold: 20
 */
import { PromptLabError } from '../errors';
import { bleu, perplexity, rougeL } from '../metrics/text';
import { parseJsonOutput, validateJsonSchema, type JsonSchema } from './jsonSchema';
import { errorMessage } from '../../../base/errorText';

export const ASSERTION_TYPES = ['equals', 'contains', 'icontains', 'not-contains', 'regex', 'is-json', 'json-schema', 'bleu', 'rouge-l', 'perplexity', 'latency'] as const;
export type AssertionType = (typeof ASSERTION_TYPES)[number];

export interface AssertionSpec {
  readonly type: AssertionType;
  readonly value?: unknown;
  readonly threshold?: number;
  /** Not written by the user: the check a row's `expected` gets when nothing else checks it. */
  readonly implicit?: boolean;
}

export interface Observation {
  readonly output: string;
  readonly logprobs: ReadonlyArray<number | undefined>;
  readonly latencyMs: number;
}

export interface CheckResult {
  readonly type: AssertionType;
  readonly pass: boolean;
  readonly score?: number;
  readonly message?: string;
  /** The default check of a row's `expected` (no assertion asked for it). */
  readonly implicit?: boolean;
}

/**
 * The check a row with an `expected` field gets when neither the prompt nor the row declares
 * an assertion: the output must equal or contain the expected text. Without it such a row
 * would have no check at all, and a row with no check never counts as passed.
 */
export const EXPECTED_CHECK: AssertionSpec = { type: 'contains', implicit: true };

/** What a check looks at, for people: "contains expected" for the default check. */
export function checkLabel(c: Pick<CheckResult, 'type' | 'implicit'>): string {
  return c.implicit ? `${c.type} expected` : c.type;
}

/**
 * The checks of one row: the prompt's and the row's assertions, else the default check of its
 * `expected`. An empty `expected` (a blank CSV cell) is no expectation: everything contains ''.
 */
export function rowChecks(declared: readonly AssertionSpec[], row: Readonly<Record<string, unknown>>): readonly AssertionSpec[] {
  if (declared.length > 0) return declared;
  const { expected } = row;
  return expected === undefined || expected === null || (typeof expected === 'string' && expected.trim() === '') ? [] : [EXPECTED_CHECK];
}

export const DEFAULT_THRESHOLDS: Partial<Record<AssertionType, number>> = { bleu: 0.5, 'rouge-l': 0.5 };

export function readAssertions(raw: unknown, file: string, field: string): AssertionSpec[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new PromptLabError('must be a list of assertions', { file, field });
  return raw.map((a: unknown, i) => {
    const where = `${field}.${i}`;
    if (typeof a !== 'object' || a === null) throw new PromptLabError('an assertion must be a mapping with a type', { file, field: where });
    const { type, value, threshold } = a as Record<string, unknown>;
    if (!ASSERTION_TYPES.includes(type as AssertionType)) throw new PromptLabError(`unknown assertion type ${JSON.stringify(type)} (use ${ASSERTION_TYPES.join(', ')})`, { file, field: `${where}.type` });
    if (threshold !== undefined && (typeof threshold !== 'number' || !Number.isFinite(threshold))) throw new PromptLabError('threshold must be a number', { file, field: `${where}.threshold` });
    if (type === 'regex') {
      try {
        new RegExp(String(value));
      } catch (err) {
        throw new PromptLabError(`invalid regular expression: ${errorMessage(err)}`, { file, field: `${where}.value` });
      }
    }
    if (type === 'json-schema' && (typeof value !== 'object' || value === null)) throw new PromptLabError('value must be a JSON schema mapping', { file, field: `${where}.value` });
    return { type: type as AssertionType, value, threshold: threshold };
  });
}

/** Expected text: the assertion's value (already rendered against the row) or the row's `expected`. */
function expectedText(spec: AssertionSpec, value: unknown, row: Readonly<Record<string, unknown>>): string {
  const v = value ?? row.expected;
  if (v === undefined) throw new Error(`${spec.type} needs a value or an 'expected' field in the row`);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function atLeast(type: AssertionType, score: number, threshold: number | undefined): CheckResult {
  const t = threshold ?? DEFAULT_THRESHOLDS[type] ?? 0;
  return { type, score, pass: score >= t, message: score >= t ? undefined : `${score.toFixed(3)} < ${t}` };
}

function atMost(type: AssertionType, score: number | undefined, threshold: number | undefined): CheckResult {
  if (score === undefined) return { type, pass: threshold === undefined, message: 'not measured (no logprobs)' };
  if (threshold === undefined) return { type, score, pass: true };
  return { type, score, pass: score <= threshold, message: score <= threshold ? undefined : `${score.toFixed(3)} > ${threshold}` };
}

/** Checks one assertion; `value` is spec.value with Jinja strings rendered against the row. */
export function check(spec: AssertionSpec, value: unknown, obs: Observation, row: Readonly<Record<string, unknown>>): CheckResult {
  const out = obs.output;
  const { type } = spec;
  try {
    switch (type) {
      case 'equals':
        return { type, pass: out.trim() === expectedText(spec, value, row).trim() };
      case 'contains': {
        const expected = expectedText(spec, value, row);
        const pass = out.includes(expected);
        if (!spec.implicit) return { type, pass };
        return { type, pass, implicit: true, message: pass ? undefined : `the output does not contain the row's expected ${JSON.stringify(clip(expected))}` };
      }
      case 'icontains':
        return { type, pass: out.toLowerCase().includes(expectedText(spec, value, row).toLowerCase()) };
      case 'not-contains':
        return { type, pass: !out.includes(expectedText(spec, value, row)) };
      case 'regex':
        return { type, pass: new RegExp(String(value)).test(out) };
      case 'is-json': {
        const parsed = parseJsonOutput(out);
        return { type, pass: parsed.ok, message: parsed.ok ? undefined : parsed.error };
      }
      case 'json-schema': {
        const parsed = parseJsonOutput(out);
        if (!parsed.ok) return { type, pass: false, message: `not JSON: ${parsed.error}` };
        const errors = validateJsonSchema(parsed.value, value as JsonSchema);
        return { type, pass: errors.length === 0, message: errors.slice(0, 3).join('; ') || undefined };
      }
      case 'bleu':
        return atLeast(type, bleu(out, expectedText(spec, value, row)).score, spec.threshold);
      case 'rouge-l':
        return atLeast(type, rougeL(out, expectedText(spec, value, row)).f1, spec.threshold);
      case 'perplexity':
        return atMost(type, perplexity(obs.logprobs), spec.threshold);
      case 'latency':
        return atMost(type, obs.latencyMs, spec.threshold);
    }
  } catch (err) {
    return { type, pass: false, message: errorMessage(err) };
  }
}
