/**
 * Scope rules for Python: a name assigned anywhere in a function is local to the whole
 * function (unless declared global/nonlocal); class bodies are scopes their methods do not
 * see; comprehensions have their own scope for their loop variables; walrus targets bind in
 * the enclosing function.
 */
import type { Node } from 'web-tree-sitter';
import { ScopeBuilder, type Scope, type ScopeModel } from './scopeModel';

const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

export function analyzePython(root: Node): ScopeModel {
  const b = new ScopeBuilder(true);
  const module = b.scope(root, 'module', undefined);

  const children = (n: Node, scope: Scope) => {
    for (const c of n.namedChildren) if (c) visit(c, scope);
  };

  /** Assignment targets: names bind in `scope`; attributes and subscripts are uses. */
  const target = (t: Node | null, scope: Scope) => {
    if (!t) return;
    switch (t.type) {
      case 'identifier':
        if (scope.nonLocal.has(t.text)) b.use(scope, t, true);
        else b.declare(scope, t, 'local', true);
        return;
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'list_splat_pattern':
      case 'parenthesized_expression':
      case 'expression_list':
      case 'tuple':
      case 'list':
        for (const c of t.namedChildren) target(c, scope);
        return;
      case 'as_pattern_target':
        for (const c of t.namedChildren) target(c, scope);
        return;
      default:
        visit(t, scope);
    }
  };

  /** Where an assignment in `scope` binds: comprehensions bind walrus targets outside. */
  const bindingScope = (scope: Scope) => {
    let s = scope;
    while (s.kind === 'comprehension' && s.parent) s = s.parent;
    return s;
  };

  const params = (list: Node | null, own: Scope, outer: Scope) => {
    for (const p of list?.namedChildren ?? []) {
      if (!p) continue;
      switch (p.type) {
        case 'identifier':
          b.declare(own, p, 'param', true);
          break;
        case 'typed_parameter': {
          const inner = p.namedChildren.find((c) => c && c.type !== 'type');
          const id = inner?.type === 'identifier' ? inner : inner?.namedChild(0);
          if (id) b.declare(own, id, 'param', true);
          const type = p.childForFieldName('type');
          if (type) visit(type, outer);
          break;
        }
        case 'default_parameter':
        case 'typed_default_parameter': {
          const name = p.childForFieldName('name');
          if (name) b.declare(own, name, 'param', true);
          const type = p.childForFieldName('type');
          if (type) visit(type, outer);
          const value = p.childForFieldName('value');
          if (value) visit(value, outer);
          break;
        }
        case 'list_splat_pattern':
        case 'dictionary_splat_pattern': {
          const id = p.namedChild(0);
          if (id) b.declare(own, id, 'param', true);
          break;
        }
      }
    }
  };

  const visit = (n: Node, scope: Scope): void => {
    switch (n.type) {
      case 'identifier':
        b.use(scope, n);
        return;
      case 'function_definition': {
        const own = b.scope(n, 'function', scope);
        const name = n.childForFieldName('name');
        if (name) b.declare(bindingScope(scope), name, 'function', true, scope);
        params(n.childForFieldName('parameters'), own, scope);
        const ret = n.childForFieldName('return_type');
        if (ret) visit(ret, scope);
        // Locals first (a use before the assignment still refers to the local), then the body.
        hoistGlobals(n.childForFieldName('body'), own);
        const body = n.childForFieldName('body');
        if (body) children(body, own);
        return;
      }
      case 'lambda': {
        const own = b.scope(n, 'function', scope);
        params(n.childForFieldName('parameters'), own, scope);
        const body = n.childForFieldName('body');
        if (body) visit(body, own);
        return;
      }
      case 'class_definition': {
        const name = n.childForFieldName('name');
        if (name) b.declare(bindingScope(scope), name, 'class', true, scope);
        const superclasses = n.childForFieldName('superclasses');
        if (superclasses) visit(superclasses, scope);
        const own = b.scope(n, 'class', scope);
        const body = n.childForFieldName('body');
        if (body) children(body, own);
        return;
      }
      case 'assignment':
      case 'augmented_assignment': {
        const right = n.childForFieldName('right');
        if (right) visit(right, scope);
        const type = n.childForFieldName('type');
        if (type) visit(type, scope);
        const left = n.childForFieldName('left');
        if (n.type === 'augmented_assignment' && left?.type === 'identifier') {
          // `x += 1` reads x, then binds it.
          b.use(scope, left);
        }
        target(left, scope);
        return;
      }
      case 'named_expression': {
        const value = n.childForFieldName('value');
        if (value) visit(value, scope);
        target(n.childForFieldName('name'), bindingScope(scope));
        return;
      }
      case 'for_statement': {
        const right = n.childForFieldName('right');
        if (right) visit(right, scope);
        target(n.childForFieldName('left'), scope);
        for (const f of ['body', 'alternative'] as const) {
          const x = n.childForFieldName(f);
          if (x) visit(x, scope);
        }
        return;
      }
      case 'with_item':
      case 'except_clause':
      case 'case_clause':
        for (const c of n.namedChildren) {
          if (!c) continue;
          if (c.type === 'as_pattern') {
            const alias = c.childForFieldName('alias');
            for (const x of c.namedChildren) if (x && x.id !== alias?.id) visit(x, scope);
            target(alias, scope);
          } else visit(c, scope);
        }
        return;
      case 'import_statement':
      case 'import_from_statement':
        for (const id of importedNames(n)) b.declare(scope, id, 'import', true);
        return;
      case 'global_statement':
      case 'nonlocal_statement':
        return;
      case 'attribute': {
        const obj = n.childForFieldName('object');
        if (obj) visit(obj, scope);
        return;
      }
      case 'keyword_argument': {
        const value = n.childForFieldName('value');
        if (value) visit(value, scope);
        return;
      }
      default:
        if (COMPREHENSIONS.has(n.type)) {
          const own = b.scope(n, 'comprehension', scope);
          // Loop clauses first: they bind the names the body uses.
          for (const c of n.namedChildren) {
            if (c?.type !== 'for_in_clause') continue;
            const right = c.childForFieldName('right');
            if (right) visit(right, own);
            target(c.childForFieldName('left'), own);
          }
          for (const c of n.namedChildren) if (c && c.type !== 'for_in_clause') visit(c, own);
          return;
        }
        children(n, scope);
    }
  };

  /** `global x` / `nonlocal x` anywhere in a function body marks x as not local to it. */
  const hoistGlobals = (body: Node | null, own: Scope) => {
    if (!body) return;
    const stack = [body];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === 'global_statement' || n.type === 'nonlocal_statement') {
        for (const id of n.namedChildren) if (id?.type === 'identifier') own.nonLocal.add(id.text);
        continue;
      }
      if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') continue;
      for (const c of n.namedChildren) if (c) stack.push(c);
    }
  };

  hoistGlobals(root, module);
  module.nonLocal.clear();
  children(root, module);
  return b.build(module);
}

/** Names an import binds: the alias, else the first part of a dotted module (import a.b binds a), or the imported name. */
function importedNames(n: Node): Node[] {
  const out: Node[] = [];
  const names = n.childrenForFieldName('name').filter((c): c is Node => c !== null);
  for (const c of names) {
    if (c.type === 'aliased_import') {
      const alias = c.childForFieldName('alias');
      if (alias) out.push(alias);
    } else if (c.type === 'dotted_name') {
      const parts = c.namedChildren.filter((x): x is Node => x !== null);
      const id = n.type === 'import_statement' ? parts[0] : parts[parts.length - 1];
      if (id) out.push(id);
    }
  }
  return out;
}
