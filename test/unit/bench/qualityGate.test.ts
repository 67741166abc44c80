import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gateChoice, gateReport, writeCalibration } from '../../../extension/cli/bench/quality/gateReport';
import { UNCALIBRATED } from '../../../extension/core/completion/calibration';
import { SCORE_VERSION } from '../../../extension/core/completion/confidence';
import { parseCalibration } from '../../../extension/core/models/calibration';

const samples = Array.from({ length: 200 }, (_, i) => ({ score: i === 199 ? -1 : (200 - i) / 200, exact: i < 60 ? i % 3 !== 2 : i % 10 === 0 }));

test('--confidence: a level through the model calibration, the default without one, or a number', () => {
  const own = { score: SCORE_VERSION, thresholds: { low: 0.1, balanced: 0.2, high: 0.4 } };
  assert.deepEqual(gateChoice(undefined, own), { level: 'balanced', threshold: 0.2, source: 'model calibration' });
  assert.deepEqual(gateChoice('high', undefined), { level: 'high', threshold: UNCALIBRATED.high, source: 'uncalibrated default' });
  assert.deepEqual(gateChoice('off', own), { level: 'off', threshold: 0, source: 'off' });
  assert.deepEqual(gateChoice('0.25', own), { level: 'custom', threshold: 0.25, source: '--confidence' });
  assert.throws(() => gateChoice('sure', own), /--confidence must be off, low, balanced, high or a threshold/);
});

test('the report: figures at the chosen threshold, the thresholds this run calibrates, the curve', () => {
  const r = gateReport(samples, { level: 'custom', threshold: 0.7025, source: '--confidence' }, 20);
  assert.equal(r.shown_rate, 0.3);
  assert.equal(r.precision_when_shown, 40 / 60);
  assert.equal(r.curve[0].shown_rate, 199 / 200, 'an empty suggestion is never shown');
  assert.ok(r.calibrated_here.balanced.precision_when_shown! >= 0.4);
  assert.ok(r.calibrated_here.high.threshold >= r.calibrated_here.low.threshold);
});

test('--write-calibration writes a lathe.calibration.json the model folder reader accepts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-cal-'));
  try {
    const path = writeCalibration(dir, samples, 20, { command: 'lathe bench quality', files: 3 });
    const doc: unknown = JSON.parse(readFileSync(path, 'utf8'));
    const cal = parseCalibration(doc, path);
    assert.equal(cal.score, SCORE_VERSION);
    assert.ok(cal.thresholds.low <= cal.thresholds.balanced && cal.thresholds.balanced <= cal.thresholds.high);
    assert.equal((cal.measured as { n: number }).n, 200);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
