/**
 * What a definition's body does, as a doc comment needs it: whether it returns a value (from
 * its declared type or its return statements), what it throws (exception types, in order),
 * whether it yields (Python) or panics (Rust). Nested functions and classes are not the body.
 */
import type { Node } from 'web-tree-sitter';
import type { GrammarId } from '../context/languages';
import { FUNCTION_LIKE } from './definitions';

export interface BodyFacts {
  readonly returnsValue: boolean;
  /** The declared return type, when there is one and it is not void-like. */
  readonly returnType?: string;
  readonly throws: readonly string[];
  readonly yields: boolean;
  readonly panics: boolean;
  /** Rust: the declared return type is a `Result`. */
  readonly returnsResult: boolean;
}

const VOID_TYPES = new Set(['void', 'never', 'undefined', 'Promise<void>', 'None', '()', '!', 'Unit']);
const PANIC_MACROS = new Set(['panic', 'unreachable', 'todo', 'unimplemented', 'assert', 'assert_eq', 'assert_ne']);

/** Visits the nodes of `body` that belong to it (not to nested functions or classes). */
export function walkOwn(body: Node, visit: (n: Node) => void): void {
  const stack: Node[] = [body];
  while (stack.length > 0) {
    const n = stack.pop()!;
    visit(n);
    for (let i = n.namedChildCount - 1; i >= 0; i--) {
      const c = n.namedChild(i);
      if (c && !FUNCTION_LIKE.has(c.type)) stack.push(c);
    }
  }
}

export function declaredReturnType(def: Node, grammar: GrammarId): string | undefined {
  let t: string | undefined;
  switch (grammar) {
    case 'go':
      t = def.childForFieldName('result')?.text;
      break;
    case 'java':
    case 'cpp':
      t = def.childForFieldName('type')?.text;
      break;
    case 'csharp':
      t = (def.childForFieldName('returns') ?? def.childForFieldName('type'))?.text;
      break;
    default:
      t = def.childForFieldName('return_type')?.text;
  }
  t = t?.replace(/^(:|->)\s*/, '').trim();
  if (grammar === 'cpp' && t && def.childForFieldName('declarator')?.text.startsWith('~')) return undefined;
  return t || undefined;
}

export function bodyFacts(def: Node, grammar: GrammarId, isConstructor: boolean): BodyFacts {
  const body = def.childForFieldName('body') ?? def.childForFieldName('value');
  const declared = isConstructor ? undefined : declaredReturnType(def, grammar);
  const throws: string[] = [];
  let returnsWithValue = false;
  let yields = false;
  let panics = false;
  const addThrow = (name: string | undefined) => {
    const n = name?.trim();
    if (n && /^[\w.:\\]+$/.test(n) && !throws.includes(n)) throws.push(n);
  };
  if (grammar === 'java') {
    const clause = def.namedChildren.find((c) => c?.type === 'throws');
    for (const t of clause?.namedChildren ?? []) if (t) addThrow(t.text);
  }
  if (body) {
    // An arrow function with an expression body returns it.
    if (def.type === 'arrow_function' && body.type !== 'statement_block') returnsWithValue = true;
    walkOwn(body, (n) => {
      switch (n.type) {
        case 'return_statement':
        case 'return_expression':
          if (n.namedChildCount > 0 && !(n.namedChildCount === 1 && n.namedChild(0)?.type === 'none')) returnsWithValue = true;
          break;
        case 'yield':
        case 'yield_expression':
          yields = true;
          break;
        case 'throw_statement':
        case 'throw_expression':
        case 'raise_statement':
          addThrow(thrownType(n));
          break;
        case 'macro_invocation': {
          const m = n.childForFieldName('macro')?.text;
          if (m && PANIC_MACROS.has(m)) panics = true;
          break;
        }
        case 'call':
          if (grammar === 'ruby' && n.childForFieldName('method')?.text === 'raise') {
            const first = n.childForFieldName('arguments')?.namedChild(0);
            addThrow(first?.type === 'constant' || first?.type === 'scope_resolution' ? first.text : 'RuntimeError');
          }
          break;
      }
    });
    // Rust: a tail expression is the value.
    if (grammar === 'rust' && body.type === 'block') {
      const last = body.namedChild(body.namedChildCount - 1);
      if (last && !last.type.endsWith('_statement') && last.type !== 'line_comment' && last.type !== 'block_comment' && !body.text.trimEnd().endsWith(';}')) {
        if (declared) returnsWithValue = true;
      }
    }
  }
  const voidLike = declared !== undefined && VOID_TYPES.has(declared.replace(/\s+/g, ''));
  let returnsValue: boolean;
  if (isConstructor) returnsValue = false;
  else if (declared !== undefined) returnsValue = !voidLike && !(grammar === 'python' && yields);
  else returnsValue = returnsWithValue && !yields;
  if (['java', 'csharp', 'cpp'].includes(grammar)) returnsValue = !isConstructor && declared !== undefined && !voidLike;
  return {
    returnsValue,
    returnType: returnsValue && declared && !voidLike ? declared : undefined,
    throws,
    yields,
    panics,
    returnsResult: grammar === 'rust' && !!declared && /^(\w+::)*Result\b/.test(declared),
  };
}

/** The type name of what a throw/raise statement throws, when it names one. */
function thrownType(n: Node): string | undefined {
  let e = n.namedChild(0);
  if (!e) return undefined;
  if (e.type === 'parenthesized_expression') e = e.namedChild(0) ?? e;
  switch (e.type) {
    case 'new_expression':
      return e.childForFieldName('constructor')?.text;
    case 'object_creation_expression':
      return (e.childForFieldName('type') ?? e.namedChildren.find((c) => c?.type === 'name' || c?.type === 'qualified_name'))?.text;
    case 'call':
    case 'call_expression':
      return e.childForFieldName('function')?.text;
    case 'identifier':
    case 'attribute':
      // `raise ValueError` names a class; `throw err` rethrows a variable.
      return /^[A-Z]/.test(e.text.split('.').pop() ?? '') ? e.text : undefined;
    case 'compound_literal_expression':
      return e.childForFieldName('type')?.text;
    default:
      return undefined;
  }
}
