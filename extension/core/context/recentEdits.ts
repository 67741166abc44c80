/**
 * Recently edited hunks across documents: the lines around each change, merged when edits
 * land on the same lines again, most recent last, bounded in count and size.
 */
import type { LineIndex } from './lineIndex';
import type { TextChange } from './types';

export interface EditHunk {
  readonly uri: string;
  readonly languageId: string;
  readonly startLine: number;
  /** Inclusive. */
  readonly endLine: number;
  readonly text: string;
}

export interface RecentEditsOptions {
  readonly maxHunks?: number;
  readonly contextLines?: number;
  readonly maxHunkLines?: number;
  /** Edits within this many lines of an existing hunk extend it instead of starting a new one. */
  readonly mergeDistance?: number;
}

export class RecentEdits {
  private hunks: EditHunk[] = [];
  private readonly maxHunks: number;
  private readonly contextLines: number;
  private readonly maxHunkLines: number;
  private readonly mergeDistance: number;

  constructor(options: RecentEditsOptions = {}) {
    this.maxHunks = options.maxHunks ?? 8;
    this.contextLines = options.contextLines ?? 1;
    this.maxHunkLines = options.maxHunkLines ?? 10;
    this.mergeDistance = options.mergeDistance ?? 3;
  }

  /**
   * Records `changes` (in order, as applied) given the document after them. `lines` indexes
   * the new text.
   */
  record(uri: string, languageId: string, before: string, changes: readonly TextChange[], lines: LineIndex): void {
    let text = before;
    for (const change of changes) {
      const oldStartLine = countLines(text, change.startOffset);
      const removedLines = countLines(text, change.oldEndOffset) - oldStartLine;
      const addedLines = countLines(change.newText, change.newText.length);
      const delta = addedLines - removedLines;
      text = text.slice(0, change.startOffset) + change.newText + text.slice(change.oldEndOffset);
      if (delta !== 0) this.shift(uri, oldStartLine, delta);
      this.add(uri, languageId, oldStartLine, oldStartLine + addedLines, lines);
    }
  }

  /** Hunks oldest first. */
  all(): readonly EditHunk[] {
    return this.hunks;
  }

  forget(uri: string): void {
    this.hunks = this.hunks.filter((h) => h.uri !== uri);
  }

  private shift(uri: string, fromLine: number, delta: number): void {
    this.hunks = this.hunks.map((h) =>
      h.uri === uri && h.startLine > fromLine ? { ...h, startLine: h.startLine + delta, endLine: h.endLine + delta } : h,
    );
  }

  private add(uri: string, languageId: string, firstLine: number, lastLine: number, lines: LineIndex): void {
    let start = Math.max(0, firstLine - this.contextLines);
    let end = Math.min(lines.lineCount - 1, lastLine + this.contextLines);
    const near = this.hunks.findIndex(
      (h) => h.uri === uri && h.startLine - this.mergeDistance <= end && h.endLine + this.mergeDistance >= start,
    );
    if (near !== -1) {
      const h = this.hunks[near];
      start = Math.min(start, h.startLine);
      end = Math.max(end, h.endLine);
      this.hunks.splice(near, 1);
    }
    if (end - start + 1 > this.maxHunkLines) {
      // Keep the lines around the latest change.
      start = Math.max(start, Math.min(firstLine - this.contextLines, end - this.maxHunkLines + 1));
      end = Math.min(end, start + this.maxHunkLines - 1);
    }
    const text = lines.text.slice(lines.lineStart(start), lines.lineEnd(end));
    if (text.trim() === '') return;
    this.hunks.push({ uri, languageId, startLine: start, endLine: end, text });
    if (this.hunks.length > this.maxHunks) this.hunks.shift();
  }
}

/** Number of newlines in `text` before `offset`. */
function countLines(text: string, offset: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
