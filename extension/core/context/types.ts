/**
 * Plain data types of the context engine. The host converts VS Code documents and change
 * events into these; nothing here knows about the editor.
 */

/** One version of a document's text. `uri` is opaque: a `file:` URI or a file path. */
export interface DocumentSnapshot {
  readonly uri: string;
  readonly languageId: string;
  readonly version: number;
  readonly text: string;
}

/**
 * One text replacement, offsets in UTF-16 code units of the text it applies to. A list of
 * changes applies in order, each to the result of the previous one (VS Code's
 * `contentChanges` order satisfies this).
 */
export interface TextChange {
  readonly startOffset: number;
  readonly oldEndOffset: number;
  readonly newText: string;
}

/** Zero-based line/character positions, end exclusive (the same convention as VS Code). */
export interface SourceRange {
  readonly startLine: number;
  readonly startCharacter: number;
  readonly endLine: number;
  readonly endCharacter: number;
}


