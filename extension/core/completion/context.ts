/**
 * What the completion pipeline needs from the context engine, as plain data. The tree-sitter
 * context engine implements `ContextBuilder`; `PlainContextBuilder` is the fallback for
 * languages without a grammar (prefix/suffix windows only).
 */
export interface CompletionDocument {
  readonly uri: string;
  readonly languageId: string;
  readonly text: string;
  readonly version: number;
  /** Cursor offset in `text` (UTF-16 code units). */
  readonly offset: number;
  /** Workspace-relative path, shown to models that take file names. */
  readonly relativePath?: string;
  readonly insertSpaces?: boolean;
  readonly tabSize?: number;
}

export interface ContextSourceInfo {
  readonly kind: string;
  readonly file: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly tokens?: number;
}

export interface CompletionContext {
  /** The text before the cursor that goes into the FIM prefix (a bounded window). */
  readonly prefix: string;
  /** The text after the cursor that goes into the FIM suffix (a bounded window). */
  readonly suffix: string;
  /** Other pieces (definitions, similar code, recent edits), stable ones first. */
  readonly extra: string;
  /** Whether a multi-line completion fits at the cursor. */
  readonly multiline: boolean;
  readonly sources: readonly ContextSourceInfo[];
  /** Syntax-aware truncation for a completion at this cursor. */
  readonly truncate?: (completion: string) => string;
}

export interface ContextBuilder {
  build(doc: CompletionDocument, signal?: AbortSignal): Promise<CompletionContext>;
}

/** Whether the cursor sits where a block body starts: an empty line after an opener. */
export function looksLikeBlockStart(prefix: string, suffix: string): boolean {
  const lineStart = prefix.lastIndexOf('\n');
  const currentLine = prefix.slice(lineStart + 1);
  const restOfLine = suffix.slice(0, suffix.indexOf('\n') < 0 ? suffix.length : suffix.indexOf('\n'));
  if (currentLine.trim() !== '' || restOfLine.trim() !== '') return false;
  const before = prefix.slice(0, Math.max(0, lineStart)).trimEnd();
  return /[{:([]$|=>$/.test(before);
}

export class PlainContextBuilder implements ContextBuilder {
  constructor(private readonly prefixChars = 6000, private readonly suffixChars = 1200) {}

  async build(doc: CompletionDocument): Promise<CompletionContext> {
    const start = Math.max(0, doc.offset - this.prefixChars);
    const prefix = doc.text.slice(start, doc.offset);
    const suffix = doc.text.slice(doc.offset, doc.offset + this.suffixChars);
    const line = (o: number) => doc.text.slice(0, o).split('\n').length - 1;
    return {
      prefix,
      suffix,
      extra: '',
      multiline: looksLikeBlockStart(prefix, suffix),
      sources: [
        { kind: 'prefix', file: doc.relativePath ?? doc.uri, startLine: line(start), endLine: line(doc.offset) },
        { kind: 'suffix', file: doc.relativePath ?? doc.uri, startLine: line(doc.offset), endLine: line(doc.offset + suffix.length) },
      ],
    };
  }
}
