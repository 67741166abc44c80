/**
 * Repository context in the layout a model was trained on: a model folder's lathe.json may
 * declare `context_layout` (Lathe's own models copy models/train/context_layout.json, the one
 * definition the training rows use too; `core/completion/fimTemplates.ts` renders it). Each context piece becomes
 * `<|file_sep|>{path}\n{code}\n`, then the current file's header `<|file_sep|>{path}\n`, then the
 * fill-in-the-middle prompt. Paths keep their last `path_components` components.
 */
import { isRecord } from '../../base/records';
import { ModelFolderError } from './errors';

export interface ContextLayout {
  /** Template of one piece: `{file_separator}`, `{path}`, `{code}` (code without trailing whitespace). */
  readonly piece: string;
  /** Template of the current file's header: `{file_separator}`, `{path}`. */
  readonly file: string;
  readonly fileSeparator: string;
  readonly pathComponents: number;
}

/** A piece of repository context as plain data: where it comes from and its code. */
export interface ContextSnippet {
  readonly path: string;
  readonly code: string;
}

/** Reads lathe.json's `context_layout`; undefined when absent, an error naming the field when malformed. */
export function parseContextLayout(value: unknown, file: string): ContextLayout | undefined {
  if (value === undefined) return undefined;
  const bad = (field: string, want: string) => new ModelFolderError('invalid-file', `context_layout.${field} must be ${want}`, file);
  if (!isRecord(value)) throw new ModelFolderError('invalid-file', 'context_layout must be an object', file);
  const str = (k: string) => {
    const v = value[k];
    if (typeof v !== 'string' || v === '') throw bad(k, 'a non-empty string');
    return v;
  };
  const piece = str('piece');
  const fileTemplate = str('file');
  const fileSeparator = str('file_separator_token');
  const n = value.path_components;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw bad('path_components', 'an integer ≥ 1');
  if (!piece.includes('{code}') || !piece.includes('{path}')) throw bad('piece', 'a template with {path} and {code}');
  if (!fileTemplate.includes('{path}')) throw bad('file', 'a template with {path}');
  return { piece, file: fileTemplate, fileSeparator, pathComponents: n };
}

export function layoutPath(layout: ContextLayout, path: string): string {
  return path
    .split(/[\\/]/)
    .filter((p) => p !== '')
    .slice(-layout.pathComponents)
    .join('/');
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(file_separator|path|code)\}/g, (_, k: string) => values[k]);
}

/** The context head of a prompt: every piece, then the current file's header (when its path is known). */
export function renderContextHead(layout: ContextLayout, pieces: readonly ContextSnippet[], filePath?: string): string {
  const sep = layout.fileSeparator;
  const head = pieces.map((p) => fill(layout.piece, { file_separator: sep, path: layoutPath(layout, p.path), code: p.code.trimEnd() })).join('');
  return filePath ? head + fill(layout.file, { file_separator: sep, path: layoutPath(layout, filePath) }) : head;
}
