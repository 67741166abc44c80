/**
 * A selection to extract must be a whole list of statements of one block: it may not cut
 * through an expression, a string or a statement, and it may not be part of a class body.
 */
import type { Node } from 'web-tree-sitter';
import type { GrammarId } from '../context/languages';
import { RefactorError } from './errors';

const CONTAINERS: Readonly<Record<'js' | 'python', ReadonlySet<string>>> = {
  js: new Set(['program', 'statement_block', 'switch_case', 'switch_default', 'class_static_block']),
  python: new Set(['module', 'block']),
};

export interface StatementSelection {
  readonly start: number;
  readonly end: number;
  readonly container: Node;
  /** The selected statements (comments included), in order. */
  readonly statements: readonly Node[];
}

export function familyOf(grammar: GrammarId): 'js' | 'python' | undefined {
  if (grammar === 'typescript' || grammar === 'tsx' || grammar === 'javascript') return 'js';
  if (grammar === 'python') return 'python';
  return undefined;
}

/** The statements `[start, end)` covers, after trimming whitespace; throws `bad-selection` otherwise. */
export function selectStatements(root: Node, text: string, grammar: GrammarId, start: number, end: number): StatementSelection {
  const family = familyOf(grammar);
  if (!family) throw new RefactorError('unsupported-language', `Extract Function supports TypeScript, JavaScript and Python, not ${grammar}`);
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s])) s++;
  while (e > s && /\s/.test(text[e - 1])) e--;
  const line = (o: number) => text.slice(0, o).split('\n').length;
  if (s >= e) throw new RefactorError('bad-selection', 'select the statements to extract (the selection is empty)');
  const containers = CONTAINERS[family];
  const first = statementStartingAt(root, s, containers);
  const last = statementEndingAt(root, e, containers);
  if (!first) throw new RefactorError('bad-selection', `the selection starts inside a statement or an expression at line ${line(s)}: select whole statements`);
  if (!last) throw new RefactorError('bad-selection', `the selection ends inside a statement or an expression at line ${line(e)}: select whole statements`);
  const container = first.parent!;
  if (last.parent?.id !== container.id) {
    throw new RefactorError('bad-selection', `the selection (lines ${line(s)}–${line(e)}) spans statements of different blocks: select statements of one block`);
  }
  if (family === 'python' && container.parent?.type === 'class_definition') {
    throw new RefactorError('bad-selection', `the selection is in the body of a class (line ${line(s)}): select statements inside a function or at module level`);
  }
  const statements = container.namedChildren.filter((c): c is Node => c !== null && c.startIndex >= s && c.endIndex <= e);
  if (!statements.some((c) => !c.type.includes('comment'))) throw new RefactorError('bad-selection', 'the selection holds only comments: select statements to extract');
  if (statements.some((c) => c.hasError || c.isError)) {
    throw new RefactorError('bad-selection', `the selected code has syntax errors (line ${line(statements.find((c) => c.hasError || c.isError)!.startIndex)}): fix them first`);
  }
  return { start: s, end: e, container, statements };
}

function statementStartingAt(root: Node, offset: number, containers: ReadonlySet<string>): Node | undefined {
  for (let n: Node | null = root.descendantForIndex(offset, offset); n; n = n.parent) {
    if (n.startIndex !== offset) return undefined;
    if (n.parent && containers.has(n.parent.type) && n.isNamed && !isCaseLabel(n)) return n;
  }
  return undefined;
}

function statementEndingAt(root: Node, offset: number, containers: ReadonlySet<string>): Node | undefined {
  for (let n: Node | null = root.descendantForIndex(offset - 1, offset - 1); n; n = n.parent) {
    if (n.endIndex !== offset) {
      if (n.endIndex < offset) continue;
      return undefined;
    }
    if (n.parent && containers.has(n.parent.type) && n.isNamed && !isCaseLabel(n)) return n;
  }
  return undefined;
}

/** A `case x:` label's value is a child of the case node, not a statement. */
function isCaseLabel(n: Node): boolean {
  const p = n.parent;
  return !!p && (p.type === 'switch_case' || p.type === 'switch_default') && p.childForFieldName('value')?.id === n.id;
}
