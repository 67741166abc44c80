/**
 * Everything Extract Function decides before any text is written: the statements, their free
 * variables (parameters, in first-use order), the variables they assign that are read after
 * them (return values), their control flow, and where the new function goes (after the
 * enclosing top-level function, or as a method after the enclosing method when the statements
 * use `this`/`self`; before the statements when they are at module level).
 */
import type { Node } from 'web-tree-sitter';
import type { GrammarId } from '../context/languages';
import { RefactorError } from './errors';
import { flowFacts, type FlowFacts } from './extractFlow';
import { familyOf, selectStatements, type StatementSelection } from './extractSelection';
import { analyzeScopes, type Binding, type ScopeModel } from './scopeModel';

export interface ExtractVariable {
  readonly name: string;
  readonly binding: Binding;
  /** Offset of its first use in the selection (parameters) or declaration (returns). */
  readonly at: number;
  /** The type written on its declaration, when there is one (TypeScript, Python annotations). */
  readonly declaredType?: string;
}

export interface ExtractReturn extends ExtractVariable {
  /** Declared inside the selection: the call site must declare it. */
  readonly declaredInside: boolean;
  /** Assigned again after the selection (the call site declares it with `let`). */
  readonly reassignedAfter: boolean;
}

export interface ExtractAnalysis extends FlowFacts {
  readonly family: 'js' | 'python';
  readonly selection: StatementSelection;
  readonly params: readonly ExtractVariable[];
  readonly returns: readonly ExtractReturn[];
  /** Variables the new function declares itself (assigned before they are read, not yet assigned outside). */
  readonly locals: readonly ExtractVariable[];
  /** Extracted as a method of the enclosing class. */
  readonly asMethod: boolean;
  /** Python: the name of the enclosing method's self parameter. */
  readonly selfName?: string;
  /** Where the new function's text goes and the indentation of its first line. */
  readonly insertAt: number;
  readonly insertIndent: string;
  /** The new function goes before the statements (module level) rather than after a definition. */
  readonly insertBefore: boolean;
  /** The enclosing function is async / a static method (JavaScript). */
  readonly enclosingStatic: boolean;
  /** Type parameters of the enclosing functions (TypeScript), for parameter types that use them. */
  readonly typeParameters: readonly string[];
  /**
   * TypeScript: the new function's return type when it must be written: the enclosing
   * function's for a tail `return` (its contextual typing matters), `never` when the statements
   * end by throwing.
   */
  readonly returnType?: string;
  readonly scopes: ScopeModel;
}

const FUNCTION_NODES = new Set(['function_declaration', 'generator_function_declaration', 'function_expression', 'generator_function', 'arrow_function', 'method_definition', 'function_definition', 'lambda']);
const METHOD_OWNERS = new Set(['class_body']);

