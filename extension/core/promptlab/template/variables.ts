/**
 * Finds the variables a Jinja template reads from its context by walking the parsed AST:
 * loop variables, `set` targets, macro names and parameters, filter and test names, builtins
 * and non-computed attribute names are not inputs.
 */
const BUILTINS = new Set(['true', 'false', 'none', 'True', 'False', 'None', 'range', 'raise_exception', 'strftime_now', 'namespace', 'loop', 'caller']);

interface AstNode {
  readonly type: string;
  readonly [key: string]: unknown;
}

function isNode(v: unknown): v is AstNode {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

function names(target: unknown): string[] {
  if (!isNode(target)) return [];
  if (target.type === 'Identifier') return [String(target.value)];
  if (target.type === 'TupleLiteral' || target.type === 'ArrayLiteral') return (target.value as unknown[]).flatMap(names);
  if (target.type === 'KeywordArgumentExpression') return names(target.key);
  return [];
}

class Collector {
  readonly found: string[] = [];

  walk(node: unknown, scope: Set<string>): void {
    if (Array.isArray(node)) {
      for (const n of node) this.walk(n, scope);
      return;
    }
    if (node instanceof Map) {
      for (const [k, v] of node) {
        this.walk(k, scope);
        this.walk(v, scope);
      }
      return;
    }
    if (!isNode(node)) return;
    switch (node.type) {
      case 'Identifier': {
        const name = String(node.value);
        if (!scope.has(name) && !BUILTINS.has(name) && !this.found.includes(name)) this.found.push(name);
        return;
      }
      case 'Comment':
        return;
      case 'MemberExpression':
        this.walk(node.object, scope);
        if (node.computed) this.walk(node.property, scope);
        return;
      case 'FilterExpression':
        this.walk(node.operand, scope);
        if (isNode(node.filter) && node.filter.type === 'CallExpression') this.walk(node.filter.args, scope);
        return;
      case 'FilterStatement':
        if (isNode(node.filter) && node.filter.type === 'CallExpression') this.walk(node.filter.args, scope);
        this.walk(node.body, scope);
        return;
      case 'TestExpression':
        this.walk(node.operand, scope);
        return;
      case 'KeywordArgumentExpression':
        this.walk(node.value, scope);
        return;
      case 'For': {
        const inner = new Set([...scope, ...names(node.loopvar), 'loop']);
        const iterable = node.iterable;
        if (isNode(iterable) && iterable.type === 'SelectExpression') {
          this.walk(iterable.lhs, scope);
          this.walk(iterable.test, inner);
        } else {
          this.walk(iterable, scope);
        }
        this.walk(node.body, inner);
        this.walk(node.defaultBlock, scope);
        return;
      }
      case 'Set':
        this.walk(node.value, scope);
        for (const n of names(node.assignee)) scope.add(n);
        this.walk(node.body, scope);
        return;
      case 'Macro': {
        for (const n of names(node.name)) scope.add(n);
        const inner = new Set([...scope, ...(node.args as unknown[]).flatMap(names), 'caller', 'varargs', 'kwargs']);
        for (const a of node.args as unknown[]) if (isNode(a) && a.type === 'KeywordArgumentExpression') this.walk(a.value, scope);
        this.walk(node.body, inner);
        return;
      }
      case 'CallStatement': {
        this.walk(node.call, scope);
        const inner = new Set([...scope, ...((node.callerArgs as unknown[] | null) ?? []).flatMap(names)]);
        this.walk(node.body, inner);
        return;
      }
      default:
        for (const [key, value] of Object.entries(node)) if (key !== 'type') this.walk(value, scope);
    }
  }
}

/** Variables read from the context, in order of first use. */
export function templateVariables(program: unknown): string[] {
  const c = new Collector();
  c.walk(program, new Set());
  return c.found;
}
