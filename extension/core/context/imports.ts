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

const byDocument = new WeakMap<SyntaxDocument, readonly ImportBinding[]>();
/** Per uri, the head text the bindings were read from: unchanged head, same bindings. */
const byHead = new Map<string, { head: string; bindings: readonly ImportBinding[] }>();
const MAX_HEADS = 64;

/**
 * The import bindings of a document, from imports.scm over its first 32K characters (imports
 * live at the top; the query stays cheap on the typing path for any file size). Cached per
 * version and, across versions, while the head text is unchanged.
 */
export function importsOf(doc: SyntaxDocument): readonly ImportBinding[] {
  const hit = byDocument.get(doc);
  if (hit) return hit;
  const head = doc.text.length > IMPORT_HEAD_CHARS ? doc.text.slice(0, IMPORT_HEAD_CHARS) : doc.text;
  const previous = byHead.get(doc.uri);
  let bindings: readonly ImportBinding[];
  if (previous && previous.head === head) bindings = previous.bindings;
  else {
    bindings = queryImports(doc, head.length);
    byHead.delete(doc.uri);
    byHead.set(doc.uri, { head, bindings });
    if (byHead.size > MAX_HEADS) {
      const oldest = byHead.keys().next().value;
      if (oldest !== undefined) byHead.delete(oldest);
    }
  }
  byDocument.set(doc, bindings);
  return bindings;
}

function queryImports(doc: SyntaxDocument, end: number): ImportBinding[] {
  const query = doc.grammar.queries.imports;
  const out: ImportBinding[] = [];
  if (!query) return out;
  for (const m of query.matches(doc.tree.rootNode, { startIndex: 0, endIndex: end, maxStartDepth: IMPORT_MAX_DEPTH })) {
    let localName: string | undefined;
    let importedName: string | undefined;
    let source: string | undefined;
    for (const c of m.captures) {
      if (c.name === 'import.name') importedName = c.node.text;
      else if (c.name === 'import.alias') localName = c.node.text;
      else if (c.name === 'import.source') source = unquote(c.node.text);
    }
    if (importedName === undefined && source === undefined) continue;
    out.push({ localName: localName ?? importedName, importedName, source });
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
