/**
 * Should a completion at this position be one line or several? Several when the cursor starts
 * a new statement: on a blank line, at an empty block, or right after a block opener — and
 * nothing but closing brackets follows it on the line. Inside a statement, one line.
 */
import { enclosingBlock, isEmptyBlock } from './blocks';
import type { GrammarSpec } from './languages';
import type { SyntaxDocument } from './parserService';

export type ShapeReason =
  | 'empty-block'
  | 'after-block-opener'
  | 'blank-line'
  | 'mid-line'
  | 'mid-statement'
  | 'in-comment-or-string';

export interface CompletionShape {
  readonly multiline: boolean;
  readonly reason: ShapeReason;
}

/** Text after the cursor that still allows a multi-line completion: closers, separators, space. */
const CLOSING_ONLY = /^[\s)\]}>;,'"`]*$/;

const OPENER_BY_STYLE: Record<'brace' | 'python' | 'ruby' | 'bash', RegExp> = {
  brace: /(?:\{|=>|->)\s*$/,
  python: /:\s*(?:#.*)?$/,
  ruby: /(?:\bdo(?:\s*\|[^|]*\|)?|\bthen|\{(?:\s*\|[^|]*\|)?|^\s*(?:def|class|module|if|unless|while|until|case|begin|else|elsif|when)\b.*)\s*$/,
  bash: /(?:\bthen|\bdo|\belse|\{)\s*$/,
};

function styleOf(spec: GrammarSpec | undefined): keyof typeof OPENER_BY_STYLE {
  if (!spec) return 'brace';
  if (spec.id === 'python') return 'python';
  if (spec.id === 'ruby') return 'ruby';
  if (spec.id === 'bash') return 'bash';
  return 'brace';
}

/**
 * Decides the completion shape at `offset` of `text`. With a syntax tree, empty blocks are
 * found structurally and comments/strings give single-line; without one, from the text alone.
 */
export function completionShape(text: string, offset: number, syntax?: SyntaxDocument, spec?: GrammarSpec): CompletionShape {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const nl = text.indexOf('\n', offset);
  const lineEnd = nl === -1 ? text.length : nl;
  const before = text.slice(lineStart, offset);
  const after = text.slice(offset, lineEnd);
  const grammar = syntax?.grammar.spec ?? spec;

  if (syntax && insideCommentOrString(syntax, offset)) return { multiline: false, reason: 'in-comment-or-string' };
  if (!CLOSING_ONLY.test(after)) return { multiline: false, reason: 'mid-line' };

  const opener = OPENER_BY_STYLE[styleOf(grammar)];
  if (before.trim() !== '') {
    if (opener.test(before)) return { multiline: true, reason: 'after-block-opener' };
    return { multiline: false, reason: 'mid-statement' };
  }
  if (syntax && !grammar?.indentBlocks) {
    // Structurally: the block around the cursor has no statements.
    const block = enclosingBlock(syntax.tree, offset);
    if (block && isEmptyBlock(block)) return { multiline: true, reason: 'empty-block' };
  } else if (emptyBlockByText(text, lineStart, lineEnd, opener)) {
    // Indentation languages, or no tree: an opener above and nothing deeper below.
    return { multiline: true, reason: 'empty-block' };
  }
  return { multiline: true, reason: 'blank-line' };
}

function insideCommentOrString(syntax: SyntaxDocument, offset: number): boolean {
  if (offset === 0) return false;
  for (let node = syntax.tree.rootNode.descendantForIndex(offset - 1, offset); node; node = node.parent) {
    if (node.startIndex >= offset) continue;
    const t = node.type;
    if (t.includes('comment')) return offset < node.endIndex || (offset === node.endIndex && isLineComment(node.text));
    if (t.includes('string') && offset < node.endIndex) return true;
  }
  return false;
}

function isLineComment(text: string): boolean {
  return text.startsWith('//') || text.startsWith('#');
}

/** The line above opens a block and the next non-blank line is not deeper than it. */
function emptyBlockByText(text: string, lineStart: number, lineEnd: number, opener: RegExp): boolean {
  const previous = previousNonBlankLine(text, lineStart);
  if (previous === undefined || !opener.test(previous)) return false;
  const next = nextNonBlankLine(text, lineEnd);
  return next === undefined || indentOf(next) <= indentOf(previous);
}

function previousNonBlankLine(text: string, lineStart: number): string | undefined {
  let end = lineStart - 1;
  while (end > 0) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end);
    if (line.trim() !== '') return line;
    end = start - 1;
  }
  return undefined;
}

function nextNonBlankLine(text: string, lineEnd: number): string | undefined {
  let start = lineEnd + 1;
  while (start > 0 && start <= text.length) {
    const nl = text.indexOf('\n', start);
    const line = text.slice(start, nl === -1 ? text.length : nl);
    if (line.trim() !== '') return line;
    if (nl === -1) return undefined;
    start = nl + 1;
  }
  return undefined;
}

export function indentOf(line: string): number {
  let n = 0;
  while (n < line.length && (line[n] === ' ' || line[n] === '\t')) n++;
  return n;
}
