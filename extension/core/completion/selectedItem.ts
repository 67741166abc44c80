/**
 * Completing together with the editor's suggest widget. While the widget is open with an item
 * selected, VS Code shows an inline suggestion only when it replaces the item's range and its
 * text starts with the item's text (VS Code's `selectedCompletionInfo`). So the model is asked
 * to continue the document as if the item were already inserted, and the suggestion is the
 * item's text followed by that continuation: both show at once, the widget's item and the
 * ghost text after it, and Tab takes both. A different selected item is a different document,
 * so a different request (and cache entry) in the policy.
 */
import type { CompletionDocument } from './context';

/** The suggest widget's selected item, as plain data: the range it replaces and its text. */
export interface SelectedItem {
  /** Offsets of the replaced range in the document (typically the word typed so far, ending at the cursor). */
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** The document to complete at when `item` is selected, and how to turn the answer into the suggestion. */
export interface ItemCompletion {
  /** The document with the item inserted over its range, the cursor right after it. */
  readonly doc: CompletionDocument;
  /** The inline suggestion for a model answer at `doc`: item text + answer (replacing start…end). */
  readonly suggestion: (answer: string) => string;
}

/**
 * How to complete with `item` selected in `doc`: the item replaces its range (which holds the
 * cursor: the word typed so far, or the whole word in replace mode), and the cursor goes after
 * it. Undefined for items that cannot be continued on their line (empty, or spanning lines).
 */
export function completeWithItem(doc: CompletionDocument, item: SelectedItem): ItemCompletion | undefined {
  if (item.start < 0 || item.start > doc.offset || item.end < doc.offset || item.end > doc.text.length) return undefined;
  if (item.text.length === 0 || /[\r\n]/.test(item.text)) return undefined;
  const text = doc.text.slice(0, item.start) + item.text + doc.text.slice(item.end);
  return {
    doc: { ...doc, text, offset: item.start + item.text.length },
    suggestion: (answer) => item.text + answer,
  };
}
