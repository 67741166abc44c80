/**
 * Cleans a raw model completion before it becomes ghost text: cut where the block ends, drop
 * what the text after the cursor already has, keep brackets balanced against the line, and
 * reject suggestions that add nothing (whitespace, a copy of the line above or below).
 */
import { CLOSER_OF, OPENER_OF } from '../common/brackets';
import { cutRunaway, type RunawayCut } from './runaway';

export interface PostprocessInput {
  readonly completion: string;
  /** Document text before the cursor. */
  readonly prefix: string;
  /** Document text after the cursor. */
  readonly suffix: string;
  /** Whether the caller asked for more than one line. */
  readonly multiline: boolean;
  /** Uses tabs for indentation (from the editor's options). */
  readonly insertSpaces?: boolean;
  readonly tabSize?: number;
  /** Most lines of a multi-line suggestion (default unlimited). */
  readonly maxLines?: number;
}

export interface Postprocessed {
  /** What is worth showing; '' when nothing is. */
  readonly text: string;
  /** The runaway cut, when the model repeated itself or ran past `maxLines`. */
  readonly runaway?: RunawayCut;
}

function lineOf(text: string, fromEnd: boolean): string {
  if (fromEnd) return text.slice(text.lastIndexOf('\n') + 1);
  const nl = text.indexOf('\n');
  return nl < 0 ? text : text.slice(0, nl);
}

const indentOf = (line: string) => line.length - line.trimStart().length;

/** Cuts a multi-line completion at the first line that dedents below the cursor's block. */
export function cutAtDedent(completion: string, prefix: string): string {
  const lines = completion.split('\n');
  if (lines.length < 2) return completion;
  const floor = indentOf(lineOf(prefix, true) + lines[0]);
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i];
    if (l.trim() !== '' && indentOf(l) < floor) return lines.slice(0, i).join('\n').replace(/\s+$/, '');
  }
  return completion;
}

/**
 * Removes the end of a one-line completion that the rest of the line already has, e.g.
 * `foo(|)` + `a, b)` → `a, b`; and stops at a closer the line's remainder already supplies.
 */
export function dropSuffixOverlap(completion: string, suffix: string): string {
  const rest = lineOf(suffix, false).trim();
  if (!rest) return completion;
  const [first, ...more] = completion.split('\n');
  let out = first;
  const trimmed = out.trimEnd();
  if (trimmed.endsWith(rest)) out = trimmed.slice(0, trimmed.length - rest.length);
  else {
    for (let k = Math.min(rest.length, trimmed.length); k > 0; k--) {
      if (trimmed.endsWith(rest.slice(0, k)) && /^[)\]}>"'`;,]+$/.test(rest.slice(0, k))) {
        out = trimmed.slice(0, trimmed.length - k);
        break;
      }
    }
  }
  // A closer for a bracket opened before the cursor, which the line's remainder closes already.
  const depth: string[] = [];
  for (let i = 0; i < out.length; i++) {
    const ch = out[i];
    if (CLOSER_OF[ch]) depth.push(ch);
    else if (OPENER_OF[ch]) {
      if (depth.length > 0 && depth[depth.length - 1] === OPENER_OF[ch]) depth.pop();
      else if (rest.startsWith(ch)) {
        out = out.slice(0, i);
        break;
      }
    }
  }
  return more.length > 0 && out === first ? [out, ...more].join('\n') : out;
}

/** True when the line the completion produces copies the line above or below the cursor. */
export function repeatsNeighbour(completion: string, prefix: string, suffix: string): boolean {
  const firstLine = (lineOf(prefix, true) + lineOf(completion, false)).trim();
  if (!firstLine) return false;
  const before = prefix.slice(0, prefix.lastIndexOf('\n'));
  const above = before.slice(before.lastIndexOf('\n') + 1).trim();
  const afterCursorLine = suffix.indexOf('\n') < 0 ? '' : suffix.slice(suffix.indexOf('\n') + 1);
  const below = lineOf(afterCursorLine, false).trim();
  return firstLine.length > 2 && (firstLine === above || firstLine === below);
}

