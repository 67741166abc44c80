/**
 * @huggingface/jinja's AST carries no positions. The block statements (for, if/elif, set,
 * macro, call, filter) appear in the AST in the same order as their tags in the source, so
 * pairing the two lists gives each statement node its line; limit errors name the line of the
 * innermost statement that was running.
 */
import type { Template } from '@huggingface/jinja';
import { lineAt } from '../errors';

type Program = Template['parsed'];

const TAGS: Readonly<Record<string, string>> = { For: 'for', If: 'if', Set: 'set', Macro: 'macro', CallStatement: 'call', FilterStatement: 'filter' };

interface Node {
  readonly type: string;
  readonly [key: string]: unknown;
}

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';

/** Block statement nodes in source order, with the tag each one comes from. */
function blockStatements(program: Program): Array<{ node: object; tag: string }> {
  const out: Array<{ node: object; tag: string }> = [];
  // An If reached as the only statement of another If's alternate came from `{% elif %}`.
  const stack: Array<{ node: unknown; elif: boolean }> = [{ node: program, elif: false }];
  while (stack.length > 0) {
    const { node, elif } = stack.pop()!;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push({ node: node[i], elif: false });
      continue;
    }
    if (!isNode(node)) continue;
    const tag = node.type === 'If' && elif ? 'elif' : TAGS[node.type];
    if (tag) out.push({ node, tag });
    const children: Array<{ node: unknown; elif: boolean }> = [];
    if (node.type === 'Program') children.push({ node: node.body, elif: false });
    else if (node.type === 'For') children.push({ node: node.body, elif: false }, { node: node.defaultBlock, elif: false });
    else if (node.type === 'If') {
      const alt = node.alternate as unknown[];
      children.push({ node: node.body, elif: false });
      if (alt.length === 1 && isNode(alt[0]) && alt[0].type === 'If') children.push({ node: alt[0], elif: true });
      else children.push({ node: alt, elif: false });
    } else if (Array.isArray(node.body)) children.push({ node: node.body, elif: false });
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return out;
}

/** Template line (1-based) of each block statement node; empty when the two lists do not pair up. */
export function statementLines(program: Program, source: string): Map<object, number> {
  const tags: Array<{ tag: string; line: number }> = [];
  const re = /\{%-?\s*(for|if|elif|set|macro|call|filter)\b/g;
  for (let m = re.exec(source); m; m = re.exec(source)) tags.push({ tag: m[1], line: lineAt(source, m.index) });
  const nodes = blockStatements(program);
  const lines = new Map<object, number>();
  if (nodes.length !== tags.length || nodes.some((n, i) => n.tag !== tags[i].tag)) return lines;
  nodes.forEach((n, i) => lines.set(n.node, tags[i].line));
  return lines;
}
