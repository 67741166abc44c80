import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NgramModel } from '../../../extension/cli/bench/quality/ngram';
import { seededRandom } from '../../../extension/core/common/rng';
import { lineMatches, samplePositions } from '../../../extension/cli/bench/quality/positions';

test('the 4-gram baseline predicts the most frequent continuation and backs off', () => {
  // "1 2 3 → 4" twice, "1 2 3 → 5" once; "9 2 3 → 7" gives 2-token context "2 3" counts 4:2, 5:1, 7:1.
  const m = NgramModel.train(Uint16Array.from([1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 5, 9, 2, 3, 7, 8]));
  assert.equal(m.next([1, 2, 3]), 4);
  assert.equal(m.next([9, 2, 3]), 7, 'full context wins over the more frequent backoff');
  assert.equal(m.next([6, 2, 3]), 4, 'unseen 3-token context backs off to "2 3"');
  assert.equal(m.next([6, 6, 7]), 8, 'backs off to one token');
  assert.equal(m.next([6, 6, 6]), undefined);
  assert.equal(m.trainedTokens, 17);
});

test('large token ids pack and unpack exactly', () => {
  const big = 12287;
  const m = NgramModel.train(Uint16Array.from([big, big - 1, big - 2, big - 3, big, big - 1, big - 2, big - 3]));
  assert.equal(m.next([big, big - 1, big - 2]), big - 3);
  assert.throws(() => NgramModel.train(Uint16Array.from([20000, 1, 2, 3])), /14 bits/);
});

test('positions are seeded, never leak the answer, and alternate line-start and mid-line', () => {
  const text = 'def f(x):\n    total = x + 1\n    return total * 2\n\nprint(f(3))\n';
  const a = samplePositions([{ path: 'a.py', text }], 6, 7);
  const b = samplePositions([{ path: 'a.py', text }], 6, 7);
  assert.deepEqual(a, b);
  for (const s of a) {
    const line = text.split('\n')[s.line - 1];
    assert.ok(line.endsWith(s.expected), `${JSON.stringify(s.expected)} ends line ${JSON.stringify(line)}`);
    assert.ok(s.expected.length > 0);
    assert.ok(!s.suffix.startsWith(s.expected));
    assert.equal(text.indexOf(s.prefix + s.expected), 0 + text.indexOf(s.prefix));
    if (s.kind === 'line-start') assert.equal(s.prefix.endsWith(line.slice(0, line.length - line.trimStart().length)), true);
  }
  assert.deepEqual(a.map((s) => s.kind).slice(0, 2), ['line-start', 'mid-line']);
  assert.notEqual(seededRandom(1)(), seededRandom(2)());
});

test('line matching ignores trailing whitespace and later lines', () => {
  assert.ok(lineMatches('return x  \nmore', 'return x'));
  assert.ok(!lineMatches('return y', 'return x'));
});

test('the baseline is marked not available when its default data is missing, an error when named', async () => {
  const { baselineAvailability } = await import('../../../extension/cli/bench/quality/qualityBench');
  const missing = 'test/fixtures/does-not-exist/train.bin';
  assert.match(baselineAvailability(missing, false) ?? '', /not available: .*does-not-exist.*models\/train\/data\.py/);
  assert.throws(() => baselineAvailability(missing, true), /baseline data .*does-not-exist.* not found/);
  assert.equal(baselineAvailability('none', false), 'skipped (--ngram-data none)');
  assert.equal(baselineAvailability('package.json', true), undefined);
});
