/**
 * Writes a .prompty back. Only the fields Prompt Lab edits are touched in the YAML document;
 * unknown keys, comments and ordering stay as they were. With no edits to the front matter
 * its original text is written byte for byte.
 */
import { Document, type Document as YamlDocument } from 'yaml';
import type { PromptyFile } from './parse';
import { PARAMETER_FILE_NAMES, type PromptParameters } from './types';

export interface PromptEdit {
  readonly name?: string;
  readonly description?: string;
  readonly body?: string;
  /** Replaces the sampling parameters; a missing key removes that parameter. */
  readonly parameters?: PromptParameters;
  /** Values merged into `sample`. */
  readonly sample?: Readonly<Record<string, unknown>>;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Sets `path` to `value` (or deletes it when undefined) unless it already holds that value. */
function put(doc: YamlDocument, path: string[], value: unknown): boolean {
  const current = doc.getIn(path);
  const plain = current !== null && typeof current === 'object' && 'toJSON' in current ? (current as { toJSON(): unknown }).toJSON() : current;
  if (same(plain, value)) return false;
  if (value === undefined) doc.deleteIn(path);
  else doc.setIn(path, value);
  return true;
}

function applyEdit(doc: YamlDocument, file: PromptyFile, edit: PromptEdit): boolean {
  let changed = false;
  if (edit.name !== undefined) changed = put(doc, ['name'], edit.name) || changed;
  if (edit.description !== undefined) changed = put(doc, ['description'], edit.description) || changed;
  if (edit.parameters) {
    const section = doc.hasIn(['model', 'options']) && !doc.hasIn(['model', 'parameters']) ? 'options' : 'parameters';
    for (const [key, fileName] of Object.entries(PARAMETER_FILE_NAMES)) {
      const value = edit.parameters[key as keyof PromptParameters];
      if (value === undefined && !doc.hasIn(['model', section, fileName])) continue;
      changed = put(doc, ['model', section, fileName], value === undefined ? undefined : Array.isArray(value) ? Array.from(value as readonly string[]) : value) || changed;
    }
  }
  // A sample kept in a file (`${file:…}`) is not rewritten from the editor.
  if (edit.sample && !(typeof doc.get('sample') === 'string')) {
    for (const [k, v] of Object.entries(edit.sample)) {
      if (same(file.spec.sample[k], v)) continue;
      changed = put(doc, ['sample', k], v) || changed;
    }
  }
  return changed;
}

export function serializePrompty(file: PromptyFile, edit: PromptEdit = {}): string {
  const body = edit.body ?? file.spec.body;
  const doc = file.document ? file.document.clone() : new Document({});
  const changed = applyEdit(doc, file, edit);
  if (!file.document && !changed) return body;
  const front = changed ? doc.toString({ flowCollectionPadding: false }) : file.frontMatterSource;
  return `---\n${front}---\n${body}`;
}
