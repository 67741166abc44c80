import assert from 'node:assert/strict';
import { test } from 'node:test';
import { documentBeyondWindows } from '../../../extension/core/completion/copySources';

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