export function analyzeExtract(root: Node, text: string, grammar: GrammarId, start: number, end: number): ExtractAnalysis {
  const family = familyOf(grammar);
  const selection = selectStatements(root, text, grammar, start, end);
  const { start: s, end: e, container } = selection;
  const line = (o: number) => text.slice(0, o).split('\n').length;
  const scopes = analyzeScopes(root, grammar);
  if (!family || !scopes) throw new RefactorError('unsupported-language', `Extract Function supports TypeScript, JavaScript and Python, not ${grammar}`);

  const enclosing = ancestors(container).filter((n) => FUNCTION_NODES.has(n.type));
  const innermost = enclosing[0];
  const body = innermost?.childForFieldName('body') ?? undefined;
  const flow = flowFacts(selection, text, body);

  // The enclosing method (of a class) and the top-level statement holding the selection.
  const method = enclosing.find((f) => isMethod(f, family));
  let selfName: string | undefined;
  let selfBinding: Binding | undefined;
  if (family === 'python' && method && !isStaticPython(method)) {
    const first = method.childForFieldName('parameters')?.namedChild(0);
    const id = first?.type === 'identifier' ? first : first?.childForFieldName('name') ?? undefined;
    selfName = id?.text;
    if (id) selfBinding = scopes.references.find((r) => r.node.id === id.id)?.binding;
  }
  const inSelection = (n: Node) => n.startIndex >= s && n.endIndex <= e;
  const refsInside = scopes.references.filter((r) => inSelection(r.node));
  const usesSelf = !!selfBinding && refsInside.some((r) => r.binding === selfBinding);
  const usesThis = flow.usesThis || usesSelf;
  if (usesThis && !method) {
    throw new RefactorError('cannot-extract', `the selection uses ${family === 'js' ? "'this'" : 'self'} (line ${line(s)}) outside a class method: it cannot move into a function`);
  }
  // JavaScript/TypeScript: code that names its own class or a #private member (a private
  // constructor, private statics) only works inside the class: it becomes a static method.
  const classBound = family === 'js' && !!method && !usesThis && mentionsOwnClass(selection, method);
  const asMethod = (usesThis || classBound) && !!method;
  // TypeScript checks that a constructor assigns its properties itself.
  if ((grammar === 'typescript' || grammar === 'tsx') && method?.childForFieldName('name')?.text === 'constructor') {
    const assignsThis = selection.statements.some((st) => st.descendantsOfType(['assignment_expression']).some((a) => a?.childForFieldName('left')?.childForFieldName('object')?.type === 'this'));
    if (assignsThis) throw new RefactorError('cannot-extract', `the selection assigns this.… in the constructor (line ${line(s)}); TypeScript requires those assignments in the constructor itself`);
  }

  // Locals of the enclosing functions (not module or class level) are what the new function cannot see.
  const top = topLevel(container);
  const local = (b: Binding) => b.scope.kind !== 'module' && b.scope.kind !== 'class' && !!top && b.scope.node.startIndex >= top.startIndex && b.scope.node.endIndex <= top.endIndex;
  const declaredIn = (b: Binding) => b.declarations.length > 0 && b.declarations.every((d) => inSelection(d));

  const assigned = new Set<Binding>();
  for (const r of refsInside) if (r.write && r.binding) assigned.add(r.binding);
  const moduleLevel = isModule(container);
  // Python: a module variable the statements assign becomes local to the new function, so one
  // it reads before assigning must come in as a parameter too.
  const passed = (b: Binding) => local(b) || (family === 'python' && moduleLevel && assigned.has(b) && b.scope.kind === 'module');

  // JavaScript: a variable declared before but not assigned yet, which the statements assign
  // before reading, is not passed in (it has no value; TypeScript rejects reading it) but
  // declared inside the new function.
  const unassignedBefore = (b: Binding) => !scopes.references.some((r) => r.binding === b && r.write && r.node.startIndex < s && !otherBranch(r.node, container));
  const locals: ExtractVariable[] = [];
  const params: ExtractVariable[] = [];
  const seen = new Set<Binding>();
  for (const r of refsInside) {
    const b = r.binding;
    if (!b || seen.has(b) || !passed(b) || b === selfBinding) continue;
    if (family === 'js' ? declaredIn(b) : !readBeforeWrite(b, refsInside)) continue;
    if (r.node.type === 'type_identifier') continue;
    seen.add(b);
    if (family === 'js' && unassignedBefore(b) && !readBeforeWrite(b, refsInside)) {
      locals.push({ name: b.name, binding: b, at: r.node.startIndex, declaredType: declaredTypeOf(b, family) });
      continue;
    }
    const at = Math.min(...refsInside.filter((x) => x.binding === b).map((x) => x.node.startIndex));
    params.push({ name: b.name, binding: b, at, declaredType: declaredTypeOf(b, family) });
  }
  params.sort((x, y) => x.at - y.at);

  // Values assigned in the selection and read after it (or, in a loop, read anywhere else in the loop).
  const loop = ancestors(container).find((n) => LOOP_TYPES.has(n.type) && (!top || n.startIndex >= top.startIndex));
  const inLoop = (r: { node: Node }) => !!loop && r.node.startIndex >= loop.startIndex && r.node.endIndex <= loop.endIndex;
  // In a loop, a value the statements read before they assign it is carried to the next iteration.
  const readLater = (r: { node: Node; write: boolean; binding?: Binding }) =>
    r.node.startIndex >= e || (inLoop(r) && (!inSelection(r.node) || (!r.write && !!r.binding && readBeforeWrite(r.binding, refsInside))));
  const returns: ExtractReturn[] = [];
  // Declared in the selection (even without a value, `let x;`) and used after: it comes back too.
  const declaredHere = new Set(refsInside.filter((r) => r.declaration && r.binding && family === 'js').map((r) => r.binding!));
  for (const b of new Set([...assigned, ...declaredHere])) {
    if (!local(b) && !moduleLevel) continue;
    const later = scopes.references.filter((r) => r.binding === b && readLater(r) && !(inSelection(r.node) && declaredIn(b)));
    if (later.length === 0) continue;
    const inside = family === 'js' ? declaredIn(b) : false;
    if (inside && (b.kind === 'function' || b.kind === 'class')) {
      throw new RefactorError('cannot-extract', `the selection declares ${b.kind} '${b.name}', which is used after it (line ${line(later[0].node.startIndex)})`);
    }
    const firstWrite = refsInside.find((r) => r.binding === b && (r.write || r.declaration))!;
    returns.push({
      name: b.name,
      binding: b,
      at: firstWrite.node.startIndex,
      declaredType: declaredTypeOf(b, family),
      declaredInside: inside,
      reassignedAfter: later.some((r) => r.write && r.node.startIndex >= e),
    });
  }
  returns.sort((a, b) => a.at - b.at);
  if (flow.tailReturn && returns.length > 0) returns.length = 0;

  // Insertion point.
  let insertAt: number;
  let insertIndent: string;
  let insertBefore = false;
  const lineEnd = (o: number) => {
    const nl = text.indexOf('\n', o);
    return nl === -1 ? text.length : nl;
  };
  if (asMethod && method) {
    const m = family === 'python' && method.parent?.type === 'decorated_definition' ? method.parent : method;
    insertAt = lineEnd(m.endIndex);
    insertIndent = indentOfLine(text, m.startIndex);
  } else if (top && top.id !== container.id && !moduleLevel) {
    insertAt = lineEnd(top.endIndex);
    insertIndent = '';
  } else {
    insertBefore = true;
    const first = selection.statements[0];
    insertAt = text.lastIndexOf('\n', first.startIndex - 1) + 1;
    insertIndent = indentOfLine(text, first.startIndex);
  }
  const typeParameters = enclosing.flatMap((f) => typeParamNames(f));
  const lastStatement = selection.statements.filter((x) => !x.type.includes('comment')).pop();
  let returnType: string | undefined;
  let isAsync = flow.isAsync;
  const generator = !!innermost && (innermost.type.includes('generator') || innermost.children.some((c) => c?.type === '*'));
  if (family === 'js' && flow.tailReturn && innermost && !generator) {
    returnType = innermost.childForFieldName('return_type')?.text.replace(/^:\s*/, '');
    // An async function's declared Promise<T> fits the new function only if it is async too.
    if (returnType && innermost.children.some((c) => c?.type === 'async')) isAsync = true;
  } else if (family === 'js' && lastStatement?.type === 'throw_statement' && returns.length === 0) returnType = 'never';
  const enclosingStatic = !!method && family === 'js' && (method.children.some((c) => c?.type === 'static') || classBound);
  return { family, selection, params, locals, returns, asMethod, selfName, insertAt, insertIndent, insertBefore, enclosingStatic, typeParameters, returnType, scopes, ...flow, isAsync, usesThis };
}

