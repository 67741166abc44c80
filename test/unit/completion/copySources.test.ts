import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COPY_OPEN_DOCUMENT_CHARS, COPY_OPEN_DOCUMENTS, copySources, documentBeyondWindows } from '../../../extension/core/completion/copySources';

const text = 'aaaa\nbbbb\ncc|dd\neeee\nffff\n';
const offset = text.indexOf('|');

test('the document beyond the windows: before the prefix window and after the suffix window', () => {
  const doc = { text, offset };
  const prefix = text.slice(offset - 7, offset); // "bbbb\ncc"
  const suffix = text.slice(offset, offset + 9); // "|dd\neeee\n"
  assert.deepEqual(documentBeyondWindows(doc, prefix, suffix), ['aaaa\n', 'ffff\n']);
  // At most `limit` characters each side, those nearest the windows.
  assert.deepEqual(documentBeyondWindows(doc, prefix, suffix, 3), ['aa\n', 'fff']);
});

test('windows that reach the document ends, or are not the text at the cursor, give nothing on that side', () => {
  const doc = { text, offset };
  assert.deepEqual(documentBeyondWindows(doc, text.slice(0, offset), text.slice(offset)), []);
  assert.deepEqual(documentBeyondWindows(doc, 'edited\ncc', text.slice(offset, offset + 4)), ['eeee\nffff\n']);
  assert.deepEqual(documentBeyondWindows(doc, text.slice(offset - 2, offset), 'other'), ['aaaa\nbbbb\n']);
});

test('the sources of a request: the document beyond its windows, then the open documents (bounded, empty ones dropped)', () => {
  const doc = { text, offset };
  const prefix = text.slice(offset - 7, offset);
  const suffix = text.slice(offset, offset + 9);
  const big = 'x'.repeat(COPY_OPEN_DOCUMENT_CHARS + 10);
  const openTexts = ['tab one', '', big, ...Array.from({ length: COPY_OPEN_DOCUMENTS }, (_, i) => `tab ${i + 2}`)];
  const sources = copySources(doc, { prefix, suffix, openTexts });
  assert.deepEqual(sources.slice(0, 4), ['aaaa\n', 'ffff\n', 'tab one', big.slice(0, COPY_OPEN_DOCUMENT_CHARS)]);
  // At most COPY_OPEN_DOCUMENTS open documents, the most recent ones (listed first); the engine takes 8 sources.
  assert.equal(sources.length, 2 + COPY_OPEN_DOCUMENTS);
  assert.equal(sources.at(-1), `tab ${COPY_OPEN_DOCUMENTS - 1}`);
  assert.ok(sources.length <= 8);
  assert.deepEqual(copySources(doc, { prefix, suffix }), ['aaaa\n', 'ffff\n']);
});
