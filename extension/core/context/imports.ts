/**
 * Imports of a document (imports.scm) and the module paths they name, used to rank which
 * definition of a name the code near the cursor means.
 */
import type { GrammarId } from './languages';
import type { SyntaxDocument } from './parserService';
import { dirOf, joinPath, stripExtension, uriToPath } from './paths';

export interface ImportBinding {
  /** The name used in this file (the alias when renamed). */
  readonly localName?: string;
  /** The name as defined in the imported module. */
  readonly importedName?: string;
  /** The module as written (`./shapes`, `crate::shapes`, `com.example.shapes`). */
  readonly source?: string;
}

/** How an import source maps onto workspace file paths. */
export interface ModuleTarget {
  /** Extension-less absolute paths a relative import resolves to. */
  readonly exact: readonly string[];
  /** A path tail (`com/example/shapes`) that matching files or their folders end with. */
  readonly suffix?: string;
}

/** Imports are read from the head of a file: a bounded query, whatever the file's size. */
const IMPORT_HEAD_CHARS = 32_000;
const IMPORT_MAX_DEPTH = 3;

interface PlacedBinding extends ImportBinding {
  /** Offsets of the import statement in the version the entry belongs to. */
  readonly start: number;
  readonly end: number;
}

/**
 * The import bindings of documents, from imports.scm over their first 32K characters (imports
 * live at the top). After an edit only the edited span is queried again: the statements before
 * it are kept and those after it shifted, so the typing path stays cheap for any file size.
 * One per engine; remembers the latest version of a bounded number of documents.
 */
export class ImportsTracker {
  private readonly byDocument = new WeakMap<SyntaxDocument, readonly ImportBinding[]>();
  private readonly latest = new Map<string, { version: number; placed: readonly PlacedBinding[] }>();

  constructor(private readonly maxDocuments = 64) {}

  of(doc: SyntaxDocument): readonly ImportBinding[] {
    const hit = this.byDocument.get(doc);
    if (hit) return hit;
    const previous = this.latest.get(doc.uri);
    const change = doc.change;
    const placed =
      previous && change && previous.version === change.fromVersion
        ? updatePlaced(doc, previous.placed, change)
        : queryImports(doc, 0, Math.min(doc.text.length, IMPORT_HEAD_CHARS));
    this.latest.delete(doc.uri);
    this.latest.set(doc.uri, { version: doc.version, placed });
    if (this.latest.size > this.maxDocuments) {
      const oldest = this.latest.keys().next().value;
      if (oldest !== undefined) this.latest.delete(oldest);
    }
    this.byDocument.set(doc, placed);
    return placed;
  }

  forget(uri: string): void {
    this.latest.delete(uri);
  }
}

function updatePlaced(
  doc: SyntaxDocument,
  old: readonly PlacedBinding[],
  change: NonNullable<SyntaxDocument['change']>,
): PlacedBinding[] {
  const delta = change.newEnd - change.oldEnd;
  const kept: PlacedBinding[] = [];
  let from = change.start;
  let to = change.newEnd;
  for (const b of old) {
    if (b.end < change.start) kept.push(b);
    else if (b.start > change.oldEnd) kept.push({ ...b, start: b.start + delta, end: b.end + delta });
    else {
      from = Math.min(from, b.start);
      to = Math.max(to, b.end + delta);
    }
  }
  if (from >= IMPORT_HEAD_CHARS) return kept;
  // No import statement was touched and the edited lines cannot start one: nothing to query.
  if (from === change.start && to === change.newEnd && !mayImport(doc, change.start, change.newEnd)) return kept;
  const found = queryImports(doc, Math.max(0, from - 1), Math.min(doc.text.length, to + 1));
  const starts = new Set(kept.map((b) => `${b.start}:${b.localName}:${b.source}`));
  for (const b of found) if (!starts.has(`${b.start}:${b.localName}:${b.source}`)) kept.push(b);
  kept.sort((a, b) => a.start - b.start);
  return kept;
}

/** Words that begin an import statement, per grammar (Go import specs are bare strings). */
const IMPORT_WORDS: Readonly<Record<GrammarId, RegExp>> = {
  typescript: /\b(?:import|require)\b/,
  tsx: /\b(?:import|require)\b/,
  javascript: /\b(?:import|require)\b/,
  python: /\bimport\b/,
  go: /\bimport\b|"/,
  rust: /\b(?:use|mod)\b/,
  java: /\bimport\b/,
  csharp: /\busing\b/,
  cpp: /#\s*include/,
  ruby: /\b(?:require|require_relative|load)\b/,
  php: /\b(?:use|require|require_once|include|include_once)\b/,
  bash: /\bsource\b|(?:^|[;&|]\s*)\.\s/m,
};

