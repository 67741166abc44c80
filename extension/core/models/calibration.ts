/**
 * `lathe.calibration.json` in a model folder: the confidence gate's score thresholds for this
 * model (written by `lathe bench quality --write-calibration`; what they mean is in
 * core/completion/calibration.ts).
 */
import { isRecord } from '../../base/records';

export type GatedLevel = 'low' | 'balanced' | 'high';

export const CALIBRATION_FILE = 'lathe.calibration.json';

export interface CompletionCalibration {
  /** Version of the score (its signals and weights); a calibration of another score is ignored. */
  readonly score: string;
  readonly thresholds: Readonly<Record<GatedLevel, number>>;
  /** How it was measured (command, samples, figures), for people; not read by Lathe. */
  readonly measured?: unknown;
}

/** Parses `lathe.calibration.json`; throws with what is wrong. */
export function parseCalibration(doc: unknown, path: string): CompletionCalibration {
  if (!isRecord(doc)) throw new Error(`${path}: expected a JSON object`);
  if (typeof doc.score !== 'string') throw new Error(`${path}: "score" must name the score version`);
  const t = doc.thresholds;
  if (!isRecord(t)) throw new Error(`${path}: "thresholds" must be an object with low, balanced and high`);
  const thresholds = {} as Record<GatedLevel, number>;
  for (const level of ['low', 'balanced', 'high'] as const) {
    const v = t[level];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new Error(`${path}: thresholds.${level} must be a number from 0 to 1`);
    thresholds[level] = v;
  }
  return { score: doc.score, thresholds, measured: doc.measured };
}
