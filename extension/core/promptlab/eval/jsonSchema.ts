/**
 * A JSON Schema checker for the subset prompts use: type (one or a list; integer included),
 * properties, required, additionalProperties (boolean), items, enum, const, minItems/maxItems,
 * minLength/maxLength, minimum/maximum. Returns every violation with its JSON path.
 */
import { errorMessage } from '../../../base/errorText';
import { MAX_JSON_DEPTH, tooDeep } from '../../common/json/depth';
export type JsonSchema = {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
  readonly items?: JsonSchema;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
};

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function matchesType(v: unknown, type: string): boolean {
  const actual = typeOf(v);
  return actual === type || (type === 'number' && actual === 'integer');
}

const equal = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function validateJsonSchema(value: unknown, schema: JsonSchema, path = '$'): string[] {
  const errors: string[] = [];
  if (schema.type !== undefined) {
    const types = typeof schema.type === 'string' ? [schema.type] : schema.type;
    if (!types.some((t) => matchesType(value, t))) return [`${path}: expected ${types.join(' or ')}, got ${typeOf(value)}`];
  }
  if (schema.enum && !schema.enum.some((e) => equal(e, value))) errors.push(`${path}: must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  if ('const' in schema && !equal(schema.const, value)) errors.push(`${path}: must be ${JSON.stringify(schema.const)}`);
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) errors.push(`${path}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength) errors.push(`${path}: longer than ${schema.maxLength}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${path}: less than ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${path}: greater than ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`${path}: fewer than ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) errors.push(`${path}: more than ${schema.maxItems} items`);
    if (schema.items) value.forEach((item, i) => errors.push(...validateJsonSchema(item, schema.items!, `${path}[${i}]`)));
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in obj)) errors.push(`${path}: missing required property '${key}'`);
    for (const [key, sub] of Object.entries(schema.properties ?? {})) if (key in obj) errors.push(...validateJsonSchema(obj[key], sub, `${path}.${key}`));
    if (schema.additionalProperties === false) {
      for (const key of Object.keys(obj)) if (!schema.properties || !(key in schema.properties)) errors.push(`${path}: unexpected property '${key}'`);
    }
  }
  return errors;
}

/** The first JSON value in `text`: the whole text, else a ```json fenced block, else the first {...} or [...] span. */
export function parseJsonOutput(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const candidates = [text.trim()];
  const fenced = /```(?:json)?\s*\n([\s\S]*?)```/.exec(text);
  if (fenced) candidates.push(fenced[1].trim());
  const start = text.search(/[{[]/);
  if (start >= 0) candidates.push(text.slice(start, Math.max(text.lastIndexOf('}'), text.lastIndexOf(']')) + 1));
  let error = 'no JSON found';
  for (const c of candidates) {
    if (c === '') continue;
    try {
      const value = JSON.parse(c) as unknown;
      if (tooDeep(value)) return { ok: false, error: `the JSON nests more than ${MAX_JSON_DEPTH} levels deep` };
      return { ok: true, value };
    } catch (err) {
      error = errorMessage(err);
    }
  }
  return { ok: false, error };
}
