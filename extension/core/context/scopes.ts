/**
 * Enclosing scopes at a position (the root path: class → method → …), from scopes.scm.
 */
import type { Node } from 'web-tree-sitter';
import type { SyntaxDocument } from './parserService';
import { signatureOf } from './signature';
import { nodeRange } from './ranges';
import type { SourceRange } from './types';

export type ScopeKind = 'function' | 'class';

export interface EnclosingScope {
  readonly kind: ScopeKind;
  readonly name: string;
  /** Header line(s) with their original indentation, without the opening brace. */
  readonly signature: string;
  readonly range: SourceRange;
  readonly startOffset: number;
  readonly endOffset: number;
}

/** Scopes containing `offset`, outermost first. Empty for documents without a scopes query. */
export function enclosingScopes(doc: SyntaxDocument, offset: number): EnclosingScope[] {
  const query = doc.grammar.queries.scopes;
  if (!query) return [];
  const at = Math.min(offset, doc.text.length);
  const matches = query.matches(doc.tree.rootNode, { startIndex: Math.max(0, at - 1), endIndex: at + 1 });
  const seen = new Set<number>();
  const scopes: Array<EnclosingScope & { depth: number }> = [];
  for (const m of matches) {
    let scope: Node | undefined;
    let kind: ScopeKind | undefined;
    let name = '';
    for (const c of m.captures) {
      if (c.name === 'scope.function' || c.name === 'scope.class') {
        scope = c.node;
        kind = c.name === 'scope.function' ? 'function' : 'class';
      } else if (c.name === 'name') name = c.node.text;
    }
    if (!scope || !kind || seen.has(scope.id)) continue;
    if (scope.startIndex >= at || scope.endIndex < at) continue;
    seen.add(scope.id);
    scopes.push({
      kind,
      name,
      signature: signatureOf(scope, doc.text, true),
      range: nodeRange(scope),
      startOffset: scope.startIndex,
      endOffset: scope.endIndex,
      depth: depthOf(scope),
    });
  }
  scopes.sort((a, b) => a.depth - b.depth || a.startOffset - b.startOffset);
  return scopes.map(({ depth: _depth, ...s }) => s);
}

function depthOf(node: Node): number {
  let d = 0;
  for (let p = node.parent; p; p = p.parent) d++;
  return d;
}