const LOOP_TYPES = new Set(['for_statement', 'for_in_statement', 'while_statement', 'do_statement']);

/** Whether `n` sits in another branch of an if / switch / conditional than `container` (it never runs before it). */
function otherBranch(n: Node, container: Node): boolean {
  const mine = new Set(ancestors(container).map((a) => a.id));
  let child: Node = n;
  for (let p = n.parent; p; child = p, p = p.parent) {
    if (!mine.has(p.id)) continue;
    // p is the lowest common ancestor: different children of a branching node are exclusive.
    if (!['if_statement', 'else_clause', 'switch_body', 'ternary_expression'].includes(p.type)) return false;
    const mineChild = ancestors(container).find((a) => a.parent?.id === p.id);
    return !!mineChild && mineChild.id !== child.id;
  }
  return false;
}

/** The selection names the enclosing class itself or a #private member. */
function mentionsOwnClass(sel: StatementSelection, method: Node): boolean {
  let cls: Node | null = method.parent;
  while (cls && !/^(abstract_)?class(_declaration)?$/.test(cls.type)) cls = cls.parent;
  const name = cls?.childForFieldName('name')?.text;
  return sel.statements.some((st) => st.descendantsOfType(['identifier', 'type_identifier', 'private_property_identifier']).some((id) => !!id && (id.type === 'private_property_identifier' || id.text === name)));
}

