/**
 * Seeded positions for the refactoring bench: definitions (for doc comments) and runs of one to
 * three consecutive statements inside function bodies (for Extract Function), found with
 * tree-sitter in real files.
 */
import type { Node } from 'web-tree-sitter';
import { seededRandom } from '../../../core/common/rng';
import type { SyntaxDocument } from '../../../core/context/parserService';
import { definitionAt, definitionKindOf } from '../../../core/refactor/definitions';
import { familyOf } from '../../../core/refactor/extractSelection';

export interface DocSample {
  readonly file: string;
  readonly offset: number;
  readonly line: number;
}

export interface ExtractSample {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly statements: number;
}

const BLOCKS = new Set(['statement_block', 'block']);

/** Definitions a doc comment can go on (named, with a body), by their first line. */
export function docCandidates(doc: SyntaxDocument): number[] {
  const grammar = doc.grammar.spec.id;
  const out: number[] = [];
  const visit = (n: Node) => {
    if (definitionKindOf(n.type, grammar) && (n.childForFieldName('body') || n.type === 'type_spec')) {
      const d = definitionAt(doc.tree.rootNode, grammar, n.startIndex);
      if (d && d.node.id === n.id && d.name) out.push(n.startIndex);
    }
    for (const c of n.namedChildren) if (c) visit(c);
  };
  visit(doc.tree.rootNode);
  return out;
}

/** A statement's extent (offsets: trees do not outlive the parser's cache). */
export interface Extent {
  readonly start: number;
  readonly end: number;
}

/** Statement blocks inside functions (not class bodies) with at least one statement. */
export function extractBlocks(doc: SyntaxDocument): Extent[][] {
  const family = familyOf(doc.grammar.spec.id);
  if (!family) return [];
  const out: Extent[][] = [];
  const visit = (n: Node, inFunction: boolean) => {
    const fn = inFunction || /function|method|arrow|lambda/.test(n.type);
    if (fn && BLOCKS.has(n.type) && n.parent?.type !== 'class_definition') {
      const stmts = n.namedChildren.filter((c): c is Node => c !== null && !c.type.includes('comment'));
      if (stmts.length > 0) out.push(stmts.map((c) => ({ start: c.startIndex, end: c.endIndex })));
    }
    for (const c of n.namedChildren) if (c) visit(c, fn && n.type !== 'class_body');
  };
  visit(doc.tree.rootNode, false);
  return out;
}

export function pickSamples<T>(pools: ReadonlyArray<{ file: string; items: readonly T[] }>, n: number, rnd: () => number): Array<{ file: string; item: T }> {
  const usable = pools.filter((p) => p.items.length > 0);
  const out: Array<{ file: string; item: T }> = [];
  if (usable.length === 0) return out;
  for (let i = 0; i < n; i++) {
    const pool = usable[Math.floor(rnd() * usable.length)];
    out.push({ file: pool.file, item: pool.items[Math.floor(rnd() * pool.items.length)] });
  }
  return out;
}

/** A run of 1–3 consecutive statements of a block, as a selection. */
export function statementRun(block: readonly Extent[], rnd: () => number): { start: number; end: number; count: number } {
  const count = 1 + Math.floor(rnd() * Math.min(3, block.length));
  const first = Math.floor(rnd() * (block.length - count + 1));
  return { start: block[first].start, end: block[first + count - 1].end, count };
}

export { seededRandom };
