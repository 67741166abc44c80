/**
 * The documentable definition at a cursor: function, method, constructor or class-like type,
 * per grammar, with the node a comment attaches to (the export statement, the decorators, the
 * attributes above it) and its name.
 */
import type { Node } from 'web-tree-sitter';
import type { GrammarId } from '../context/languages';

export type DefinitionKind = 'function' | 'method' | 'constructor' | 'class';

/** Node types that are definitions, per grammar (arrow functions count only when named by a declaration). */
const DEFINITIONS: Readonly<Record<GrammarId, Readonly<Record<string, DefinitionKind>>>> = {
  typescript: tsLike(),
  tsx: tsLike(),
  javascript: tsLike(),
  python: { function_definition: 'function', class_definition: 'class' },
  go: { function_declaration: 'function', method_declaration: 'method', type_spec: 'class' },
  rust: { function_item: 'function', function_signature_item: 'function', struct_item: 'class', enum_item: 'class', trait_item: 'class', union_item: 'class' },
  java: {
    method_declaration: 'method',
    constructor_declaration: 'constructor',
    class_declaration: 'class',
    interface_declaration: 'class',
    enum_declaration: 'class',
    record_declaration: 'class',
  },
  csharp: {
    method_declaration: 'method',
    constructor_declaration: 'constructor',
    class_declaration: 'class',
    struct_declaration: 'class',
    interface_declaration: 'class',
    record_declaration: 'class',
    enum_declaration: 'class',
  },
  cpp: { function_definition: 'function', class_specifier: 'class', struct_specifier: 'class' },
  php: { function_definition: 'function', method_declaration: 'method', class_declaration: 'class', interface_declaration: 'class', trait_declaration: 'class', enum_declaration: 'class' },
  ruby: { method: 'method', singleton_method: 'method', class: 'class', module: 'class' },
  bash: { function_definition: 'function' },
};

function tsLike(): Record<string, DefinitionKind> {
  return {
    function_declaration: 'function',
    generator_function_declaration: 'function',
    function_signature: 'function',
    method_definition: 'method',
    method_signature: 'method',
    abstract_method_signature: 'method',
    class_declaration: 'class',
    abstract_class_declaration: 'class',
    interface_declaration: 'class',
    arrow_function: 'function',
    function_expression: 'function',
    generator_function: 'function',
  };
}

/** Nodes that start a new function body: what they contain does not belong to the enclosing function. */
export const FUNCTION_LIKE = new Set([
  'function_declaration',
  'generator_function_declaration',
  'function_expression',
  'generator_function',
  'arrow_function',
  'method_definition',
  'function_definition',
  'lambda',
  'method_declaration',
  'func_literal',
  'function_item',
  'closure_expression',
  'constructor_declaration',
  'lambda_expression',
  'local_function_statement',
  'anonymous_function',
  'anonymous_function_creation_expression',
  'method',
  'singleton_method',
  'class_declaration',
  'class_definition',
  'class_specifier',
  'impl_item',
]);

/** The definition kind a node type has in a grammar (arrow functions only count when named; see definitionAt). */
export function definitionKindOf(type: string, grammar: GrammarId): DefinitionKind | undefined {
  return DEFINITIONS[grammar][type];
}

export interface Definition {
  readonly node: Node;
  /** Where a comment above the definition goes: the outermost wrapper (export, decorators, attributes). */
  readonly outer: Node;
  /** First byte of the comment's line range (decorators and attributes above the definition included). */
  readonly attachStart: number;
  readonly kind: DefinitionKind;
  readonly name: string;
}

const ANONYMOUS = new Set(['arrow_function', 'function_expression', 'generator_function']);

