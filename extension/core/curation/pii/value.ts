/**
 * PII over parsed JSON rows: every string value (never a key) is scanned or redacted, so a
 * redacted row is still valid JSON in the same format. Scanning walks the row without
 * recursion; redacting copies it with a depth limit (rows deeper than MAX_JSON_DEPTH are
 * refused earlier, when the line is decoded).
 */
import { MAX_JSON_DEPTH } from '../../common/json/depth';
import { PII_KINDS, redactText, scanText, type PiiFinding, type PiiKind } from './detect';

export interface ValueFinding extends PiiFinding {
  /** Where the string sits in the row, e.g. `messages[1].content`. */
  readonly path: string;
}

/** Calls `visit` for every string in `value`, in document order, with its path. */
function walk(value: unknown, visit: (text: string, path: string) => void): void {
  const stack: Array<{ value: unknown; path: string }> = [{ value, path: '' }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    const v = top.value;
    if (typeof v === 'string') visit(v, top.path);
    else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: `${top.path}[${i}]` });
    } else if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i][1], path: top.path ? `${top.path}.${entries[i][0]}` : entries[i][0] });
    }
  }
}

export function scanValue(value: unknown, kinds: readonly PiiKind[] = PII_KINDS): ValueFinding[] {
  const out: ValueFinding[] = [];
  walk(value, (text, path) => {
    for (const f of scanText(text, kinds)) out.push({ ...f, path });
  });
  return out;
}

function redact(value: unknown, kinds: readonly PiiKind[], counter: { n: number }, depth: number): unknown {
  if (typeof value === 'string') {
    const r = redactText(value, kinds);
    counter.n += r.count;
    return r.text;
  }
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_JSON_DEPTH) throw new RangeError(`the row nests more than ${MAX_JSON_DEPTH} levels deep`);
  if (Array.isArray(value)) return value.map((v) => redact(v, kinds, counter, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, kinds, counter, depth + 1)]));
}

/** A copy of `value` with findings replaced by placeholders, and how many were replaced. */
export function redactValue(value: unknown, kinds: readonly PiiKind[] = PII_KINDS): { value: unknown; count: number } {
  const counter = { n: 0 };
  const out = redact(value, kinds, counter, 0);
  return { value: out, count: counter.n };
}
