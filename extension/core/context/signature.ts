/**
 * The header of a definition or scope as one would write it: from the start of its first line
 * up to where its body begins (`class Layout`, `def total(self) -> float:`), bounded in length.
 */
import type { Node } from 'web-tree-sitter';

const MAX_SIGNATURE_CHARS = 300;
const MAX_SIGNATURE_LINES = 6;

/** The body child of a definition: its own `body` field, or that of its value (`const f = () => {…}`). */
export function bodyOf(node: Node): Node | null {
  const own = node.childForFieldName('body');
  if (own) return own;
  for (const child of node.namedChildren) {
    if (!child) continue;
    const nested = child.childForFieldName('body');
    if (nested) return nested;
    if (child.type === 'variable_declarator') {
      const value = child.childForFieldName('value');
      const body = value?.childForFieldName('body');
      if (body) return body;
    }
  }
  return null;
}

/**
 * Signature text of `node` within `text`, keeping the first line's indentation when `indent`
 * is set. Multi-line headers keep their line breaks, up to a bound.
 */
export function signatureOf(node: Node, text: string, indent = false): string {
  const lineStart = text.lastIndexOf('\n', node.startIndex - 1) + 1;
  const from = indent ? lineStart : skipSpaces(text, lineStart);
  const body = bodyOf(node);
  let end: number;
  if (body && body.startIndex > node.startIndex) end = body.startIndex;
  else {
    const nl = text.indexOf('\n', node.startIndex);
    end = nl === -1 || nl > node.endIndex ? node.endIndex : nl;
  }
  let header = text.slice(from, Math.min(end, from + MAX_SIGNATURE_CHARS));
  const lines = header.split('\n');
  if (lines.length > MAX_SIGNATURE_LINES) header = lines.slice(0, MAX_SIGNATURE_LINES).join('\n');
  return header.replace(/\s*\{?\s*$/, '');
}

function skipSpaces(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return i;
}

/**
 * The whole text of a small definition (a struct, interface, type alias): useful in a prompt
 * because the model sees the fields. Undefined when it is larger than the bounds.
 */
export function smallDefinitionText(node: Node, maxLines = 15, maxChars = 700): string | undefined {
  const lines = node.endPosition.row - node.startPosition.row + 1;
  if (lines > maxLines || node.endIndex - node.startIndex > maxChars) return undefined;
  return node.text;
}
