/**
 * Reads a .prompty file: YAML front matter between `---` lines, then the template body.
 * The front matter stays a `yaml` Document so that writing back keeps unknown keys, comments
 * and ordering; the fields Prompt Lab uses are read into a typed PromptSpec. Every error
 * names the file, the line and the field.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isMap, LineCounter, parseDocument, type Document } from 'yaml';
import { OutsideScopeError, resolveInScope } from '../../common/fs/scope';
import { errnoCode } from '../../common/fs/writeError';
import { jsonDepth, MAX_JSON_DEPTH, tooDeep } from '../../common/json/depth';
import { PromptLabError } from '../errors';
import { PARAMETER_FILE_NAMES, type InputKind, type PromptInput, type PromptModel, type PromptParameters, type PromptSpec } from './types';
import { errorMessage } from '../../../base/errorText';

export interface PromptyFile {
  readonly path: string;
  readonly spec: PromptSpec;
  /** The front matter; undefined when the file has none. */
  readonly document: Document | undefined;
  /** The front matter text exactly as read (written back verbatim when nothing changed). */
  readonly frontMatterSource: string;
  /** 1-based file line on which the body starts. */
  readonly bodyLine: number;
}

const FENCE = /^---[ \t]*$/;

interface Reader {
  readonly path: string;
  readonly roots: readonly string[];
  readonly doc: Document;
  readonly lines: LineCounter;
}

function fail(r: Reader, field: string, reason: string): never {
  const node = r.doc.getIn(field.split('.'), true) as { range?: [number, number, number] } | undefined;
  const line = node?.range ? r.lines.linePos(node.range[0]).line + 1 : undefined;
  throw new PromptLabError(reason, { file: r.path, line, field });
}

function asRecord(r: Reader, field: string, value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) fail(r, field, 'must be a mapping');
  return value as Record<string, unknown>;
}

function optString(r: Reader, field: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') fail(r, field, 'must be a string');
  return value;
}

const KINDS: Readonly<Record<string, InputKind>> = {
  string: 'string', str: 'string', text: 'string',
  number: 'number', integer: 'number', int: 'number', float: 'number',
  boolean: 'boolean', bool: 'boolean',
  object: 'object', dict: 'object',
  array: 'array', list: 'array', chat_history: 'array', thread: 'array',
};

function kindOf(r: Reader, field: string, declared: unknown, fallback: unknown): InputKind {
  if (declared === undefined) {
    if (typeof fallback === 'number') return 'number';
    if (typeof fallback === 'boolean') return 'boolean';
    if (Array.isArray(fallback)) return 'array';
    if (fallback !== null && typeof fallback === 'object') return 'object';
    return 'string';
  }
  const kind = typeof declared === 'string' ? KINDS[declared.toLowerCase()] : undefined;
  if (!kind) fail(r, field, `unknown input kind ${JSON.stringify(declared)} (use ${[...new Set(Object.values(KINDS))].join(', ')})`);
  return kind;
}

function readInput(r: Reader, field: string, name: string, raw: unknown): PromptInput {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { name, kind: kindOf(r, field, undefined, raw), default: raw ?? undefined };
  }
  const o = raw as Record<string, unknown>;
  const required = o.required;
  if (required !== undefined && typeof required !== 'boolean') fail(r, `${field}.required`, 'must be true or false');
  return {
    name,
    kind: kindOf(r, o.kind !== undefined ? `${field}.kind` : `${field}.type`, o.kind ?? o.type, o.default),
    description: optString(r, `${field}.description`, o.description),
    default: o.default,
    required,
  };
}

/** v1: a mapping of name → spec (or default value); v2 draft: a list of `{ name, kind, … }`. */
function readInputs(r: Reader, raw: unknown): PromptInput[] {
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw)) {
    return raw.map((item, i) => {
      const field = `inputs.${i}`;
      const name = asRecord(r, field, item).name;
      if (typeof name !== 'string' || name === '') fail(r, field, 'an input in the list needs a `name`');
      return readInput(r, field, name, item);
    });
  }
  return Object.entries(asRecord(r, 'inputs', raw)).map(([name, spec]) => readInput(r, `inputs.${name}`, name, spec));
}

