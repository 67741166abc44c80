/**
 * Definitions in one file (name, kind, range, signature) from tags.scm.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { LoadedGrammar } from './grammarRegistry';
import type { GrammarId } from './languages';
import { nodeRange } from './ranges';
import { signatureOf, smallDefinitionText } from './signature';
import type { SourceRange } from './types';

export interface Tag {
  readonly name: string;
  /** The grammar of the defining file. */
  readonly grammar: GrammarId;
  /** function, method, class, interface, type, constant, module, macro, property. */
  readonly kind: string;
  readonly uri: string;
  readonly range: SourceRange;
  /** Header of the definition, e.g. `export function area(rect: Rect): number`. */
  readonly signature: string;
  /** The full text of small type-like definitions (fields visible to the model). */
  readonly snippet?: string;
}

const TYPE_KINDS = new Set(['class', 'interface', 'type', 'constant']);

/** Tags of a parsed tree; at most `limit`, one per defining node. */
export function extractTags(grammar: LoadedGrammar, tree: Tree, text: string, uri: string, limit = 2_000): Tag[] {
  const query = grammar.queries.tags;
  if (!query) return [];
  const tags: Tag[] = [];
  const seen = new Set<number>();
  for (const m of query.matches(tree.rootNode)) {
    let def: Node | undefined;
    let kind = '';
    let nameNode: Node | undefined;
    for (const c of m.captures) {
      if (c.name.startsWith('definition.')) {
        def = c.node;
        kind = c.name.slice('definition.'.length);
      } else if (c.name === 'name') nameNode = c.node;
    }
    if (!def || !nameNode || seen.has(def.id)) continue;
    seen.add(def.id);
    const name = lastSegment(nameNode.text);
    if (!name) continue;
    const snippet = TYPE_KINDS.has(kind) ? smallDefinitionText(def) : undefined;
    tags.push({ name, grammar: grammar.spec.id, kind, uri, range: nodeRange(def), signature: signatureOf(def, text), ...(snippet ? { snippet } : {}) });
    if (tags.length >= limit) break;
  }
  return tags;
}

/** `Layout::total` → `total`, `Example.Shapes` → `Shapes`. */
function lastSegment(name: string): string {
  const m = /([A-Za-z_$][\w$]*)\W*$/.exec(name);
  return m ? m[1] : name.trim();
}
