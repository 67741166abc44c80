/**
 * Which refactorings make sense at a cursor or selection (for code actions / the lightbulb):
 * cheap tree-sitter checks on the document's current tree, no model.
 */
import type { SyntaxDocument } from '../context/parserService';
import { definitionAt } from './definitions';
import { familyOf } from './extractSelection';
import { identifierAt } from './rename';

export type AvailableAction = 'extract' | 'docstring' | 'tests' | 'body' | 'comment-code' | 'names';

const TESTABLE = new Set(['typescript', 'tsx', 'javascript', 'python', 'go', 'rust']);

export function availableActions(doc: SyntaxDocument, start: number, end: number): AvailableAction[] {
  const grammar = doc.grammar.spec.id;
  const out: AvailableAction[] = [];
  const text = doc.text;
  if (end > start && familyOf(grammar) && text.slice(start, end).trim()) out.push('extract');
  const node = doc.tree.rootNode.descendantForIndex(start, start);
  if (node?.type.includes('comment')) out.push('comment-code');
  const def = definitionAt(doc.tree.rootNode, grammar, start);
  if (def) {
    out.push('docstring');
    if (def.kind !== 'class') {
      if (TESTABLE.has(grammar)) out.push('tests');
      const body = def.node.childForFieldName('body');
      const inner = body ? body.namedChildren.filter((c) => c && !c.type.includes('comment')) : [];
      if (body && (inner.length === 0 || (inner.length === 1 && /pass|\.\.\.|todo|unimplemented|not implemented|NotImplementedError/i.test(inner[0].text)))) out.push('body');
    }
  }
  if (end === start && identifierAt(doc, start)) out.push('names');
  return out;
}
