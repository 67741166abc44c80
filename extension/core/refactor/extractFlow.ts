/**
 * Control flow that decides whether statements can move into a function of their own: `await`
 * moves (the function becomes async), `return` moves only when the selection is the tail of
 * its function, `yield`, `break`/`continue` to an outer loop, `arguments`, and Python's
 * global/nonlocal do not.
 */
import type { Node } from 'web-tree-sitter';
import { FUNCTION_LIKE } from './definitions';
import { RefactorError } from './errors';
import type { StatementSelection } from './extractSelection';

const LOOPS = new Set(['for_statement', 'for_in_statement', 'while_statement', 'do_statement']);
/** Function boundaries that do not rebind `this` (arrow functions do not). */
const THIS_BOUNDARIES = new Set(['function_declaration', 'generator_function_declaration', 'function_expression', 'generator_function', 'method_definition', 'class_declaration', 'class', 'class_body']);

export interface FlowFacts {
  readonly isAsync: boolean;
  /** The selection ends its function with a `return`: the call site returns the call. */
  readonly tailReturn: boolean;
  /** Uses `this` or `super` (JavaScript/TypeScript). */
  readonly usesThis: boolean;
}

export function flowFacts(sel: StatementSelection, text: string, enclosingBody: Node | undefined): FlowFacts {
  const line = (n: Node) => text.slice(0, n.startIndex).split('\n').length;
  const inside = (n: Node) => n.startIndex >= sel.start && n.endIndex <= sel.end;
  let isAsync = false;
  let usesThis = false;
  const returns: Node[] = [];
  const visitOwn = (root: Node) => {
    if (FUNCTION_LIKE.has(root.type)) return;
    const stack = [root];
    while (stack.length) {
      const n = stack.pop()!;
      switch (n.type) {
        case 'return_statement':
          returns.push(n);
          break;
        case 'yield_expression':
        case 'yield':
          throw new RefactorError('cannot-extract', `the selection yields (line ${line(n)}): a generator's yield cannot move into another function`);
        case 'await_expression':
        case 'await':
          isAsync = true;
          break;
        case 'break_statement':
        case 'continue_statement':
          if (!targetInside(n, inside)) {
            const word = n.type.startsWith('break') ? 'break' : 'continue';
            throw new RefactorError('cannot-extract', `the selection has a '${word}' (line ${line(n)}) for a loop outside it: it cannot move into a function`);
          }
          break;
        case 'global_statement':
        case 'nonlocal_statement':
          throw new RefactorError('cannot-extract', `the selection declares ${n.text.split(/\s/)[0]} names (line ${line(n)}): move that declaration out of it first`);
        case 'identifier':
          if (n.text === 'arguments' && n.parent?.type !== 'member_expression') {
            throw new RefactorError('cannot-extract', `the selection uses 'arguments' (line ${line(n)}), which would mean the new function's own arguments`);
          }
          break;
        case 'for_in_statement':
          if (n.children.some((c) => c?.type === 'await')) isAsync = true;
          break;
        case 'call_expression':
          if (n.childForFieldName('function')?.type === 'super') {
            throw new RefactorError('cannot-extract', `the selection calls super() (line ${line(n)}), which only a constructor can do`);
          }
          break;
        case 'for_statement':
        case 'with_statement':
          if (n.children.some((c) => c?.type === 'async')) isAsync = true;
          break;
      }
      for (const c of n.children) if (c && !FUNCTION_LIKE.has(c.type)) stack.push(c);
    }
  };
  for (const s of sel.statements) visitOwn(s);
  // `this`/`super` are bound by the nearest non-arrow function: look through arrow functions.
  for (const s of sel.statements) usesThis ||= findThis(s);

  let tailReturn = false;
  if (returns.length > 0) {
    const last = sel.statements.filter((s) => !s.type.includes('comment')).pop();
    const isTail = !!enclosingBody && sel.container.id === enclosingBody.id && last?.type === 'return_statement' && !hasStatementsAfter(sel);
    if (!isTail) {
      throw new RefactorError(
        'cannot-extract',
        `the selection returns from its function (line ${line(returns[0])}) but does not end it: select through the function's last return, or leave the return out`,
      );
    }
    tailReturn = true;
  }
  return { isAsync, tailReturn, usesThis };
}

function targetInside(n: Node, inside: (n: Node) => boolean): boolean {
  const label = n.childForFieldName('label')?.text ?? n.namedChildren.find((c) => c?.type === 'statement_identifier')?.text;
  for (let p = n.parent; p; p = p.parent) {
    if (!inside(p)) return false;
    if (label) {
      if (p.type === 'labeled_statement' && p.childForFieldName('label')?.text === label) return true;
    } else if (LOOPS.has(p.type) || (n.type === 'break_statement' && p.type === 'switch_statement')) return true;
    if (FUNCTION_LIKE.has(p.type)) return false;
  }
  return false;
}

function findThis(root: Node): boolean {
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'this' || n.type === 'super') return true;
    for (const c of n.children) if (c && !THIS_BOUNDARIES.has(c.type)) stack.push(c);
  }
  return false;
}

function hasStatementsAfter(sel: StatementSelection): boolean {
  const lastEnd = sel.statements[sel.statements.length - 1].endIndex;
  return sel.container.namedChildren.some((c) => c !== null && c.startIndex >= lastEnd && !c.type.includes('comment'));
}
