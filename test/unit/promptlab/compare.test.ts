import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { appendJsonlAtomic, writeFileAtomic } from '../../../extension/core/promptlab/atomicWrite';
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

test('atomic writes replace the file and appends keep existing rows', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-pl-'));
  const file = join(dir, 'sub', 'data.jsonl');
  await writeFileAtomic(file, '{"a":1}');
  await appendJsonlAtomic(file, [{ b: 2 }, { c: 3 }]);
  assert.equal(readFileSync(file, 'utf8'), '{"a":1}\n{"b":2}\n{"c":3}\n');
  const fresh = join(dir, 'fresh.jsonl');
  await appendJsonlAtomic(fresh, [{ x: 'y' }]);
  assert.equal(readFileSync(fresh, 'utf8'), '{"x":"y"}\n');
  writeFileSync(join(dir, 'keep.txt'), 'old');
  await writeFileAtomic(join(dir, 'keep.txt'), 'new');
  assert.equal(readFileSync(join(dir, 'keep.txt'), 'utf8'), 'new');
});
