/**
 * When a text is too big or too long-lined to parse on the editor's time budget. Minified
 * files (one huge line) and files over a megabyte get plain text context instead.
 */
export interface SyntaxLimits {
  /** Longest text handed to tree-sitter, in UTF-16 code units. */
  readonly maxParseChars: number;
  /** Longest single line; longer means minified or generated, not worth parsing. */
  readonly maxLineChars: number;
}

export const DEFAULT_SYNTAX_LIMITS: SyntaxLimits = { maxParseChars: 1_000_000, maxLineChars: 5_000 };

export function syntaxEligible(text: string, limits: SyntaxLimits = DEFAULT_SYNTAX_LIMITS): boolean {
  if (text.length > limits.maxParseChars) return false;
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    if (end - start > limits.maxLineChars) return false;
    if (nl === -1) return true;
    start = nl + 1;
  }
}

/**
 * For a text known to be eligible before a change: whether it still is, checking only the
 * length and the lines the change touched (`start`..`end` in the new text).
 */
export function changeKeepsEligible(text: string, start: number, end: number, limits: SyntaxLimits = DEFAULT_SYNTAX_LIMITS): boolean {
  if (text.length > limits.maxParseChars) return false;
  const from = text.lastIndexOf('\n', start - 1) + 1;
  let nl = text.indexOf('\n', end);
  if (nl === -1) nl = text.length;
  if (nl - from <= limits.maxLineChars) return true;
  return syntaxEligible(text.slice(from, nl), limits);
}
