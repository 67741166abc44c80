/**
 * Definitions of the identifiers used near the cursor: names bound by the document's imports
 * resolve to the imported module's definition; other names resolve through the tags index,
 * ranked by whether the defining file is one the document imports.
 */
import { matchScore, moduleTarget, type ImportBinding, type ModuleTarget } from './imports';
import type { SyntaxDocument } from './parserService';
import type { GrammarId } from './languages';
import { baseName, dirOf, stripExtension, uriToPath } from './paths';
import type { Tag } from './tags';

export interface DefinitionLookup {
  lookup(name: string): readonly Tag[];
}

export interface ResolvedDefinition {
  readonly name: string;
  readonly tag: Tag;
  /** 3 exact imported module … 0 only known by name. */
  readonly score: number;
}

/** Grammars whose files can import each other. */
function familyOf(grammar: GrammarId): string {
  return grammar === 'typescript' || grammar === 'tsx' || grammar === 'javascript' ? 'js' : grammar;
}

const IDENTIFIER = /[A-Za-z_$][\w$]*/g;

/**
 * Distinct identifiers in `text`, nearest the end first (the cursor sits at the end of the
 * prefix window), at most `limit`.
 */
export function identifiersNear(text: string, limit = 48): string[] {
  const seen = new Set<string>();
  const all = text.match(IDENTIFIER) ?? [];
  for (let i = all.length - 1; i >= 0 && seen.size < limit; i--) {
    const id = all[i];
    if (id.length >= 2 && !seen.has(id)) seen.add(id);
  }
  return [...seen];
}

/**
 * Resolves `names` (in priority order) to at most `limit` definitions outside the lines
 * `[visibleStartLine, visibleEndLine]` of the document itself (those the prompt already shows),
 * given the document's `imports`.
 */
export function resolveDefinitions(
  doc: SyntaxDocument,
  imports: readonly ImportBinding[],
  names: readonly string[],
  index: DefinitionLookup,
  visible: { startLine: number; endLine: number },
  limit = 8,
): ResolvedDefinition[] {
  const docPath = uriToPath(doc.uri);
  const docDir = dirOf(docPath);
  const family = familyOf(doc.grammar.spec.id);
  const targets = new Map<string, ModuleTarget>();
  const targetOf = (source: string) => {
    let t = targets.get(source);
    if (!t) {
      t = moduleTarget(doc.grammar.spec.id, source, doc.uri);
      targets.set(source, t);
    }
    return t;
  };
  const out: ResolvedDefinition[] = [];
  const used = new Set<Tag>();
  for (const name of names) {
    if (out.length >= limit) break;
    const binding = imports.find((b) => b.localName === name);
    const lookupName = binding?.importedName ?? name;
    const all = index.lookup(lookupName);
    // A definition in the document itself shadows the rest: shown already when visible.
    const local = all.filter((t) => t.uri === docPath);
    if (local.some((t) => t.range.endLine >= visible.startLine && t.range.startLine <= visible.endLine)) continue;
    const candidates = (local.length > 0 && !binding ? local : all).filter((t) => !used.has(t) && familyOf(t.grammar) === family);
    let best: Tag | undefined;
    let bestScore = 0;
    for (const tag of candidates) {
      let score = 0;
      if (binding?.source !== undefined) score = matchScore(targetOf(binding.source), tag.uri, lookupName);
      else for (const b of imports) if (b.source !== undefined) score = Math.max(score, matchScore(targetOf(b.source), tag.uri, b.importedName));
      if (tag.uri === docPath) score = Math.max(score, 2);
      // Same folder (same package or namespace), or a file named after the imported class.
      else if (dirOf(tag.uri) === docDir || (binding && baseName(stripExtension(tag.uri)) === lookupName)) score = Math.max(score, 1);
      if (score > bestScore) {
        best = tag;
        bestScore = score;
      }
    }
    // Only definitions the document can see: its own, its imports' modules, its own folder
    // (same package/namespace). A name that is merely defined somewhere is not evidence.
    if (!best) continue;
    used.add(best);
    out.push({ name, tag: best, score: bestScore });
  }
  return out;
}
