/**
 * scheduler/scheduler_config.json in diffusers' vocabulary: which sampler the model was made
 * for, its noise schedule (betas), what the UNet predicts and how inference timesteps are
 * spaced. Every scheduler reads the same parsed config.
 */
import { ImageGenError } from './errors';
import { JsonFields, readJsonObject } from './jsonFile';

export const SCHEDULER_NAMES = ['ddim', 'euler', 'euler-a', 'lcm'] as const;
export type SchedulerName = (typeof SCHEDULER_NAMES)[number];

export const BETA_SCHEDULES = ['linear', 'scaled_linear', 'squaredcos_cap_v2'] as const;
export type BetaSchedule = (typeof BETA_SCHEDULES)[number];
export const PREDICTION_TYPES = ['epsilon', 'v_prediction'] as const;
export type PredictionType = (typeof PREDICTION_TYPES)[number];
export const TIMESTEP_SPACINGS = ['leading', 'trailing', 'linspace'] as const;
export type TimestepSpacing = (typeof TIMESTEP_SPACINGS)[number];

export interface SchedulerConfig {
  /** The sampler the config names (its `_class_name`), as Lathe calls it. */
  readonly defaultScheduler: SchedulerName;
  readonly numTrainTimesteps: number;
  readonly betaStart: number;
  readonly betaEnd: number;
  readonly betaSchedule: BetaSchedule;
  /** Explicit betas (`trained_betas`), when the config lists them. */
  readonly trainedBetas?: readonly number[];
  readonly predictionType: PredictionType;
  readonly timestepSpacing: TimestepSpacing;
  readonly stepsOffset: number;
  /** DDIM/LCM: the "previous" alpha product of the last step is 1 (else alphas_cumprod[0]). */
  readonly setAlphaToOne: boolean;
  readonly clipSample: boolean;
  readonly clipSampleRange: number;
  /** LCM: the distillation's step count and the boundary-condition timestep scale. */
  readonly originalInferenceSteps: number;
  readonly timestepScaling: number;
}

const CLASS_NAMES: Record<string, SchedulerName> = {
  DDIMScheduler: 'ddim',
  EulerDiscreteScheduler: 'euler',
  EulerAncestralDiscreteScheduler: 'euler-a',
  LCMScheduler: 'lcm',
};

/** Samplers whose config fields Lathe reads the same way; they map onto the nearest of its own. */
const COMPATIBLE_CLASSES: Record<string, SchedulerName> = {
  PNDMScheduler: 'ddim',
  DDPMScheduler: 'ddim',
  LMSDiscreteScheduler: 'euler',
  DPMSolverMultistepScheduler: 'euler',
};

export function parseSchedulerConfig(doc: Record<string, unknown>, file: string): SchedulerConfig {
  const f = new JsonFields(doc, file);
  const className = f.string('_class_name', 'DDIMScheduler');
  const defaultScheduler = CLASS_NAMES[className] ?? COMPATIBLE_CLASSES[className];
  if (!defaultScheduler) {
    throw new ImageGenError('invalid-file', `"_class_name" ${JSON.stringify(className)} is not a scheduler Lathe runs (${Object.keys(CLASS_NAMES).join(', ')})`, file);
  }
  const numTrainTimesteps = f.positiveInt('num_train_timesteps', 1000);
  const trainedBetas = f.numberArray('trained_betas');
  if (trainedBetas && trainedBetas.length !== numTrainTimesteps) {
    throw new ImageGenError('invalid-file', `"trained_betas" has ${trainedBetas.length} values but num_train_timesteps is ${numTrainTimesteps}`, file);
  }
  const betaStart = f.number('beta_start', 0.0001);
  const betaEnd = f.number('beta_end', 0.02);
  if (!(betaStart > 0 && betaEnd < 1 && betaStart <= betaEnd)) {
    throw new ImageGenError('invalid-file', `"beta_start" (${betaStart}) and "beta_end" (${betaEnd}) must satisfy 0 < beta_start ≤ beta_end < 1`, file);
  }
  return {
    defaultScheduler,
    numTrainTimesteps,
    betaStart,
    betaEnd,
    betaSchedule: f.oneOf('beta_schedule', BETA_SCHEDULES, 'linear'),
    trainedBetas,
    predictionType: f.oneOf('prediction_type', PREDICTION_TYPES, 'epsilon'),
    timestepSpacing: f.oneOf('timestep_spacing', TIMESTEP_SPACINGS, 'leading'),
    stepsOffset: Math.trunc(f.number('steps_offset', 0)),
    setAlphaToOne: f.bool('set_alpha_to_one', true),
    clipSample: f.bool('clip_sample', false),
    clipSampleRange: f.number('clip_sample_range', 1),
    originalInferenceSteps: f.positiveInt('original_inference_steps', 50),
    timestepScaling: f.number('timestep_scaling', 10),
  };
}

export function readSchedulerConfig(file: string): SchedulerConfig {
  return parseSchedulerConfig(readJsonObject(file), file);
}
