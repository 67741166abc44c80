/**
 * Syntax-aware truncation of a completion before it is shown: cut where the completion closes
 * the block the cursor is in (the document already closes it), where it dedents out of the
 * block (indentation languages), or before the lines that would add parse errors the
 * document did not have. An inline suggestion that only leaves brackets or a block open
 * (`if (ready) {`, `items.forEach((x) => {`) is not broken: the user goes on typing the rest, so
 * it is judged with them closed.
 */
import type { Node, Tree } from 'web-tree-sitter';
import { CLOSER_OF } from '../common/brackets';
import { blankStrings } from '../common/stringLiterals';
import { countErrors, enclosingBlock } from './blocks';
import { indentOf } from './completionShape';
import type { SyntaxDocument } from './parserService';
import { toEdit } from './parserService';

export type TruncationReason = 'none' | 'single-line' | 'block-end' | 'dedent' | 'parse-errors';

export interface TruncationResult {
  readonly text: string;
  readonly truncated: boolean;
  readonly reason: TruncationReason;
}

export interface TruncationOptions {
  /** False cuts at the first line break (single-line mode). Default true. */
  readonly multiline?: boolean;
  /** Reparses tried when looking for an error-free cut. Default 6. */
  readonly maxAttempts?: number;
  /**
   * True for text the user goes on typing from (an inline suggestion): it may leave brackets and
   * blocks open, and is judged with them closed. False (default) for text inserted as final,
   * such as a generated function body.
   */
  readonly mayLeaveOpen?: boolean;
}

const errorCounts = new WeakMap<SyntaxDocument, number>();

function documentErrors(doc: SyntaxDocument): number {
  let n = errorCounts.get(doc);
  if (n === undefined) {
    n = countErrors(doc.tree.rootNode);
    errorCounts.set(doc, n);
  }
  return n;
}

/**
 * Truncates `completion`, to be inserted at `offset` of the parsed document `doc`. Without a
 * tree (`doc` undefined) only the single-line cut applies.
 */
export function truncateCompletion(
  doc: SyntaxDocument | undefined,
  offset: number,
  completion: string,
  options: TruncationOptions = {},
): TruncationResult {
  let text = completion;
  let reason: TruncationReason = 'none';
  if (options.multiline === false) {
    const nl = text.indexOf('\n');
    if (nl !== -1) {
      text = text.slice(0, nl).trimEnd();
      reason = 'single-line';
    }
  }
  if (!doc || text.length === 0) return result(completion, text, reason);

  if (doc.grammar.spec.indentBlocks) {
    const cut = dedentCut(doc.text, offset, text);
    if (cut !== undefined) {
      text = cut;
      reason = 'dedent';
    }
  } else {
    const cut = withInserted(doc, offset, text, (tree) => blockEndCut(doc, tree, offset, text));
    if (cut !== undefined) {
      text = cut;
      reason = 'block-end';
    }
  }
  if (text.length === 0) return result(completion, text, reason);

  const baseline = documentErrors(doc);
  const errorsWith = (insert: string) => withInserted(doc, offset, insert, (tree) => countErrors(tree.rootNode));
  const parses = (candidate: string) => {
    if (errorsWith(candidate) <= baseline) return true;
    if (!options.mayLeaveOpen) return false;
    const closed = candidate + closersOf(candidate, doc.grammar.spec.lineComment);
    return closed !== candidate && errorsWith(closed) <= baseline;
  };
  if (parses(text)) return result(completion, text, reason);
  // Drop trailing lines until the errors are gone, a bounded number of reparses.
  const attempts = options.maxAttempts ?? 6;
  let candidate = text;
  for (let i = 0; i < attempts; i++) {
    const nl = candidate.trimEnd().lastIndexOf('\n');
    if (nl === -1) break;
    candidate = candidate.slice(0, nl).trimEnd();
    if (parses(candidate)) return result(completion, candidate, 'parse-errors');
  }
  return result(completion, '', 'parse-errors');
}

/**
 * What closes the brackets `insert` opens and leaves open, innermost first (a brace on a line of
 * its own). Brackets in strings and line comments do not count; closers of brackets opened
 * before the cursor are the document's business. (A Python block header needs nothing: an
 * empty block is no parse error there.)
 */
