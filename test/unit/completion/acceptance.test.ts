import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPartialAccept } from '../../../extension/core/completion/acceptance';

const shown = { uri: 'file:///a.ts', offset: 10, text: 'format(value, 2)' };
const edit = (text: string, over: Partial<{ uri: string; rangeOffset: number; rangeLength: number }> = {}) => ({ uri: shown.uri, rangeOffset: 10, rangeLength: 0, text, ...over });

test('accept-next-word: an insert of the suggestion\'s start at its offset', () => {
  assert.equal(isPartialAccept(shown, edit('format(')), true);
  assert.equal(isPartialAccept(shown, edit('fo')), true);
});

test('typing, full accepts, other places and other documents are not partial accepts', () => {
  assert.equal(isPartialAccept(shown, edit('f')), false, 'one typed character is typing through');
  assert.equal(isPartialAccept(shown, edit('format(value, 2)')), false, 'the whole suggestion is a full accept');
  assert.equal(isPartialAccept(shown, edit('forma!')), false, 'not the suggestion\'s text');
  assert.equal(isPartialAccept(shown, edit('format(', { rangeOffset: 11 })), false);
  assert.equal(isPartialAccept(shown, edit('format(', { rangeLength: 3 })), false, 'a replacement');
  assert.equal(isPartialAccept(shown, edit('format(', { uri: 'file:///b.ts' })), false);
  assert.equal(isPartialAccept(undefined, edit('format(')), false);
});
