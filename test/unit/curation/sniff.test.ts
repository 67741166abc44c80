import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { looksLikeTrainingData, SNIFF_BYTES } from '../../../extension/core/curation/formats/sniff';

const chat = JSON.stringify({ messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }] });

test('rows of every format the editor reads look like training data', () => {
  for (const row of [
    chat,
    JSON.stringify({ conversations: [{ from: 'human', value: 'q' }] }),
    JSON.stringify({ instruction: 'i', output: 'o' }),
    JSON.stringify({ prompt: 'p', completion: 'c' }),
    JSON.stringify({ prefix: 'a', suffix: 'b', middle: 'c' }),
    JSON.stringify({ input: { messages: [] }, preferred_output: [], non_preferred_output: [] }),
  ]) {
    assert.equal(looksLikeTrainingData(`${row}\n${row}\n`, true), true, row);
  }
  assert.equal(looksLikeTrainingData(readFileSync(join(__dirname, '..', '..', 'fixtures', 'workspace', 'data', 'support-chat.jsonl'), 'utf8'), true), true);
});

test('other JSON Lines (logs, exports) and empty files do not', () => {
  assert.equal(looksLikeTrainingData('{"level":"info","msg":"started"}\n{"level":"warn","msg":"slow"}\n', true), false);
  assert.equal(looksLikeTrainingData('', true), false);
  assert.equal(looksLikeTrainingData('not json at all\n', true), false);
  // Mostly something else, with one chat row: not a dataset.
  assert.equal(looksLikeTrainingData(`{"a":1}\n{"b":2}\n{"c":3}\n${chat}\n`, true), false);
});

test('a row cut at the sniffed bytes is ignored; a first row longer than them is judged by its opening key', () => {
  assert.equal(looksLikeTrainingData(`${chat}\n{"messages":[{"role":"us`, false), true);
  const huge = `{"messages":[{"role":"user","content":"${'x'.repeat(SNIFF_BYTES)}`;
  assert.equal(looksLikeTrainingData(huge.slice(0, SNIFF_BYTES), false), true);
  assert.equal(looksLikeTrainingData(`{"log":"${'x'.repeat(SNIFF_BYTES)}`.slice(0, SNIFF_BYTES), false), false);
  // A broken row among dataset rows does not hide them.
  assert.equal(looksLikeTrainingData(`${chat}\n{broken\n${chat}\n`, true), true);
});
