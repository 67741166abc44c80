/**
 * The parameters of a definition, in order, per grammar: name, declared type, rest/optional.
 * Receivers (`self`, `this: T`, Go receivers, Rust `&self`) are not parameters. A destructured
 * parameter is one parameter (named `paramN` the way editors' JSDoc snippets do) with fields.
 */
import type { Node } from 'web-tree-sitter';
import type { GrammarId } from '../context/languages';

export interface Parameter {
  readonly name: string;
  readonly type?: string;
  readonly rest: boolean;
  readonly optional: boolean;
  /** Names bound by a destructuring pattern. */
  readonly fields?: readonly string[];
}

export function parameterList(def: Node, grammar: GrammarId): Node | null {
  if (grammar === 'cpp') {
    for (let d = def.childForFieldName('declarator'); d; d = d.childForFieldName('declarator')) {
      if (d.type === 'function_declarator') return d.childForFieldName('parameters');
    }
    return null;
  }
  if (def.type === 'type_spec' || def.type.endsWith('class_declaration') || def.type === 'class_definition') return null;
  return def.childForFieldName('parameters');
}

export function parametersOf(def: Node, grammar: GrammarId, isMethod: boolean): Parameter[] {
  const list = parameterList(def, grammar);
  if (!list) {
    // `x => x + 1`: a lone identifier parameter.
    const single = def.childForFieldName('parameter');
    return single ? [{ name: single.text, rest: false, optional: false }] : [];
  }
  const out: Parameter[] = [];
  const children = list.namedChildren.filter((c): c is Node => c !== null && !c.type.includes('comment'));
  for (const c of children) out.push(...parameter(c, grammar, out.length));
  if (grammar === 'python' && isMethod && out.length > 0 && !isStatic(def)) out.shift();
  return out;
}

function isStatic(def: Node): boolean {
  const wrapper = def.parent?.type === 'decorated_definition' ? def.parent : undefined;
  return !!wrapper?.namedChildren.some((d) => d?.type === 'decorator' && /^@staticmethod\b/.test(d.text));
}

const textOf = (n: Node | null | undefined) => n?.text;
const typeText = (n: Node | null | undefined) => n?.text.replace(/^:\s*/, '');

function parameter(c: Node, grammar: GrammarId, index: number): Parameter[] {
  switch (grammar) {
    case 'typescript':
    case 'tsx':
    case 'javascript':
      return jsParameter(c, index);
    case 'python':
      return pyParameter(c);
    case 'go': {
      const type = textOf(c.childForFieldName('type'));
      const names = c.childrenForFieldName('name').filter((n): n is Node => n !== null);
      const rest = c.type === 'variadic_parameter_declaration';
      return names.map((n) => ({ name: n.text, type: rest ? `...${type}` : type, rest, optional: false }));
    }
    case 'rust': {
      if (c.type === 'self_parameter' || c.type === 'attribute_item') return [];
      const pattern = c.childForFieldName('pattern');
      if (!pattern) return [];
      const name = pattern.type === 'identifier' ? pattern.text : pattern.text.replace(/\s+/g, ' ');
      return [{ name, type: textOf(c.childForFieldName('type')), rest: false, optional: false }];
    }
    case 'java':
      if (c.type === 'receiver_parameter') return [];
      if (c.type === 'spread_parameter') {
        const decl = c.namedChildren.find((n) => n?.type === 'variable_declarator');
        const type = c.namedChildren.find((n) => n && n.type !== 'variable_declarator' && n.type !== 'modifiers');
        return [{ name: textOf(decl?.childForFieldName('name')) ?? '', type: type ? `${type.text}...` : undefined, rest: true, optional: false }];
      }
      return [{ name: textOf(c.childForFieldName('name')) ?? '', type: textOf(c.childForFieldName('type')), rest: false, optional: false }];
    case 'csharp':
      if (c.type === 'parameter') return [{ name: textOf(c.childForFieldName('name')) ?? '', type: textOf(c.childForFieldName('type')), rest: false, optional: !!c.childForFieldName('default_value') }];
      // `params int[] c` parses as loose type/name children of the list.
      return c.type === 'identifier' && c.parent?.fieldNameForNamedChild(indexIn(c)) === 'name' ? [{ name: c.text, rest: true, optional: false }] : [];
    case 'cpp': {
      if (c.type === 'variadic_parameter') return [{ name: '...', rest: true, optional: false }];
      const decl = c.childForFieldName('declarator');
      const id = decl ? firstIdentifier(decl) : undefined;
      if (!id) return [];
      return [{ name: id, type: textOf(c.childForFieldName('type')), rest: false, optional: c.type === 'optional_parameter_declaration' }];
    }
    case 'php': {
      const name = textOf(c.childForFieldName('name'));
      if (!name) return [];
      return [{ name, type: textOf(c.childForFieldName('type')), rest: c.type === 'variadic_parameter', optional: !!c.childForFieldName('default_value') }];
    }
    case 'ruby': {
      if (c.type === 'identifier') return [{ name: c.text, rest: false, optional: false }];
      const name = textOf(c.childForFieldName('name'));
      if (!name) return [];
      return [{ name, rest: c.type === 'splat_parameter' || c.type === 'hash_splat_parameter', optional: c.type === 'optional_parameter' }];
    }
    case 'bash':
      return [];
  }
}

