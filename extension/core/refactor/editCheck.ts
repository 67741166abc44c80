/**
 * The tree-sitter check every edit passes before it leaves the core: the edited text must not
 * have more parse errors (ERROR and MISSING nodes) than the original. A refused edit names the
 * line of the first new error.
 */
import type { Node, Parser } from 'web-tree-sitter';
import { countErrors, firstErrorFrom } from '../context/blocks';
import { LineIndex } from '../context/lineIndex';
import { RefactorError } from './errors';
import { applyTextEdits, type TextEdit } from './textEdits';

export interface ParseCheck {
  readonly errorsBefore: number;
  readonly errorsAfter: number;
  /** The edited text. */
  readonly text: string;
}

/** Parse errors of `text` parsed on its own. */
export function parseErrors(parser: Parser, text: string): { count: number; firstLine?: number } {
  const tree = parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  try {
    const count = countErrors(tree.rootNode);
    const first = count > 0 ? firstErrorFrom(tree.rootNode, 0) : undefined;
    return { count, firstLine: first ? lineOfError(first) : undefined };
  } finally {
    tree.delete();
  }
}

function lineOfError(node: Node): number {
  return node.startPosition.row + 1;
}

/**
 * Applies `edits` to `text` and compares parse errors; throws `parse-errors` when the edit adds
 * any. `what` names the edit in the message ("the doc comment", "the extracted function").
 */
export function checkEdit(parser: Parser, file: string, text: string, edits: readonly TextEdit[], what: string, errorsBefore?: number): ParseCheck {
  const before = errorsBefore ?? parseErrors(parser, text).count;
  const edited = applyTextEdits(text, edits);
  const after = parseErrors(parser, edited);
  if (after.count > before) {
    const where = after.firstLine !== undefined ? `${file}:${after.firstLine}` : file;
    throw new RefactorError('parse-errors', `${what} would add ${after.count - before} parse error${after.count - before === 1 ? '' : 's'} (first at ${where}); nothing was changed`);
  }
  return { errorsBefore: before, errorsAfter: after.count, text: edited };
}

/** The 1-based line of `offset` in `text`, for messages. */
export function lineOf(text: string, offset: number): number {
  return new LineIndex(text).positionAt(offset).line + 1;
}
