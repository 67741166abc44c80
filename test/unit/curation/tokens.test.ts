import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { modelContextLength } from '../../../extension/core/curation/lint/modelCounter';
import { approximateCounter, exampleTokens, tokenStats } from '../../../extension/core/curation/lint/tokens';
import type { TokenCounter } from '../../../extension/core/models/tokenCounter';

test('token statistics: min, mean, percentiles, max and rows over the limit', () => {
  const s = tokenStats([50, 10, 40, 20, 30], 35, 'test');
  assert.deepEqual({ min: s.min, mean: s.mean, p50: s.p50, max: s.max, overLimit: s.overLimit, total: s.total }, { min: 10, mean: 30, p50: 30, max: 50, overLimit: 2, total: 150 });
  assert.ok(Math.abs(s.p5 - 12) < 1e-9 && Math.abs(s.p95 - 48) < 1e-9);
  assert.deepEqual(tokenStats([], 10, 'test').rows, 0);
});

test('example tokens count every segment with a per-message overhead for chats', () => {
  const words: TokenCounter = { name: 'words', count: (t) => t.split(/\s+/).filter(Boolean).length };
  const chat = { kind: 'chat' as const, messages: [{ role: 'user', content: 'one two', extra: {} }, { role: 'assistant', content: 'three', extra: {} }], extra: {} };
  assert.equal(exampleTokens(chat, words, 4), 2 + 4 + 1 + 4);
  assert.equal(exampleTokens({ kind: 'completion', prompt: 'a b', completion: 'c', extra: {} }, words), 3);
});

test('the approximate counter splits words, punctuation and long words', () => {
  assert.equal(approximateCounter.count('Hi, you!'), 4);
  assert.equal(approximateCounter.count('internationalization'), 5);
  assert.equal(approximateCounter.count(''), 0);
});

test('the over-length limit defaults to the model context length from config.json', () => {
  const dir = join(__dirname, '..', '..', 'fixtures', 'models', 'tiny-llama');
  assert.equal(modelContextLength(dir), 512);
  assert.equal(modelContextLength(join(__dirname, 'no-such-model')), undefined);
});
