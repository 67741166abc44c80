/**
 * What prompt copy may copy from besides the prompt: the document's text beyond the prompt's
 * windows, nearest the cursor first, then the other open documents of the same language. The
 * prompt holds only a window of the file (a budget of tokens shared with the context pieces),
 * but a line often repeats one further up or down, or one in a sibling file.
 * Over 600 held-out positions: 113 exact lines without prompt copy, 117 copying from the prompt
 * alone, 136 with the document beyond the windows too (models/train/README.md).
 */
import type { CompletionContext, CompletionDocument } from './context';

/** Characters of the document taken on each side of the windows. */
export const COPY_DOCUMENT_CHARS = 20_000;
/** Open documents copied from, and the characters taken from the start of each. */
export const COPY_OPEN_DOCUMENTS = 6;
export const COPY_OPEN_DOCUMENT_CHARS = 20_000;

/** All the sources of a request: the document beyond its windows, then the open documents. */
export function copySources(doc: Pick<CompletionDocument, 'text' | 'offset'>, ctx: Pick<CompletionContext, 'prefix' | 'suffix' | 'openTexts'>): string[] {
  const open = (ctx.openTexts ?? []).filter((t) => t.length > 0).slice(0, COPY_OPEN_DOCUMENTS);
  return [...documentBeyondWindows(doc, ctx.prefix, ctx.suffix), ...open.map((t) => t.slice(0, COPY_OPEN_DOCUMENT_CHARS))];
}

export function documentBeyondWindows(doc: Pick<CompletionDocument, 'text' | 'offset'>, prefix: string, suffix: string, limit = COPY_DOCUMENT_CHARS): string[] {
  const { text, offset } = doc;
  const out: string[] = [];
  // A window that is not the text right before/after the cursor (an edited view) gives no boundary to cut at.
  const start = offset - prefix.length;
  if (start > 0 && text.startsWith(prefix, start)) out.push(text.slice(Math.max(0, start - limit), start));
  const end = offset + suffix.length;
  if (end < text.length && text.startsWith(suffix, offset)) out.push(text.slice(end, end + limit));
  return out;
}
