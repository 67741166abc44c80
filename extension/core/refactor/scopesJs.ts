/**
 * Scope rules for JavaScript and TypeScript: block-scoped let/const/class, `var` hoisted to the
 * function, parameters and named function expressions in the function's scope, catch and loop
 * heads in their own block, imports in the module. TypeScript type names resolve like values.
 */
import type { Node } from 'web-tree-sitter';
import { functionScopeOf, ScopeBuilder, type BindingKind, type Scope, type ScopeModel } from './scopeModel';

const FUNCTIONS = new Set(['function_declaration', 'generator_function_declaration', 'function_expression', 'generator_function', 'arrow_function', 'method_definition', 'function']);
const TYPE_DECLS = new Set(['interface_declaration', 'type_alias_declaration', 'enum_declaration', 'internal_module', 'module']);
const JSX_NAMES = new Set(['jsx_opening_element', 'jsx_closing_element', 'jsx_self_closing_element']);

export function analyzeJs(root: Node): ScopeModel {
  const b = new ScopeBuilder(false);
  const module = b.scope(root, 'module', undefined);

  const children = (n: Node, scope: Scope) => {
    for (const c of n.namedChildren) if (c) visit(c, scope);
  };

  /** Binds or assigns every identifier of a pattern; default values are visited as uses. */
  const pattern = (p: Node | null, scope: Scope, onId: (id: Node) => void) => {
    if (!p) return;
    switch (p.type) {
      case 'identifier':
      case 'shorthand_property_identifier_pattern':
        onId(p);
        return;
      case 'object_pattern':
      case 'array_pattern':
        for (const c of p.namedChildren) if (c) pattern(c, scope, onId);
        return;
      case 'rest_pattern':
        pattern(p.namedChild(0), scope, onId);
        return;
      case 'assignment_pattern':
      case 'object_assignment_pattern': {
        pattern(p.childForFieldName('left'), scope, onId);
        const right = p.childForFieldName('right');
        if (right) visit(right, scope);
        return;
      }
      case 'pair_pattern': {
        const key = p.childForFieldName('key');
        if (key?.type === 'computed_property_name') visit(key, scope);
        pattern(p.childForFieldName('value'), scope, onId);
        return;
      }
      default:
        // Member expressions and the like as assignment targets: they are uses.
        visit(p, scope);
    }
  };

  const declarePattern = (p: Node | null, target: Scope, kind: BindingKind, write: boolean, at: Scope) =>
    pattern(p, at, (id) => b.declare(target, id, kind, write, at));
  const writePattern = (p: Node | null, scope: Scope) => pattern(p, scope, (id) => b.use(scope, id, true));

  const fn = (n: Node, scope: Scope) => {
    const own = b.scope(n, 'function', scope);
    const name = n.childForFieldName('name');
    if (name?.type === 'identifier') {
      if (n.type === 'function_declaration' || n.type === 'generator_function_declaration') b.declare(scope, name, 'function', true);
      else b.declare(own, name, 'function', true);
    } else if (name?.type === 'computed_property_name') visit(name, scope);
    const single = n.childForFieldName('parameter');
    if (single) b.declare(own, single, 'param', true);
    for (const p of n.childForFieldName('parameters')?.namedChildren ?? []) {
      if (!p) continue;
      if (p.type === 'required_parameter' || p.type === 'optional_parameter') {
        declarePattern(p.childForFieldName('pattern'), own, 'param', true, own);
        for (const f of ['type', 'value'] as const) {
          const x = p.childForFieldName(f);
          if (x) visit(x, own);
        }
      } else declarePattern(p, own, 'param', true, own);
    }
    for (const f of ['type_parameters', 'return_type'] as const) {
      const x = n.childForFieldName(f);
      if (x) visit(x, own);
    }
    const body = n.childForFieldName('body');
    if (body?.type === 'statement_block') children(body, own);
    else if (body) visit(body, own);
  };

  const visit = (n: Node, scope: Scope): void => {
    const t = n.type;
    if (FUNCTIONS.has(t)) return fn(n, scope);
    switch (t) {
      case 'identifier':
      case 'shorthand_property_identifier':
      case 'type_identifier': {
        const parent = n.parent;
        if (parent && JSX_NAMES.has(parent.type) && /^[a-z]/.test(n.text)) return;
        b.use(scope, n);
        return;
      }
      case 'class_declaration':
      case 'abstract_class_declaration':
      case 'class': {
        const name = n.childForFieldName('name');
        const inner = b.scope(n, 'block', scope);
        if (name) b.declare(t === 'class' ? inner : scope, name, 'class', true);
        for (const c of n.namedChildren) if (c && c.id !== name?.id) visit(c, inner);
        return;
      }
      case 'lexical_declaration':
      case 'variable_declaration': {
        const kind: BindingKind = t === 'variable_declaration' ? 'var' : n.child(0)?.type === 'const' ? 'const' : 'let';
        const target = kind === 'var' ? functionScopeOf(scope) : scope;
        for (const d of n.namedChildren) {
          if (d?.type !== 'variable_declarator') continue;
          const value = d.childForFieldName('value');
          declarePattern(d.childForFieldName('name'), target, kind, value !== null, scope);
          const type = d.childForFieldName('type');
          if (type) visit(type, scope);
          if (value) visit(value, scope);
        }
        return;
      }
      case 'statement_block':
      case 'switch_body':
      case 'class_static_block':
        return children(n, b.scope(n, 'block', scope));
      case 'for_statement':
        return children(n, b.scope(n, 'block', scope));
      case 'for_in_statement': {
        const inner = b.scope(n, 'block', scope);
        const kindToken = n.children.find((c) => c && (c.type === 'const' || c.type === 'let' || c.type === 'var'))?.type as BindingKind | undefined;
        const left = n.childForFieldName('left');
        if (kindToken) declarePattern(left, kindToken === 'var' ? functionScopeOf(scope) : inner, kindToken, true, inner);
        else writePattern(left, scope);
        for (const c of n.namedChildren) if (c && c.id !== left?.id) visit(c, inner);
        return;
      }
      case 'catch_clause': {
        const inner = b.scope(n, 'block', scope);
        declarePattern(n.childForFieldName('parameter'), inner, 'catch', true, inner);
        const body = n.childForFieldName('body');
        if (body) children(body, inner);
        return;
      }
      case 'import_statement':
        for (const id of importedNames(n)) b.declare(module, id, 'import', true);
        return;
      case 'export_specifier': {
        const name = n.childForFieldName('name');
        if (name) b.use(scope, name);
        return;
      }
      case 'assignment_expression':
      case 'augmented_assignment_expression': {
        // Evaluation order: the value (and, for `x += 1`, x itself) is read before x is written.
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        if (right) visit(right, scope);
        if (t === 'augmented_assignment_expression' && left?.type === 'identifier') b.use(scope, left);
        if (left?.type === 'identifier' || left?.type === 'object_pattern' || left?.type === 'array_pattern') writePattern(left, scope);
        else if (left) visit(left, scope);
        return;
      }
      case 'update_expression': {
        const arg = n.childForFieldName('argument');
        if (arg?.type === 'identifier') {
          b.use(scope, arg);
          b.use(scope, arg, true);
        }
        else if (arg) visit(arg, scope);
        return;
      }
      case 'labeled_statement':
      case 'break_statement':
      case 'continue_statement': {
        const body = n.childForFieldName('body');
        if (body) visit(body, scope);
        return;
      }
      case 'property_identifier':
      case 'private_property_identifier':
      case 'statement_identifier':
        return;
      default:
        if (TYPE_DECLS.has(t)) {
          const name = n.childForFieldName('name');
          if (name && (name.type === 'identifier' || name.type === 'type_identifier')) b.declare(scope, name, 'type', true);
          const inner = b.scope(n, 'block', scope);
          for (const c of n.namedChildren) if (c && c.id !== name?.id && !(t === 'enum_declaration' && c.type === 'enum_body')) visit(c, inner);
          return;
        }
        children(n, scope);
    }
  };

  children(root, module);
  return b.build(module);
}

/** The local names an import statement binds (default, namespace, and each specifier's alias or name). */
function importedNames(n: Node): Node[] {
  const out: Node[] = [];
  const clause = n.namedChildren.find((c) => c?.type === 'import_clause');
  for (const c of clause?.namedChildren ?? []) {
    if (!c) continue;
    if (c.type === 'identifier') out.push(c);
    else if (c.type === 'namespace_import') {
      const id = c.namedChildren.find((x) => x?.type === 'identifier');
      if (id) out.push(id);
    } else if (c.type === 'named_imports') {
      for (const s of c.namedChildren) {
        const id = s?.childForFieldName('alias') ?? s?.childForFieldName('name');
        if (id) out.push(id);
      }
    }
  }
  // `import x = require('y')` (TypeScript).
  const eq = n.namedChildren.find((c) => c?.type === 'import_require_clause');
  const id = eq?.namedChildren.find((c) => c?.type === 'identifier');
  if (id) out.push(id);
  return out;
}
