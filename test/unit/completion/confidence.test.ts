import assert from 'node:assert/strict';
import { test } from 'node:test';
import { confidenceScore, confidenceSignals, firstLineLogprobs, type TokenLogprob } from '../../../extension/core/completion/confidence';
import { judgeSuggestion } from '../../../extension/core/completion/confidenceGate';
import { namesIn } from '../../../extension/core/completion/inventedNames';

const toks = (...pairs: [string, number][]): TokenLogprob[] => pairs.map(([text, logprob]) => ({ text, logprob }));
const prefix = 'def load(path):\n    with open(path) as f:\n        data = f.';
const file = `${prefix}read()\n        f.seek(0)\n`;

test('first-line log-probabilities: up to and including the token that ends the line', () => {
  assert.deepEqual(firstLineLogprobs('read()\n    return', toks(['read', -0.1], ['()', -0.2], ['\n', -0.3], ['    return', -2])), [-0.1, -0.2, -0.3]);
  assert.deepEqual(firstLineLogprobs('read()', toks(['read', -0.1], ['()', -0.2], ['', -0.05])), [-0.1, -0.2, -0.05], 'the stop token counts');
  assert.equal(firstLineLogprobs('read()', [{ text: 'read()' }]), undefined, 'no log-probabilities, no signals');
});

test('signals: sum, mean and min over the line; invented names; a copy of a line above', () => {
  const s = confidenceSignals({ raw: 'read()', tokens: toks(['read', -0.5], ['()', -0.1], ['', -0.2]), completion: 'read()', prefix, knows: namesIn(file) })!;
  assert.equal(s.tokens, 3);
  assert.ok(Math.abs(s.sumLogprob + 0.8) < 1e-9);
  assert.ok(Math.abs(s.meanLogprob + 0.8 / 3) < 1e-9);
  assert.equal(s.minLogprob, -0.5);
  assert.deepEqual(s.invented, []);
  assert.equal(s.lineStart, false);
  const made = confidenceSignals({ raw: 'readAllBytesNow()', tokens: toks(['readAllBytesNow()', -0.5]), completion: 'readAllBytesNow()', prefix, knows: namesIn(file) })!;
  assert.deepEqual(made.invented, ['readAllBytesNow']);
  const copy = confidenceSignals({ raw: 'with open(path) as f:', tokens: toks(['with', -0.1]), completion: 'with open(path) as f:', prefix: prefix.replace(/data = f\.$/, ''), knows: () => true })!;
  assert.equal(copy.repeatsAbove, true);
  assert.equal(copy.lineStart, true);
});

test('the score rises with the line probability and falls with invented names', () => {
  const base = { tokens: 3, sumLogprob: -1, meanLogprob: -0.33, minLogprob: -0.6, invented: [] as string[], repeatsAbove: false, lineStart: false };
  const sure = confidenceScore(base);
  assert.ok(sure > 0 && sure < 1);
  assert.ok(confidenceScore({ ...base, sumLogprob: -8, minLogprob: -4 }) < sure);
  assert.ok(confidenceScore({ ...base, invented: ['x'] }) < sure);
  assert.ok(confidenceScore({ ...base, lineStart: true }) < sure);
});

test('the gate shows a sure line, hides an unsure one with a reason, and never gates without log-probabilities', () => {
  const sure = judgeSuggestion({ raw: 'read()', tokens: toks(['read', -0.05], ['()', -0.02], ['', -0.01]), completion: 'read()', prefix, knows: namesIn(file) }, { threshold: 0.3 });
  assert.equal(sure.show, true);
  assert.ok(sure.score! > 0.3);
  const unsure = judgeSuggestion({ raw: 'seek(0)', tokens: toks(['seek', -3.2], ['(0)', -2.5], ['', -1]), completion: 'seek(0)', prefix, knows: namesIn(file) }, { threshold: 0.3 });
  assert.equal(unsure.show, false);
  assert.equal(unsure.reason, 'low-confidence');
  assert.match(unsure.detail!, /score 0\.\d+ < 0\.300/);
  const invented = judgeSuggestion({ raw: 'slurp()', tokens: toks(['slurp', -2], ['()', -1], ['', -1]), completion: 'slurp()', prefix, knows: namesIn(file) }, { threshold: 0.3 });
  assert.equal(invented.reason, 'invented-name');
  assert.match(invented.detail!, /unknown names: slurp/);
  const remote = judgeSuggestion({ raw: 'seek(0)', tokens: [{ text: 'seek(0)' }], completion: 'seek(0)', prefix, knows: () => true }, { threshold: 0.9 });
  assert.deepEqual(remote, { show: true, score: undefined, signals: undefined });
});

test('a first line the runaway cutter had to cut scores 0: hidden whenever the gate is on', () => {
  const input = { raw: '{ url, url, url } = [];', tokens: toks(['{ url', -0.1]), completion: '{ url', prefix: 'const ', knows: () => true, runaway: { text: '{ url', kind: 'repeated-item' as const, line: 0 } };
  assert.equal(judgeSuggestion(input, { threshold: 0.01 }).reason, 'runaway');
  assert.equal(judgeSuggestion(input, { threshold: 0 }).show, true);
  const later = { ...input, runaway: { text: 'x', kind: 'repeated-line' as const, line: 2 } };
  assert.equal(judgeSuggestion(later, { threshold: 0.01 }).show, true, 'a cut further down leaves the first line whole');
});
