import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dpoRow, sftRow } from '../../../extension/core/promptlab/compare/preference';
import { wordDiff } from '../../../extension/core/promptlab/compare/wordDiff';

test('word diff marks words only in the column as added and only in the reference as removed', () => {
  assert.deepEqual(wordDiff('the cat sat on the mat', 'the dog sat on the mat today'), [
    { kind: 'same', text: 'the' },
    { kind: 'removed', text: ' cat' },
    { kind: 'added', text: ' dog' },
    { kind: 'same', text: ' sat on the mat' },
    { kind: 'added', text: ' today' },
  ]);
  assert.deepEqual(wordDiff('same text', 'same text'), [{ kind: 'same', text: 'same text' }]);
  assert.deepEqual(wordDiff('', 'new'), [{ kind: 'added', text: 'new' }]);
});

test('preference rows follow the OpenAI DPO and SFT formats', () => {
  const messages = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: '2+2?' }] as const;
  assert.deepEqual(dpoRow(messages, '4', 'five'), {
    input: { messages },
    preferred_output: [{ role: 'assistant', content: '4' }],
    non_preferred_output: [{ role: 'assistant', content: 'five' }],
  });
  assert.throws(() => dpoRow(messages, 'x', 'x'), /same text/);
  assert.deepEqual(sftRow(messages, '4'), { messages: [...messages, { role: 'assistant', content: '4' }] });
});
