/**
 * Calibration of the confidence gate, per model: which score threshold each
 * `lathe.completions.confidence` level means for this model. A level is a promise about
 * precision — of the suggestions shown, this share is exactly the line the user wrote, as
 * measured on held-out code — so the same level means a higher threshold for a model that is
 * sure of itself too easily. `lathe bench quality --write-calibration` measures it and writes
 * `lathe.calibration.json` into the model folder.
 */
import type { CompletionCalibration, GatedLevel } from '../models/calibration';

export type { CompletionCalibration, GatedLevel } from '../models/calibration';
export type ConfidenceLevel = 'off' | GatedLevel;

export const CONFIDENCE_LEVELS: readonly ConfidenceLevel[] = ['off', 'low', 'balanced', 'high'];

/** The precision each level aims at on held-out code. */
export const LEVEL_PRECISION: Readonly<Record<GatedLevel, number>> = { low: 0.25, balanced: 0.4, high: 0.6 };

/** Thresholds for a model without its own calibration: a cautious guess, close to the score read as a probability. */
export const UNCALIBRATED: Readonly<Record<GatedLevel, number>> = { low: 0.2, balanced: 0.35, high: 0.55 };

/** The score threshold for a level: the model's calibration when it matches the score in use, else the cautious default. */
export function levelThreshold(level: ConfidenceLevel, scoreVersion: string, calibration?: CompletionCalibration): number {
  if (level === 'off') return 0;
  return calibration && calibration.score === scoreVersion ? calibration.thresholds[level] : UNCALIBRATED[level];
}

export interface ScoredSample {
  readonly score: number;
  /** The suggestion is exactly the expected line. */
  readonly exact: boolean;
}

export interface CurvePoint {
  readonly threshold: number;
  readonly shown_rate: number;
  readonly precision_when_shown: number | null;
  /** Exact suggestions shown, over all samples. */
  readonly exact_shown_rate: number;
}

export function curvePoint(samples: readonly ScoredSample[], threshold: number): CurvePoint {
  const shown = samples.filter((s) => s.score >= threshold);
  const exact = shown.filter((s) => s.exact).length;
  const n = Math.max(1, samples.length);
  return { threshold, shown_rate: shown.length / n, precision_when_shown: shown.length > 0 ? exact / shown.length : null, exact_shown_rate: exact / n };
}

/** Shown rate and precision at thresholds 0, 0.05, …, 0.95. */
export function confidenceCurve(samples: readonly ScoredSample[], step = 0.05): CurvePoint[] {
  const out: CurvePoint[] = [];
  for (let i = 0; i * step < 1 - 1e-9; i++) out.push(curvePoint(samples, Math.round(i * step * 1000) / 1000));
  return out;
}

/**
 * The lowest threshold (most suggestions shown) whose shown suggestions reach `precision`, with
 * at least `minShown` of them (or all) so a handful of lucky lines does not decide; the candidates are
 * the samples' own scores. When none reaches it, the threshold of the best precision.
 */
export function chooseThreshold(samples: readonly ScoredSample[], precision: number, minShown = 20): number {
  // A negative score marks a sample with nothing to show: never shown, at any threshold.
  const sorted = samples.filter((s) => s.score >= 0).sort((a, b) => b.score - a.score);
  const least = Math.min(minShown, sorted.length);
  let exact = 0;
  let best = { threshold: 1, precision: -1 };
  let lowest: number | undefined;
  for (let i = 0; i < sorted.length; i++) {
    exact += sorted[i].exact ? 1 : 0;
    // Ties: the threshold must take every sample with this score.
    if (i + 1 < sorted.length && sorted[i + 1].score === sorted[i].score) continue;
    if (i + 1 < least) continue;
    const p = exact / (i + 1);
    if (p >= precision) lowest = sorted[i].score;
    if (p > best.precision) best = { threshold: sorted[i].score, precision: p };
  }
  return roundDown(lowest ?? best.threshold);
}

/** Thresholds written to files are rounded down to 4 decimals, so they never exclude the sample they were chosen at. */
const roundDown = (v: number) => Math.floor(v * 1e4) / 1e4;

export function calibrate(samples: readonly ScoredSample[], scoreVersion: string, minShown = 20): CompletionCalibration {
  return {
    score: scoreVersion,
    thresholds: {
      low: chooseThreshold(samples, LEVEL_PRECISION.low, minShown),
      balanced: chooseThreshold(samples, LEVEL_PRECISION.balanced, minShown),
      high: chooseThreshold(samples, LEVEL_PRECISION.high, minShown),
    },
  };
}