function readParameters(r: Reader, field: string, raw: unknown): PromptParameters {
  const o = asRecord(r, field, raw);
  const out: Record<string, unknown> = {};
  for (const [key, fileName] of Object.entries(PARAMETER_FILE_NAMES)) {
    const v = o[fileName];
    if (v === undefined || v === null) continue;
    if (key === 'stop') {
      const list = typeof v === 'string' ? [v] : v;
      if (!Array.isArray(list) || !list.every((s) => typeof s === 'string')) fail(r, `${field}.stop`, 'must be a string or a list of strings');
      out.stop = list;
    } else {
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(r, `${field}.${fileName}`, 'must be a number');
      out[key] = v;
    }
  }
  return out;
}

function readModel(r: Reader, raw: unknown): PromptModel {
  const o = asRecord(r, 'model', raw);
  const api = o.api ?? 'chat';
  if (api !== 'chat' && api !== 'completion') fail(r, 'model.api', `must be 'chat' or 'completion', got ${JSON.stringify(api)}`);
  const paramField = o.parameters === undefined && o.options !== undefined ? 'model.options' : 'model.parameters';
  return {
    api: api,
    configuration: asRecord(r, 'model.configuration', o.configuration),
    parameters: readParameters(r, paramField, o[paramField.slice(6)]),
  };
}

/** Prompty's `${file:sample.json}` reference: the sample is read from a JSON file next to the prompt. */
export const FILE_REFERENCE = /^\$\{file:(.+)\}$/;

/** Sample files larger than this are not read. */
export const MAX_SAMPLE_BYTES = 4 << 20;

/** Where a prompt's `${file:…}` references may lead: the workspace folders, else the prompt's own folder. */
export interface ParseOptions {
  readonly roots?: readonly string[];
}

/** A JSON.parse message without the excerpt of the text V8 puts in it (`Unexpected token 'r', "root:x:0"…`). */
function jsonProblem(err: unknown): string {
  const message = errorMessage(err);
  const at = /at position (\d+)|\(line (\d+) column (\d+)\)/.exec(message);
  if (!at) return /Unexpected end/.test(message) ? 'it is not valid JSON (it ends too early)' : 'it is not valid JSON';
  return at[1] !== undefined ? `it is not valid JSON (at position ${at[1]})` : `it is not valid JSON (line ${at[2]}, column ${at[3]})`;
}