/** Whether the lines around [start, end) of the new text could hold an import statement. */
function mayImport(doc: SyntaxDocument, start: number, end: number): boolean {
  const from = doc.text.lastIndexOf('\n', start - 1) + 1;
  let to = doc.text.indexOf('\n', end);
  if (to === -1) to = doc.text.length;
  return IMPORT_WORDS[doc.grammar.spec.id].test(doc.text.slice(from, to));
}

function queryImports(doc: SyntaxDocument, start: number, end: number): PlacedBinding[] {
  const query = doc.grammar.queries.imports;
  const out: PlacedBinding[] = [];
  if (!query) return out;
  for (const m of query.matches(doc.tree.rootNode, { startIndex: start, endIndex: end, maxStartDepth: IMPORT_MAX_DEPTH })) {
    let localName: string | undefined;
    let importedName: string | undefined;
    let source: string | undefined;
    let from = Number.POSITIVE_INFINITY;
    let to = 0;
    for (const c of m.captures) {
      if (c.name === 'import.name') importedName = c.node.text;
      else if (c.name === 'import.alias') localName = c.node.text;
      else if (c.name === 'import.source') source = unquote(c.node.text);
      from = Math.min(from, c.node.startIndex);
      to = Math.max(to, c.node.endIndex);
    }
    if (importedName === undefined && source === undefined) continue;
    out.push({ localName: localName ?? importedName, importedName, source, start: from, end: to });
  }
  return out;
}

function unquote(s: string): string {
  return s.trim().replace(/^['"<`]|['">`]$/g, '');
}

/** Where an import source of `grammar`, written in the file at `fromUri`, points in the workspace. */
export function moduleTarget(grammar: GrammarId, source: string, fromUri: string): ModuleTarget {
  const dir = dirOf(uriToPath(fromUri));
  switch (grammar) {
    case 'typescript':
    case 'tsx':
    case 'javascript':
    case 'ruby':
    case 'bash':
    case 'cpp':
      if (source.startsWith('.') || grammar === 'cpp' || grammar === 'ruby' || grammar === 'bash') {
        const resolved = stripExtension(joinPath(dir, source));
        return { exact: [resolved, `${resolved}/index`], suffix: trimSuffix(stripExtension(source)) };
      }
      return { exact: [], suffix: trimSuffix(source) };
    case 'python': {
      const dots = /^\.*/.exec(source)![0].length;
      const rest = source.slice(dots).replace(/\./g, '/');
      if (dots > 0) {
        let base = dir;
        for (let i = 1; i < dots; i++) base = dirOf(base);
        const resolved = rest ? joinPath(base, rest) : base;
        return { exact: [resolved, `${resolved}/__init__`], suffix: rest || undefined };
      }
      return { exact: [joinPath(dir, rest)], suffix: rest };
    }
    case 'rust': {
      const parts = source.split('::').filter((p) => p !== 'crate' && p !== 'self' && p !== 'super');
      const rel = parts.join('/');
      return { exact: rel ? [joinPath(dir, rel), joinPath(dir, `${rel}/mod`)] : [], suffix: rel || undefined };
    }
    case 'php':
      if (/[\\]/.test(source) || !/\.php$/.test(source)) return { exact: [], suffix: trimSuffix(source.replace(/\\/g, '/')) };
      return { exact: [stripExtension(joinPath(dir, source))], suffix: undefined };
    case 'go':
      return { exact: [], suffix: trimSuffix(source) };
    case 'java':
    case 'csharp':
      return { exact: [], suffix: trimSuffix(source.replace(/\./g, '/')) };
  }
}

/** The last two segments of a module path: package roots rarely match folder names. */
function trimSuffix(path: string): string | undefined {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.' && p !== '..' && !p.includes('@'));
  if (parts.length === 0) return undefined;
  return parts.slice(-2).join('/');
}

/**
 * How well the file `tagPath` matches an import of `target` for `name`: 3 exact module file,
 * 2 the module's folder or path tail, 1 the path tail of the module's parent, 0 unrelated.
 */
export function matchScore(target: ModuleTarget, tagPath: string, name?: string): number {
  const stem = stripExtension(tagPath);
  if (target.exact.includes(stem)) return 3;
  const suffix = target.suffix;
  if (!suffix) return 0;
  const dir = dirOf(tagPath);
  if (stem.endsWith(`/${suffix}`) || dir.endsWith(`/${suffix}`)) return 2;
  if (name !== undefined && stem.endsWith(`/${suffix}/${name}`)) return 3;
  const last = suffix.slice(suffix.lastIndexOf('/') + 1);
  if (dir.endsWith(`/${last}`) || stem.endsWith(`/${last}`)) return 1;
  return 0;
}