function indexIn(n: Node): number {
  const p = n.parent;
  if (!p) return -1;
  return p.namedChildren.findIndex((x) => x?.id === n.id);
}

function firstIdentifier(n: Node): string | undefined {
  if (n.type === 'identifier' || n.type === 'field_identifier') return n.text;
  for (const c of n.namedChildren) {
    const hit = c ? firstIdentifier(c) : undefined;
    if (hit) return hit;
  }
  return undefined;
}

function jsParameter(c: Node, index: number): Parameter[] {
  let pattern: Node | null = c;
  let type: string | undefined;
  let optional = false;
  if (c.type === 'required_parameter' || c.type === 'optional_parameter') {
    pattern = c.childForFieldName('pattern');
    type = typeText(c.childForFieldName('type'));
    optional = c.type === 'optional_parameter' || !!c.childForFieldName('value');
  }
  if (!pattern || pattern.type === 'this') return [];
  if (pattern.type === 'assignment_pattern') {
    optional = true;
    pattern = pattern.childForFieldName('left');
    if (!pattern) return [];
  }
  let rest = false;
  if (pattern.type === 'rest_pattern') {
    rest = true;
    pattern = pattern.namedChildren[0] ?? pattern;
  }
  if (pattern.type === 'identifier') return [{ name: pattern.text, type, rest, optional }];
  return [{ name: `param${index}`, type, rest, optional, fields: boundNames(pattern) }];
}

function pyParameter(c: Node): Parameter[] {
  switch (c.type) {
    case 'identifier':
      return [{ name: c.text, rest: false, optional: false }];
    case 'typed_parameter': {
      const inner = c.namedChildren.find((n) => n && n.type !== 'type');
      const type = textOf(c.childForFieldName('type'));
      if (!inner) return [];
      if (inner.type === 'identifier') return [{ name: inner.text, type, rest: false, optional: false }];
      const id = inner.namedChildren[0];
      return id ? [{ name: (inner.type === 'list_splat_pattern' ? '*' : '**') + id.text, type, rest: true, optional: true }] : [];
    }
    case 'default_parameter':
    case 'typed_default_parameter':
      return [{ name: textOf(c.childForFieldName('name')) ?? '', type: textOf(c.childForFieldName('type')), rest: false, optional: true }];
    case 'list_splat_pattern':
    case 'dictionary_splat_pattern': {
      const id = c.namedChildren[0];
      return id ? [{ name: (c.type === 'list_splat_pattern' ? '*' : '**') + id.text, rest: true, optional: true }] : [];
    }
    default:
      return [];
  }
}

/** Identifiers a destructuring pattern binds, in order. */
export function boundNames(pattern: Node): string[] {
  const out: string[] = [];
  const visit = (n: Node) => {
    if (n.type === 'identifier' || n.type === 'shorthand_property_identifier_pattern') {
      out.push(n.text);
      return;
    }
    if (n.type === 'pair_pattern') {
      const value = n.childForFieldName('value');
      if (value) visit(value);
      return;
    }
    if (n.type === 'assignment_pattern' || n.type === 'object_assignment_pattern') {
      const left = n.childForFieldName('left');
      if (left) visit(left);
      return;
    }
    for (const c of n.namedChildren) if (c && !c.type.includes('type')) visit(c);
  };
  visit(pattern);
  return out;
}