function ancestors(n: Node): Node[] {
  const out: Node[] = [];
  for (let p: Node | null = n; p; p = p.parent) out.push(p);
  return out;
}

function isModule(n: Node): boolean {
  return n.type === 'program' || n.type === 'module';
}

/** The statement of the module (or class member) that holds `n`. */
function topLevel(n: Node): Node | undefined {
  let cur: Node | null = n;
  while (cur && cur.parent && !isModule(cur.parent)) cur = cur.parent;
  return cur && cur.parent ? cur : undefined;
}

function isMethod(f: Node, family: 'js' | 'python'): boolean {
  if (family === 'js') return f.type === 'method_definition' && METHOD_OWNERS.has(f.parent?.type ?? '');
  if (f.type !== 'function_definition') return false;
  const holder = f.parent?.type === 'decorated_definition' ? f.parent.parent : f.parent;
  return holder?.type === 'block' && holder.parent?.type === 'class_definition';
}

function isStaticPython(f: Node): boolean {
  const dec = f.parent?.type === 'decorated_definition' ? f.parent : undefined;
  return !!dec?.namedChildren.some((d) => d?.type === 'decorator' && /^@staticmethod\b/.test(d.text));
}

/** Python: whether the first occurrence of `b` in the selection reads it (then it must come in as a parameter). */
function readBeforeWrite(b: Binding, refs: readonly { binding?: Binding; write: boolean; node: Node }[]): boolean {
  const first = refs.find((r) => r.binding === b);
  return !!first && !first.write;
}

function declaredTypeOf(b: Binding, family: 'js' | 'python'): string | undefined {
  const d = b.declarations[0];
  const p = d?.parent;
  if (!p) return undefined;
  if (family === 'js') {
    const holder = p.type === 'required_parameter' || p.type === 'optional_parameter' || p.type === 'variable_declarator' ? p : undefined;
    if (!holder || holder.childForFieldName(holder.type === 'variable_declarator' ? 'name' : 'pattern')?.id !== d.id) return undefined;
    const t = holder.childForFieldName('type')?.text.replace(/^:\s*/, '');
    return t && holder.type === 'optional_parameter' ? `${t} | undefined` : t;
  }
  if (p.type === 'typed_parameter' || p.type === 'typed_default_parameter') return p.childForFieldName('type')?.text;
  if (p.type === 'assignment' && p.childForFieldName('left')?.id === d.id) return p.childForFieldName('type')?.text;
  return undefined;
}

function typeParamNames(f: Node): string[] {
  const tp = f.childForFieldName('type_parameters');
  return (tp?.namedChildren ?? []).flatMap((c) => (c?.childForFieldName('name') ? [c.text] : []));
}

function indentOfLine(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}
