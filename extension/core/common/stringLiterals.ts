/**
 * String literals on one line, masked so code checks skip their text while columns hold: a
 * quote, then escapes or any other character than that quote, then the same quote. An escape
 * matches one way only (a backslash is never an "other character"), so a line with an open
 * quote and many backslashes cannot make the match backtrack exponentially.
 */
const CLOSED = /(["'`])(?:\\.|(?!\1)[^\\])*\1/g;
const CLOSED_OR_OPEN = /(["'`])(?:\\.|(?!\1)[^\\])*\1?/g;

/** Closed string literals with their contents as spaces, the quotes kept (`"a, b"` → `"    "`). */
export function blankStringContents(line: string): string {
  return line.replace(CLOSED, (s) => s[0] + ' '.repeat(s.length - 2) + s[0]);
}

/** String literals, closed or open to the line's end, wholly as spaces. */
export function blankStrings(line: string): string {
  return line.replace(CLOSED_OR_OPEN, (s) => ' '.repeat(s.length));
}