/** The innermost definition around `offset` (or whose header/comment line holds it). */
export function definitionAt(root: Node, grammar: GrammarId, offset: number): Definition | undefined {
  const table = DEFINITIONS[grammar];
  let node: Node | null = root.descendantForIndex(offset, offset);
  // A cursor in the whitespace before a definition's first line, or on its doc comment: look forward.
  for (; node; node = node.parent) {
    const kind = table[node.type];
    if (!kind) continue;
    const def = describe(node, kind, grammar);
    if (def) return def;
  }
  return undefined;
}

/** The definition that starts on the first non-blank line at or after `offset` (a cursor on a comment above it). */
export function definitionBelow(root: Node, grammar: GrammarId, text: string, offset: number): Definition | undefined {
  let i = text.indexOf('\n', offset);
  for (let guard = 0; i !== -1 && guard < 50; guard++) {
    const lineStart = i + 1;
    const lineEnd = text.indexOf('\n', lineStart);
    const line = text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd).trim();
    if (line && !isCommentLine(line)) {
      const at = lineStart + (text.slice(lineStart).length - text.slice(lineStart).trimStart().length);
      const def = definitionAt(root, grammar, at);
      return def && def.attachStart <= at ? def : undefined;
    }
    i = lineEnd;
  }
  return undefined;
}

function isCommentLine(line: string): boolean {
  return /^(\/\/|\/\*|\*|#(?!\[)|"""|''')/.test(line) || line.startsWith('@') || line.startsWith('#[');
}

function describe(node: Node, kind: DefinitionKind, grammar: GrammarId): Definition | undefined {
  let outer = node;
  let name = nameOf(node, grammar);
  let k = kind;
  if (ANONYMOUS.has(node.type)) {
    // Only functions named by a declaration or a class field are definitions; callbacks are not.
    const parent = node.parent;
    if (!parent) return undefined;
    if (parent.type === 'variable_declarator') {
      name = parent.childForFieldName('name')?.text ?? '';
      outer = parent.parent ?? parent;
    } else if (parent.type === 'public_field_definition' || parent.type === 'field_definition' || parent.type === 'pair') {
      name = (parent.childForFieldName('name') ?? parent.childForFieldName('key') ?? parent.childForFieldName('property'))?.text ?? '';
      outer = parent;
      k = 'method';
    } else return undefined;
  }
  if (grammar === 'go' && node.type === 'type_spec') {
    if (node.parent?.type === 'type_declaration' && node.parent.namedChildren.length === 1) outer = node.parent;
  }
  if (k === 'method' && (name === 'constructor' || name === '__init__')) k = 'constructor';
  if (k === 'function' && isInsideClass(node)) k = name === '__init__' ? 'constructor' : 'method';
  for (let p = outer.parent; p; p = p.parent) {
    if (p.type === 'export_statement' || p.type === 'decorated_definition' || p.type === 'template_declaration') outer = p;
    else break;
  }
  let attachStart = outer.startIndex;
  // Decorators and attributes written as siblings before the definition.
  for (let prev = outer.previousNamedSibling; prev; prev = prev.previousNamedSibling) {
    if (prev.type !== 'decorator' && prev.type !== 'attribute_item' && prev.type !== 'attribute') break;
    attachStart = prev.startIndex;
  }
  return { node, outer, attachStart, kind: k, name };
}

function isInsideClass(node: Node): boolean {
  const p = node.parent;
  if (!p) return false;
  const owners = ['class_body', 'declaration_list', 'field_declaration_list', 'body_statement'];
  if (owners.includes(p.type)) return p.parent?.type !== 'mod_item';
  // Python: function_definition ← block ← class_definition (maybe through decorated_definition).
  const block = p.type === 'decorated_definition' ? p.parent : p;
  return block?.type === 'block' && block.parent?.type === 'class_definition';
}

function nameOf(node: Node, grammar: GrammarId): string {
  const named = node.childForFieldName('name');
  if (named) return named.text;
  if (grammar === 'cpp') {
    let d = node.childForFieldName('declarator');
    while (d && d.childForFieldName('declarator')) d = d.childForFieldName('declarator');
    return d?.text ?? '';
  }
  return '';
}
