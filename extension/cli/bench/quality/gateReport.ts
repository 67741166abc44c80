/**
 * The confidence gate's figures for `lathe bench quality`: at the chosen threshold, how many
 * suggestions are shown (`shown_rate`) and how many of those are exactly the line
 * (`precision_when_shown`); the curve over thresholds; the thresholds this run would calibrate
 * for each level; and `lathe.calibration.json` for `--write-calibration`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  calibrate,
  CONFIDENCE_LEVELS,
  confidenceCurve,
  curvePoint,
  levelThreshold,
  type CompletionCalibration,
  type ConfidenceLevel,
  type ScoredSample,
} from '../../../core/completion/calibration';
import { SCORE_VERSION } from '../../../core/completion/confidence';
import { CALIBRATION_FILE } from '../../../core/models/calibration';
import { CliError } from '../../errors';

export interface GateChoice {
  readonly level: ConfidenceLevel | 'custom';
  readonly threshold: number;
  /** Where the threshold came from. */
  readonly source: 'model calibration' | 'uncalibrated default' | 'off' | '--confidence';
}

/** `--confidence`: a level (read through the model's calibration) or a threshold from 0 to 1. */
export function gateChoice(flag: string | undefined, calibration: CompletionCalibration | undefined): GateChoice {
  const value = flag ?? 'balanced';
  if ((CONFIDENCE_LEVELS as readonly string[]).includes(value)) {
    const level = value as ConfidenceLevel;
    const own = calibration?.score === SCORE_VERSION;
    return { level, threshold: levelThreshold(level, SCORE_VERSION, calibration), source: level === 'off' ? 'off' : own ? 'model calibration' : 'uncalibrated default' };
  }
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n <= 1)) throw new CliError(`--confidence must be ${CONFIDENCE_LEVELS.join(', ')} or a threshold from 0 to 1, got '${value}'`);
  return { level: 'custom', threshold: n, source: '--confidence' };
}

export function gateReport(samples: readonly ScoredSample[], choice: GateChoice, minShown: number) {
  const at = curvePoint(samples, choice.threshold);
  const fitted = calibrate(samples, SCORE_VERSION, minShown);
  return {
    confidence: { level: choice.level, threshold: choice.threshold, source: choice.source, score: SCORE_VERSION },
    shown_rate: at.shown_rate,
    precision_when_shown: at.precision_when_shown,
    exact_shown_rate: at.exact_shown_rate,
    calibrated_here: Object.fromEntries(
      (['low', 'balanced', 'high'] as const).map((level) => {
        const p = curvePoint(samples, fitted.thresholds[level]);
        return [level, { threshold: fitted.thresholds[level], shown_rate: p.shown_rate, precision_when_shown: p.precision_when_shown }];
      }),
    ),
    curve: confidenceCurve(samples),
  };
}

/** Writes the thresholds this run measured into the model folder; returns the file's path. */
export function writeCalibration(modelDir: string, samples: readonly ScoredSample[], minShown: number, measured: Record<string, unknown>): string {
  const fitted = calibrate(samples, SCORE_VERSION, minShown);
  const figures = Object.fromEntries(
    (['low', 'balanced', 'high'] as const).map((level) => {
      const p = curvePoint(samples, fitted.thresholds[level]);
      return [level, { shown_rate: round(p.shown_rate), precision_when_shown: p.precision_when_shown === null ? null : round(p.precision_when_shown) }];
    }),
  );
  const path = join(modelDir, CALIBRATION_FILE);
  writeFileSync(path, JSON.stringify({ score: fitted.score, thresholds: fitted.thresholds, measured: { ...measured, n: samples.length, figures } }, null, 2) + '\n');
  return path;
}

const round = (v: number) => Math.round(v * 1e4) / 1e4;
