/**
 * Syntax facts the completion helpers need: the block around a position, and how many parse
 * errors a tree has.
 */
import type { Node, Tree } from 'web-tree-sitter';

/** Tokens that close a block in the supported grammars. */
const CLOSERS = new Set(['}', 'end', 'done', 'fi', 'esac']);

/**
 * The smallest node around `offset` that is closed by a token (`}`, `end`, `done`…) after
 * `offset`, with the position strictly inside its opening and closing tokens.
 */
export function enclosingBlock(tree: Tree, offset: number): Node | undefined {
  let node: Node | null = tree.rootNode.descendantForIndex(offset, offset);
  for (; node; node = node.parent) {
    const count = node.childCount;
    if (count < 2) continue;
    const last = node.child(count - 1);
    const first = node.child(0);
    if (!last || !first || !CLOSERS.has(last.type)) continue;
    if (offset >= first.endIndex && offset <= last.startIndex) return node;
  }
  return undefined;
}

/** Whether a block has no statements (comments do not count). */
export function isEmptyBlock(block: Node): boolean {
  for (const child of block.namedChildren) {
    if (!child || child.type === 'comment' || child.type.endsWith('_comment')) continue;
    if (child.startIndex === child.endIndex) continue;
    const field = fieldOf(block, child);
    if (field === 'name' || field === 'parameters' || field === 'receiver' || field === 'object') continue;
    return false;
  }
  return true;
}

function fieldOf(parent: Node, child: Node): string | null {
  for (let i = 0; i < parent.childCount; i++) {
    const c = parent.child(i);
    if (c && c.id === child.id) return parent.fieldNameForChild(i);
  }
  return null;
}

/** ERROR and MISSING nodes in `node`'s subtree, descending only into subtrees with errors. */
export function countErrors(node: Node, limit = 1_000): number {
  if (!node.hasError) return 0;
  let n = node.isError || node.isMissing ? 1 : 0;
  for (const child of node.children) {
    if (!child) continue;
    if (child.isMissing) n++;
    else if (child.hasError) n += countErrors(child, limit - n);
    if (n >= limit) break;
  }
  return n;
}

/** The first ERROR or MISSING node starting at or after `from`, in document order. */
export function firstErrorFrom(node: Node, from: number): Node | undefined {
  if (!node.hasError && !node.isMissing) return undefined;
  if ((node.isError || node.isMissing) && node.startIndex >= from) return node;
  for (const child of node.children) {
    if (!child || child.endIndex < from) continue;
    const hit = firstErrorFrom(child, from);
    if (hit) return hit;
  }
  return node.isError && node.endIndex > from ? node : undefined;
}
