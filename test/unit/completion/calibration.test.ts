import assert from 'node:assert/strict';
import { test } from 'node:test';
import { calibrate, chooseThreshold, confidenceCurve, curvePoint, levelThreshold, UNCALIBRATED } from '../../../extension/core/completion/calibration';
import { parseCalibration } from '../../../extension/core/models/calibration';

// 100 samples: score i/100; the top 30 are right 2 times in 3, the rest 1 time in 10.
const samples = Array.from({ length: 100 }, (_, i) => ({ score: (100 - i) / 100, exact: i < 30 ? i % 3 !== 2 : i % 10 === 0 }));

test('curve point: shown rate, precision when shown, exact lines shown over all', () => {
  const p = curvePoint(samples, 0.71);
  assert.equal(p.shown_rate, 0.3);
  assert.equal(p.precision_when_shown, 20 / 30);
  assert.equal(p.exact_shown_rate, 0.2);
  assert.equal(curvePoint(samples, 1.5).precision_when_shown, null);
  const curve = confidenceCurve(samples);
  assert.equal(curve.length, 20);
  assert.equal(curve[0].shown_rate, 1);
  assert.ok(curve.every((c, i) => i === 0 || c.shown_rate <= curve[i - 1].shown_rate));
});

test('chooses the lowest threshold that keeps the precision, with enough suggestions shown', () => {
  const t = chooseThreshold(samples, 0.6);
  const at = curvePoint(samples, t);
  assert.ok(at.precision_when_shown! >= 0.6, `precision ${at.precision_when_shown}`);
  assert.ok(curvePoint(samples, t - 0.02).precision_when_shown! < 0.6 || t <= 0.01, 'no lower threshold keeps it');
  assert.ok(chooseThreshold(samples, 0.25) < t);
  assert.equal(chooseThreshold([{ score: 0.9, exact: true }, { score: 0.5, exact: false }], 0.9, 20), 0.5, 'too few samples: the best precision it has');
  const c = calibrate(samples, 'v1');
  assert.equal(c.score, 'v1');
  assert.ok(c.thresholds.low <= c.thresholds.balanced && c.thresholds.balanced <= c.thresholds.high);
});

test('levels read through the model calibration of the same score, else the cautious defaults', () => {
  const cal = { score: 'v1', thresholds: { low: 0.01, balanced: 0.05, high: 0.2 } };
  assert.equal(levelThreshold('balanced', 'v1', cal), 0.05);
  assert.equal(levelThreshold('balanced', 'v2', cal), UNCALIBRATED.balanced);
  assert.equal(levelThreshold('high', 'v1', undefined), UNCALIBRATED.high);
  assert.equal(levelThreshold('off', 'v1', cal), 0);
});

test('lathe.calibration.json is validated', () => {
  const ok = parseCalibration({ score: 'v1', thresholds: { low: 0.01, balanced: 0.05, high: 0.2 }, measured: { n: 3 } }, 'x.json');
  assert.deepEqual(ok.thresholds, { low: 0.01, balanced: 0.05, high: 0.2 });
  assert.throws(() => parseCalibration({ score: 'v1', thresholds: { low: 0.01, balanced: 2, high: 0.2 } }, 'x.json'), /thresholds\.balanced must be a number from 0 to 1/);
  assert.throws(() => parseCalibration([], 'x.json'), /expected a JSON object/);
});
