import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompletionStats, percentileSorted } from '../../../extension/core/completion/stats';

test('nearest-rank percentiles by hand', () => {
  const v = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
  assert.equal(percentileSorted(v, 50), 50);
  assert.equal(percentileSorted(v, 95), 100);
  assert.equal(percentileSorted(v, 5), 10);
  assert.equal(percentileSorted([7], 95), 7);
  assert.ok(Number.isNaN(percentileSorted([], 50)));
});

test('counts shown, accepted, partial, cache hits and latency', () => {
  const s = new CompletionStats(3);
  for (const ms of [100, 5, 40, 60]) s.recordServed(ms, ms !== 5);
  s.recordShown();
  s.recordShown();
  s.recordAccepted();
  s.recordPartialAccept();
  const snap = s.snapshot();
  assert.deepEqual(
    { ...snap },
    { shown: 2, accepted: 1, partiallyAccepted: 1, acceptRate: 0.5, latencyP50Ms: 40, latencyP95Ms: 60, requests: 3, cacheHits: 1, errors: 0 },
  );
});