/** Cuts a multi-line completion where it starts repeating the lines after the cursor. */
export function cutRepeatedSuffix(completion: string, suffix: string): string {
  const next = suffix
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .slice(0, 2);
  if (next.length === 0) return completion;
  const lines = completion.split('\n');
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === next[0] && (next.length < 2 || i + 1 >= lines.length || lines[i + 1].trim() === next[1])) {
      return lines.slice(0, i).join('\n').replace(/\s+$/, '');
    }
  }
  return completion;
}

/** Rewrites leading spaces as tabs when the document indents with tabs. */
export function matchIndentation(completion: string, insertSpaces: boolean, tabSize: number): string {
  if (insertSpaces) return completion;
  const unit = ' '.repeat(Math.max(1, tabSize));
  return completion
    .split('\n')
    .map((line, i) => {
      if (i === 0) return line;
      const lead = line.match(/^ +/)?.[0] ?? '';
      const tabs = Math.floor(lead.length / unit.length);
      return '\t'.repeat(tabs) + ' '.repeat(lead.length % unit.length) + line.slice(lead.length);
    })
    .join('\n');
}

/** Cuts before the first character no source file should get: U+FFFD (broken UTF-8) or a control character. */
export function cutAtGarbage(completion: string): string {
  const at = completion.search(/[\uFFFD\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/);
  return at < 0 ? completion : completion.slice(0, at);
}

/**
 * Cuts a degenerate loop, which small models fall into ("state.state.state.state…",
 * "Hash + Hash + Hash + Hash +", "x + 1 + 1 + 1 + 1"): a unit of 3–20 characters with a letter
 * in it, or an operator next to a digit, repeated four or more times in a row on one line, is
 * kept once. Data and rulers ("0, 0, 0, 0", "0xff, 0xff", "----") are left alone.
 */
export function cutRepetitionLoop(completion: string): string {
  const loop = /([^\n]{3,20}?)\1{3,}/g;
  for (let m = loop.exec(completion); m; m = loop.exec(completion)) {
    const unit = m[1];
    // Numbers and separators only (a table of bytes), wherever the repeat happens to start.
    const data = /^[\s,;.0-9a-fA-FxX]+$/.test(m[0]) && /[0-9]/.test(m[0]);
    if (!data && (/[A-Za-z]/.test(unit) || (/[+*/%&|^<>=-]/.test(unit) && /[0-9]/.test(unit)))) return completion.slice(0, m.index + unit.length);
    loop.lastIndex = m.index + 1;
  }
  return completion;
}

/**
 * With the cursor after a line's indentation, that indentation stands (the editor or the user
 * made it): blanks the completion would add in front of its first line are dropped. VS Code
 * would also take Tab on such a suggestion as "indent" rather than "accept".
 */
export function keepLineIndentation(completion: string, prefix: string): string {
  const line = lineOf(prefix, true);
  return line !== '' && line.trim() === '' ? completion.replace(/^[ \t]+/, '') : completion;
}

/** The whole chain; returns '' when nothing worth showing is left. */
export function postprocess(input: PostprocessInput): string {
  return postprocessDetailed(input).text;
}

/** The whole chain, saying which runaway (if any) was cut. */
export function postprocessDetailed(input: PostprocessInput): Postprocessed {
  let text = keepLineIndentation(cutRepetitionLoop(cutAtGarbage(input.completion.replace(/\r\n/g, '\n'))), input.prefix);
  if (!input.multiline) text = lineOf(text, false);
  else {
    text = cutAtDedent(text, input.prefix);
    text = cutRepeatedSuffix(text, input.suffix);
  }
  const runaway = cutRunaway(text, input.prefix, input.multiline ? (input.maxLines ?? Infinity) : 1);
  if (runaway) text = runaway.text;
  text = dropSuffixOverlap(text, input.suffix);
  text = matchIndentation(text, input.insertSpaces ?? true, input.tabSize ?? 4);
  text = text.replace(/[ \t]+$/gm, '').replace(/\n+$/, '');
  if (text.trim() === '' || repeatsNeighbour(text, input.prefix, input.suffix)) return { text: '', runaway };
  return runaway ? { text, runaway } : { text };
}
