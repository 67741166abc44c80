/**
 * Answer extraction and voting for chain-of-thought prompts. A rule is a regular expression
 * whose first capture group (or whole match) is the answer; the last match in the text wins,
 * because reasoning often mentions candidate answers before the final one.
 */
import { errorMessage } from '../../../base/errorText';
export const DEFAULT_ANSWER_PATTERN = String.raw`(?:final answer|the answer is|answer)\s*[:：]?\s*(.+)`;

export function compileAnswerRule(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'gi');
  } catch (err) {
    throw new Error(`invalid answer pattern ${JSON.stringify(pattern)}: ${errorMessage(err)}`);
  }
}

/** Canonical form used for voting: trimmed, inner whitespace collapsed, trailing punctuation and markup dropped, lower case. */
export function normalizeAnswer(answer: string): string {
  return answer
    .replace(/[*_`]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[\s"'“(]+|[\s"'”).,;:!]+$/g, '')
    .replace(/^(\$)\s*/, '$1')
    .toLowerCase();
}

/** The answer in `text` by `rule`, or undefined when the rule does not match. */
export function extractAnswer(text: string, rule: RegExp): string | undefined {
  let last: string | undefined;
  const re = new RegExp(rule.source, rule.flags.includes('g') ? rule.flags : `${rule.flags}g`);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const value = (m[1] ?? m[0]).split('\n')[0];
    if (value.trim() !== '') last = value.trim();
    if (m[0] === '') re.lastIndex++;
  }
  return last;
}

export interface Vote {
  /** The majority answer in the form first seen; undefined when no sample had an answer. */
  readonly answer?: string;
  readonly count: number;
  /** Samples that voted (including ones without an answer). */
  readonly total: number;
  /** count / total (0 when total is 0). */
  readonly agreement: number;
  readonly tally: ReadonlyArray<{ readonly answer: string; readonly count: number }>;
}

/** Majority vote over normalized answers; ties go to the answer seen first. */
export function majorityVote(answers: ReadonlyArray<string | undefined>): Vote {
  const counts = new Map<string, { answer: string; count: number }>();
  for (const a of answers) {
    if (a === undefined) continue;
    const key = normalizeAnswer(a);
    if (key === '') continue;
    const entry = counts.get(key) ?? { answer: a, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  const tally = [...counts.values()].sort((x, y) => y.count - x.count);
  const best = tally[0];
  const total = answers.length;
  return { answer: best?.answer, count: best?.count ?? 0, total, agreement: total === 0 ? 0 : (best?.count ?? 0) / total, tally };
}

/** Sub-questions from a decomposition: numbered or bulleted lines, else non-empty lines. */
export function parseSubquestions(text: string): string[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  const listed = lines.filter((l) => /^(\d+[.)]|[-*•]|Q\d+[:.])\s+/i.test(l)).map((l) => l.replace(/^(\d+[.)]|[-*•]|Q\d+[:.])\s+/i, '').trim());
  return (listed.length > 0 ? listed : lines).filter((l) => l !== '');
}
