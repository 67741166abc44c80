import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompletionStats } from '../../../extension/core/completion/stats';

test('counts shown, accepted, partial, cache hits and latency', () => {
  const s = new CompletionStats(3, undefined, () => 7);
  for (const ms of [100, 5, 40, 60]) s.recordServed(ms, ms !== 5);
  s.recordShown();
  s.recordShown();
  s.recordAccepted();
  s.recordPartialAccept();
  const snap = s.snapshot();
  assert.deepEqual(
    { ...snap },
    { shown: 2, accepted: 1, partiallyAccepted: 1, acceptRate: 0.5, latencyP50Ms: 40, latencyP95Ms: 58, requests: 3, cacheHits: 1, errors: 0, since: 7, hidden: {} },
  );
});

test('counts suggestions the confidence gate hid, by reason', () => {
  const s = new CompletionStats();
  s.recordHidden('low-confidence');
  s.recordHidden('invented-name');
  s.recordHidden('low-confidence');
  assert.deepEqual(s.snapshot().hidden, { 'low-confidence': 2, 'invented-name': 1 });
  const again = new CompletionStats();
  assert.equal(again.restore(s.toStored()), true);
  assert.deepEqual(again.snapshot().hidden, { 'low-confidence': 2, 'invented-name': 1 }, 'kept between sessions');
  s.reset();
  assert.deepEqual(s.snapshot().hidden, {});
});
