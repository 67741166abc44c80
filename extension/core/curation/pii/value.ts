/**
 * PII over parsed JSON rows: every string value (never a key) is scanned or redacted, so a
 * redacted row is still valid JSON in the same format.
 */
import { PII_KINDS, redactText, scanText, type PiiFinding, type PiiKind } from './detect';

export interface ValueFinding extends PiiFinding {
  /** Where the string sits in the row, e.g. `messages[1].content`. */
  readonly path: string;
}

function walk(value: unknown, path: string, visit: (text: string, path: string) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`, visit));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k, visit);
  }
}

export function scanValue(value: unknown, kinds: readonly PiiKind[] = PII_KINDS): ValueFinding[] {
  const out: ValueFinding[] = [];
  walk(value, '', (text, path) => {
    for (const f of scanText(text, kinds)) out.push({ ...f, path });
  });
  return out;
}

function redact(value: unknown, kinds: readonly PiiKind[], counter: { n: number }): unknown {
  if (typeof value === 'string') {
    const r = redactText(value, kinds);
    counter.n += r.count;
    return r.text;
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, kinds, counter));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, kinds, counter)]));
  }
  return value;
}

/** A copy of `value` with findings replaced by placeholders, and how many were replaced. */
export function redactValue(value: unknown, kinds: readonly PiiKind[] = PII_KINDS): { value: unknown; count: number } {
  const counter = { n: 0 };
  const out = redact(value, kinds, counter);
  return { value: out, count: counter.n };
}