function readSample(r: Reader, raw: unknown): Record<string, unknown> {
  const ref = typeof raw === 'string' ? FILE_REFERENCE.exec(raw.trim()) : null;
  if (!ref) return asRecord(r, 'sample', raw);
  const written = `\${file:${ref[1].trim()}}`;
  let target: string;
  try {
    target = resolveInScope(ref[1].trim(), dirname(r.path), r.roots.length > 0 ? r.roots : [dirname(resolve(r.path))]);
  } catch (err) {
    if (err instanceof OutsideScopeError) fail(r, 'sample', err.message.replace(err.reference, written));
    throw err;
  }
  let text: string;
  try {
    const size = statSync(target).size;
    if (size > MAX_SAMPLE_BYTES) fail(r, 'sample', `${written} is ${(size / (1 << 20)).toFixed(1)} MiB; sample files up to ${MAX_SAMPLE_BYTES >> 20} MiB are read`);
    text = readFileSync(target, 'utf8');
  } catch (err) {
    if (err instanceof PromptLabError) throw err;
    fail(r, 'sample', `cannot read ${written}: ${errnoCode(err) === 'ENOENT' ? 'no such file' : errnoCode(err) ?? errorMessage(err)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (err) {
    fail(r, 'sample', `cannot read ${written}: ${jsonProblem(err)}`);
  }
  if (tooDeep(value)) fail(r, 'sample', `${written} nests more than ${MAX_JSON_DEPTH} levels deep`);
  return asRecord(r, 'sample', value);
}

function readTemplateFormat(r: Reader, raw: unknown): string {
  if (raw === undefined || raw === null) return 'jinja2';
  const format = typeof raw === 'string' ? raw : asRecord(r, 'template', raw).format;
  if (format === undefined) return 'jinja2';
  if (format !== 'jinja2' && format !== 'jinja') fail(r, 'template', `template format ${JSON.stringify(format)} is not supported (use jinja2)`);
  return 'jinja2';
}

/** 1-based file line of the first `*name` alias in the front matter (which starts on file line 2). */
function aliasLine(front: string, name: string | undefined): number | undefined {
  if (!name) return undefined;
  const at = new RegExp(`\\*${name.replace(/[^\w-]/g, '')}(?![\\w-])`).exec(front)?.index;
  return at === undefined ? undefined : front.slice(0, at).split('\n').length + 1;
}

/** The front matter as plain values; alias problems (unknown, self-referencing, too many) are located errors. */
function frontMatterData(doc: Document, front: string, path: string): unknown {
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    const message = errorMessage(err);
    const name = /alias[^:]*: (\S+)/.exec(message)?.[1];
    const reason = /Excessive alias count/.test(message) ? 'YAML aliases expand to too much data (an alias bomb?)' : message.split('\n')[0];
    throw new PromptLabError(`invalid YAML front matter: ${reason}`, { file: path, line: aliasLine(front, name) });
  }
  const depth = jsonDepth(data);
  if (depth === Infinity) throw new PromptLabError('invalid YAML front matter: an alias refers to the mapping that holds it (a cycle)', { file: path });
  if (depth > MAX_JSON_DEPTH) throw new PromptLabError(`invalid YAML front matter: nested more than ${MAX_JSON_DEPTH} levels deep`, { file: path });
  return data;
}

/**
 * The 1-based front-matter line where `[`/`{` brackets nest deeper than MAX_JSON_DEPTH, if any.
 * Checked on the text before YAML parses it: a few KB of brackets cost the parser seconds of
 * recursion (and turning them into values longer still) before the depth check on the values.
 * Brackets inside strings count too; no real front matter comes near the limit.
 */
function flowNestingLine(front: string): number | undefined {
  let depth = 0;
  let line = 1;
  for (let i = 0; i < front.length; i++) {
    const c = front.charCodeAt(i);
    if (c === 10) line++;
    else if (c === 91 || c === 123) {
      if (++depth > MAX_JSON_DEPTH) return line;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return undefined;
}

function splitFrontMatter(text: string): { front: string | undefined; body: string; bodyLine: number } {
  const src = text.replace(/^\uFEFF/, '');
  const lines = src.split('\n');
  if (!FENCE.test(lines[0]?.replace(/\r$/, '') ?? '')) return { front: undefined, body: src, bodyLine: 1 };
  const close = lines.findIndex((l, i) => i > 0 && FENCE.test(l.replace(/\r$/, '')));
  if (close < 0) return { front: lines.slice(1).join('\n'), body: '', bodyLine: -1 };
  return { front: lines.slice(1, close).join('\n') + '\n', body: lines.slice(close + 1).join('\n'), bodyLine: close + 2 };
}

export function parsePrompty(text: string, path: string, options: ParseOptions = {}): PromptyFile {
  const { front, body, bodyLine } = splitFrontMatter(text);
  if (bodyLine < 0) throw new PromptLabError('front matter opened with --- on line 1 is never closed with ---', { file: path, line: 1 });
  if (front === undefined) {
    const spec: PromptSpec = { name: '', description: '', model: { api: 'chat', configuration: {}, parameters: {} }, inputs: [], sample: {}, templateFormat: 'jinja2', body };
    return { path, spec, document: undefined, frontMatterSource: '', bodyLine };
  }
  const deepLine = flowNestingLine(front);
  if (deepLine !== undefined) throw new PromptLabError(`invalid YAML front matter: nested more than ${MAX_JSON_DEPTH} levels deep`, { file: path, line: deepLine + 1 });
  const lines = new LineCounter();
  const doc = parseDocument(front, { lineCounter: lines });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos ? first.linePos[0].line + 1 : undefined;
    throw new PromptLabError(`invalid YAML front matter: ${first.message.split('\n')[0]}`, { file: path, line });
  }
  const r: Reader = { path, roots: options.roots ?? [], doc, lines };
  if (doc.contents !== null && !isMap(doc.contents)) throw new PromptLabError('front matter must be a YAML mapping', { file: path, line: 2 });
  const data = asRecord(r, '', frontMatterData(doc, front, path));
  const spec: PromptSpec = {
    name: optString(r, 'name', data.name) ?? '',
    description: optString(r, 'description', data.description) ?? '',
    model: readModel(r, data.model),
    inputs: readInputs(r, data.inputs),
    sample: readSample(r, data.sample),
    templateFormat: readTemplateFormat(r, data.template),
    body,
  };
  return { path, spec, document: doc, frontMatterSource: front, bodyLine };
}