function closersOf(insert: string, lineComment: string): string {
  const open: string[] = [];
  for (const line of insert.split('\n')) {
    let code = blankStrings(line);
    const comment = code.indexOf(lineComment);
    if (comment >= 0) code = code.slice(0, comment);
    for (const ch of code) {
      if (CLOSER_OF[ch]) open.push(CLOSER_OF[ch]);
      else if (ch === open[open.length - 1]) open.pop();
    }
  }
  let out = '';
  for (const closer of open.reverse()) out += closer === '}' ? '\n}' : closer;
  return out;
}

function result(original: string, text: string, reason: TruncationReason): TruncationResult {
  return { text, truncated: text !== original, reason: text !== original ? reason : 'none' };
}

/** Runs `fn` on the tree of the document with `insert` at `offset`, reparsed incrementally. */
function withInserted<T>(doc: SyntaxDocument, offset: number, insert: string, fn: (tree: Tree) => T): T {
  const edited = doc.tree.copy();
  edited.edit(toEdit(doc.text, { startOffset: offset, oldEndOffset: offset, newText: insert }));
  const newText = doc.text.slice(0, offset) + insert + doc.text.slice(offset);
  const tree = doc.grammar.parser.parse(newText, edited);
  edited.delete();
  if (!tree) throw new Error('tree-sitter returned no tree');
  try {
    return fn(tree);
  } finally {
    tree.delete();
  }
}

/**
 * When the block around the cursor ends inside the inserted text: the cut before its closing
 * token when the document already closes that block, at the end of the closer's line when the
 * document left the block open (the completion closes it, and the lines after belong to other
 * code).
 */
function blockEndCut(doc: SyntaxDocument, tree: Tree, offset: number, insert: string): string | undefined {
  const end = offset + insert.length;
  const before = enclosingBlock(doc.tree, offset);
  const documentCloser = before?.child(before.childCount - 1);
  if (before && documentCloser && !documentCloser.isMissing && documentCloser.startIndex >= offset) {
    const after = sameNode(tree, before);
    const closer = after?.child(after.childCount - 1);
    if (!after || !closer || after.endIndex > end) return undefined;
    let cut = closer.startIndex - offset;
    while (cut > 0 && (insert[cut - 1] === ' ' || insert[cut - 1] === '\t')) cut--;
    return insert.slice(0, cut).trimEnd();
  }
  const after = enclosingBlock(tree, offset);
  const closer = after?.child(after.childCount - 1);
  if (!closer || closer.isMissing || closer.startIndex < offset || closer.endIndex > end) return undefined;
  // The rest of the closer's line stays: `} else {`, `} from './x';`, `});` belong to it.
  const lineEnd = insert.indexOf('\n', closer.endIndex - offset);
  return lineEnd < 0 ? undefined : insert.slice(0, lineEnd).trimEnd();
}

/** The node of `tree` that starts where `node` (from the tree before the edit) starts, with its type. */
function sameNode(tree: Tree, node: Node): Node | undefined {
  let n: Node | null = tree.rootNode.descendantForIndex(node.startIndex, node.startIndex);
  let found: Node | undefined;
  for (; n && n.startIndex === node.startIndex; n = n.parent) if (n.type === node.type) found = n;
  return found;
}

/**
 * Indentation blocks: the completion's lines after the first must stay deeper than the block
 * the cursor is in; the first line that dedents out of it (and everything after) goes.
 */
function dedentCut(text: string, offset: number, insert: string): string | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  let floor: number;
  if (before.trim() === '') floor = before.length;
  else if (/:\s*$/.test(before)) floor = indentOf(before) + 1;
  else floor = indentOf(before);
  if (floor === 0) return undefined;
  const lines = insert.split('\n');
  let kept = 1;
  for (; kept < lines.length; kept++) {
    const line = lines[kept];
    if (line.trim() !== '' && indentOf(line) < floor) break;
  }
  if (kept === lines.length) return undefined;
  return lines.slice(0, kept).join('\n').trimEnd();
}
