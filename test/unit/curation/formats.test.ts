import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { convertRow } from '../../../extension/core/curation/formats/convert';
import { detectRowFormat } from '../../../extension/core/curation/formats/detect';
import { readExample } from '../../../extension/core/curation/formats/read';
import { FORMATS, FormatError, type FormatId } from '../../../extension/core/curation/formats/types';
import { writeExample } from '../../../extension/core/curation/formats/write';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'curation');

function rowsOf(format: FormatId): unknown[] {
  return readFileSync(join(FIXTURES, `${format}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as unknown);
}

test('there is a fixture for every format', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.jsonl'));
  for (const f of FORMATS) assert.ok(files.includes(`${f}.jsonl`), `missing fixture ${f}.jsonl`);
});

for (const format of FORMATS) {
  test(`${format}: every fixture row is detected and round-trips unchanged`, () => {
    const rows = rowsOf(format);
    assert.ok(rows.length > 0);
    for (const row of rows) {
      assert.equal(detectRowFormat(row), format);
      const written = writeExample(format, readExample(format, row));
      assert.deepEqual(written.value, row);
      assert.deepEqual(written.warnings, []);
    }
  });
}

test('alpaca → openai-chat joins instruction and input; from plain chat the user turn is the instruction', () => {
  const row = { instruction: 'Translate to French.', input: 'Good morning', output: 'Bonjour' };
  const chat = convertRow(row, 'openai-chat');
  assert.deepEqual(chat.value, {
    messages: [
      { role: 'user', content: 'Translate to French.\n\nGood morning' },
      { role: 'assistant', content: 'Bonjour' },
    ],
  });
  // From plain chat the split is unknown: the whole user turn becomes the instruction.
  assert.deepEqual(convertRow(chat.value, 'alpaca').value, { instruction: 'Translate to French.\n\nGood morning', input: '', output: 'Bonjour' });
});

test('sharegpt ↔ hf-chat ↔ openai-chat map roles and keep extra keys', () => {
  const share = { conversations: [{ from: 'human', value: 'Hi' }, { from: 'gpt', value: 'Hello', weight: 0 }], id: 'x' };
  const hf = convertRow(share, 'hf-chat').value;
  assert.deepEqual(hf, { conversations: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello', weight: 0 }], id: 'x' });
  assert.deepEqual(convertRow(hf, 'sharegpt').value, share);
  const openai = convertRow(hf, 'openai-chat').value;
  assert.deepEqual(openai, { messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello', weight: 0 }], id: 'x' });
});

test('prompt/completion ↔ chat and FIM ↔ prompt/completion', () => {
  assert.deepEqual(convertRow({ prompt: 'Q', completion: 'A' }, 'openai-chat').value, { messages: [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'A' }] });
  const fim = { prefix: 'def f():\n    ', suffix: '\n', middle: 'return 1' };
  const pc = convertRow(fim, 'prompt-completion').value;
  assert.deepEqual(pc, { prompt: '<|fim_prefix|>def f():\n    <|fim_suffix|>\n<|fim_middle|>', completion: 'return 1' });
  assert.deepEqual(convertRow(pc, 'fim').value, fim);
});

test('preference rows become chat with the preferred answer, and say what was dropped', () => {
  const [row] = rowsOf('openai-preference');
  const chat = convertRow(row, 'openai-chat');
  assert.deepEqual(chat.value, { messages: [{ role: 'user', content: 'Name a prime.' }, { role: 'assistant', content: '7' }] });
  assert.ok(chat.warnings.some((w) => w.includes('non_preferred_output')));
});

test('impossible conversions throw FormatError with the reason', () => {
  const multi = { messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 'c' }, { role: 'assistant', content: 'd' }] };
  assert.throws(() => convertRow(multi, 'alpaca'), (e: unknown) => e instanceof FormatError && /4 messages/.test(e.message));
  assert.throws(() => convertRow(multi, 'openai-preference'), FormatError);
  assert.throws(() => convertRow({ prefix: 'a', suffix: 'b', middle: 'c' }, 'sharegpt'), FormatError);
  assert.throws(() => convertRow({ foo: 1 }, 'openai-chat'), /matches no known dataset format/);
});
