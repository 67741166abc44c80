/**
 * How the host tells a partial accept from typing: VS Code's accept-next-word/line commands
 * insert the start of the shown suggestion at the cursor in one edit (the stable API has no
 * partial-accept event).
 */

/** The suggestion last shown in a document. */
export interface ShownSuggestion {
  readonly uri: string;
  readonly offset: number;
  readonly text: string;
}

/** One edit to a document (VS Code's TextDocumentContentChangeEvent, as plain data). */
export interface DocumentEdit {
  readonly uri: string;
  readonly rangeOffset: number;
  readonly rangeLength: number;
  readonly text: string;
}

/**
 * Whether `edit` (the only change of its event) accepted part of `shown`: an insertion at the
 * suggestion's offset of at least two characters that start it, shorter than all of it (a full
 * accept runs the accept command; one typed character is typing through).
 */
export function isPartialAccept(shown: ShownSuggestion | undefined, edit: DocumentEdit): boolean {
  if (!shown || shown.uri !== edit.uri) return false;
  return edit.rangeOffset === shown.offset && edit.rangeLength === 0 && edit.text.length >= 2 && edit.text.length < shown.text.length && shown.text.startsWith(edit.text);
}
