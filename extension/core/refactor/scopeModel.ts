/**
 * Lexical scopes of a file, from tree-sitter: which names each scope binds, and every identifier
 * occurrence resolved to its binding. Built for JavaScript/TypeScript (block scoping, hoisted
 * `var` and functions) and Python (function-wide locals, class scopes that methods do not see,
 * comprehensions, global/nonlocal). Free variables, return values, rename and "is this name
 * taken here" all read it.
 */
import type { Node } from 'web-tree-sitter';
import type { GrammarId } from '../context/languages';
import { analyzeJs } from './scopesJs';
import { analyzePython } from './scopesPython';

export type ScopeKind = 'module' | 'function' | 'block' | 'class' | 'comprehension';

export type BindingKind = 'var' | 'let' | 'const' | 'param' | 'function' | 'class' | 'import' | 'type' | 'catch' | 'local';

export interface Binding {
  readonly name: string;
  readonly scope: Scope;
  readonly kind: BindingKind;
  /** The identifier nodes that declare it (Python: every assignment target in its scope). */
  readonly declarations: Node[];
}

export interface Scope {
  readonly node: Node;
  readonly kind: ScopeKind;
  readonly parent: Scope | undefined;
  readonly bindings: Map<string, Binding>;
  /** Python: names declared `global` / `nonlocal` here resolve outside. */
  readonly nonLocal: Set<string>;
}

export interface Reference {
  readonly node: Node;
  readonly name: string;
  readonly scope: Scope;
  /** Assigned here (declaration with a value, assignment, update, loop variable). */
  readonly write: boolean;
  /** This occurrence declares the binding. */
  readonly declaration: boolean;
  binding?: Binding;
}

export interface ScopeModel {
  readonly root: Scope;
  readonly scopes: readonly Scope[];
  readonly references: readonly Reference[];
  /** The innermost scope whose node contains `offset`. */
  scopeAt(offset: number): Scope;
  /** The binding `name` has when used in `scope`. */
  resolve(name: string, scope: Scope): Binding | undefined;
}

/** Collects scopes and occurrences; language walkers call it. */
export class ScopeBuilder {
  readonly scopes: Scope[] = [];
  readonly references: Reference[] = [];

  constructor(private readonly classScopesHidden: boolean) {}

  scope(node: Node, kind: ScopeKind, parent: Scope | undefined): Scope {
    const s: Scope = { node, kind, parent, bindings: new Map(), nonLocal: new Set() };
    this.scopes.push(s);
    return s;
  }

  declare(scope: Scope, id: Node, kind: BindingKind, write: boolean, at: Scope = scope): void {
    const name = id.text;
    let b = scope.bindings.get(name);
    if (!b) {
      b = { name, scope, kind, declarations: [] };
      scope.bindings.set(name, b);
    }
    b.declarations.push(id);
    this.references.push({ node: id, name, scope: at, write, declaration: true, binding: b });
  }

  use(scope: Scope, id: Node, write = false): void {
    this.references.push({ node: id, name: id.text, scope, write, declaration: false });
  }

  build(root: Scope): ScopeModel {
    const resolve = (name: string, scope: Scope): Binding | undefined => {
      for (let s: Scope | undefined = scope; s; s = s.parent) {
        // Python: a class body's names are not visible from functions nested in it.
        if (this.classScopesHidden && s.kind === 'class' && s !== scope) continue;
        if (s.nonLocal.has(name)) continue;
        const b = s.bindings.get(name);
        if (b) return b;
      }
      return undefined;
    };
    for (const r of this.references) r.binding ??= resolve(r.name, r.scope);
    const scopes = this.scopes;
    return {
      root,
      scopes,
      references: this.references,
      resolve,
      scopeAt(offset: number): Scope {
        let best = root;
        for (const s of scopes) {
          if (s.node.startIndex <= offset && offset < s.node.endIndex && s.node.endIndex - s.node.startIndex <= best.node.endIndex - best.node.startIndex) {
            if (s.node.startIndex >= best.node.startIndex) best = s;
          }
        }
        return best;
      },
    };
  }
}

/** Scope analysis for the languages that have rules; undefined for the others. */
export function analyzeScopes(root: Node, grammar: GrammarId): ScopeModel | undefined {
  switch (grammar) {
    case 'typescript':
    case 'tsx':
    case 'javascript':
      return analyzeJs(root);
    case 'python':
      return analyzePython(root);
    default:
      return undefined;
  }
}

/** Whether the language has scope rules (extract function and the tree-sitter rename need them). */
export function hasScopeRules(grammar: GrammarId): boolean {
  return grammar === 'typescript' || grammar === 'tsx' || grammar === 'javascript' || grammar === 'python';
}

/** The nearest enclosing function (or module) scope of `scope`. */
export function functionScopeOf(scope: Scope): Scope {
  let s = scope;
  while (s.parent && s.kind !== 'function' && s.kind !== 'module') s = s.parent;
  return s;
}
