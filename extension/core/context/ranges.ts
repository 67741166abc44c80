import type { Node } from 'web-tree-sitter';
import type { LineIndex } from './lineIndex';
import type { SourceRange } from './types';

export function nodeRange(node: Node): SourceRange {
  return {
    startLine: node.startPosition.row,
    startCharacter: node.startPosition.column,
    endLine: node.endPosition.row,
    endCharacter: node.endPosition.column,
  };
}

export function offsetRange(lines: LineIndex, start: number, end: number): SourceRange {
  const s = lines.positionAt(start);
  const e = lines.positionAt(end);
  return { startLine: s.line, startCharacter: s.character, endLine: e.line, endCharacter: e.character };
}
