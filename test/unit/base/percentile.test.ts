import assert from 'node:assert/strict';
import { test } from 'node:test';
import { percentileSorted } from '../../../extension/base/percentile';

test('percentiles by hand (type 7: h = (n-1)p, interpolate between x[⌊h⌋] and x[⌊h⌋+1])', () => {
  const x = [10, 20, 30, 40, 50];
  // n = 5: p50 → h = 2 → x[2] = 30; p5 → h = 0.2 → 10 + 0.2·10 = 12; p95 → h = 3.8 → 40 + 0.8·10 = 48.
  assert.equal(percentileSorted(x, 0.5), 30);
  assert.ok(Math.abs(percentileSorted(x, 0.05) - 12) < 1e-9);
  assert.ok(Math.abs(percentileSorted(x, 0.95) - 48) < 1e-9);
  // n = 4: p50 → h = 1.5 → 2 + 0.5·(3 - 2) = 2.5.
  assert.equal(percentileSorted([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(percentileSorted([7], 0.95), 7);
  assert.ok(Number.isNaN(percentileSorted([], 0.5)));
  assert.equal(percentileSorted(x, 0), 10);
  assert.equal(percentileSorted(x, 1), 50);
});

test('percentiles of ten latencies: the median interpolates, p95 sits near the top', () => {
  const v = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
  assert.equal(percentileSorted(v, 0.5), 55);
  assert.ok(Math.abs(percentileSorted(v, 0.95) - 95.5) < 1e-9);
  assert.ok(Math.abs(percentileSorted(v, 0.05) - 14.5) < 1e-9);
});
