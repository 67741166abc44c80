/**
 * Edits as the refactorings produce them (offsets into one text) and as they leave the core
 * (0-based line/character ranges per file, the convention VS Code and the CLI's JSON use).
 */
import { LineIndex } from '../context/lineIndex';

/** A replacement of `[start, end)` in one text (UTF-16 offsets). */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/** One replacement in one file; ranges are 0-based and refer to the file before any edit. */
export interface FileEdit {
  readonly file: string;
  readonly range: Range;
  readonly newText: string;
}

/** `text` with `edits` applied (they must not overlap; any order). */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let limit = Number.POSITIVE_INFINITY;
  for (const e of sorted) {
    if (e.start < 0 || e.end < e.start || e.end > text.length) throw new Error(`edit [${e.start}, ${e.end}) is outside the text (length ${text.length})`);
    if (e.end > limit) throw new Error(`edits overlap at offset ${e.end}`);
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
    limit = e.start;
  }
  return out;
}

/** The file edits for offset edits of `text` (ranges in the text before the edits). */
export function toFileEdits(file: string, text: string, edits: readonly TextEdit[], lines = new LineIndex(text)): FileEdit[] {
  return [...edits]
    .sort((a, b) => a.start - b.start)
    .map((e) => ({ file, range: { start: lines.positionAt(e.start), end: lines.positionAt(e.end) }, newText: e.newText }));
}

/** Offsets of a 0-based range in `text`; throws when the range is outside it. */
export function rangeOffsets(lines: LineIndex, range: Range): { start: number; end: number } {
  const check = (p: Position, what: string) => {
    if (p.line < 0 || p.line >= lines.lineCount) throw new RangeError(`${what} line ${p.line + 1} is outside 1..${lines.lineCount}`);
    const len = lines.lineEnd(p.line) - lines.lineStart(p.line);
    if (p.character < 0 || p.character > len) throw new RangeError(`${what} column ${p.character + 1} is outside 1..${len + 1} on line ${p.line + 1}`);
  };
  check(range.start, 'start');
  check(range.end, 'end');
  const start = lines.offsetAt(range.start.line, range.start.character);
  const end = lines.offsetAt(range.end.line, range.end.character);
  if (end < start) throw new RangeError(`the range ends (line ${range.end.line + 1}) before it starts (line ${range.start.line + 1})`);
  return { start, end };
}

/** The indentation (spaces and tabs) of the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let i = lineStart;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return text.slice(lineStart, i);
}

/** Offset of the start of the line holding `offset`. */
export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The file's indentation unit: a tab, or the most common smallest step of leading spaces (default 4 for Python, 2 otherwise). */
export function indentUnit(text: string, fallback = '  '): string {
  const counts = new Map<number, number>();
  let tabs = 0;
  let prev = 0;
  for (const line of text.split('\n', 2_000)) {
    if (line.trim() === '') continue;
    if (line.startsWith('\t')) {
      tabs++;
      continue;
    }
    const n = line.length - line.trimStart().length;
    const step = Math.abs(n - prev);
    if (step > 0 && step <= 8) counts.set(step, (counts.get(step) ?? 0) + 1);
    prev = n;
  }
  let best = 0;
  let bestCount = 0;
  for (const [step, c] of counts) if (c > bestCount) [best, bestCount] = [step, c];
  if (tabs > bestCount) return '\t';
  return best > 0 ? ' '.repeat(best) : fallback;
}

/** The line ending the file uses. */
export function eolOf(text: string): '\n' | '\r\n' {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}
