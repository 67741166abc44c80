/**
 * DDIM (η = 0, deterministic): x_{t'} = √ᾱ_{t'} x̂₀ + √(1 − ᾱ_{t'}) ε̂ with t' = t − ⌊N / n⌋;
 * past the first training step ᾱ_{t'} is 1 (`set_alpha_to_one`) or ᾱ₀.
 */
import type { SchedulerConfig } from '../schedulerConfig';
import { alphasCumprod } from './noiseSchedule';
import { predictFromAlpha, type NoiseSource, type Scheduler, type StepResult } from './scheduler';
import { inferenceTimesteps } from './timesteps';

export class DdimScheduler implements Scheduler {
  readonly name = 'ddim' as const;
  readonly timesteps: readonly number[];
  readonly initNoiseSigma = 1;
  private readonly acp: Float64Array;
  private readonly finalAlpha: number;
  private readonly stride: number;

  constructor(
    private readonly config: SchedulerConfig,
    steps: number,
  ) {
    this.acp = alphasCumprod(config);
    this.finalAlpha = config.setAlphaToOne ? 1 : this.acp[0];
    this.timesteps = inferenceTimesteps(config, steps, true);
    this.stride = Math.floor(config.numTrainTimesteps / steps);
  }

  scaleModelInput(sample: Float32Array): Float32Array {
    return sample;
  }

  step(modelOutput: Float32Array, i: number, sample: Float32Array, _noise?: NoiseSource): StepResult {
    const t = this.timesteps[i];
    const prevT = t - this.stride;
    const acpPrev = prevT >= 0 ? this.acp[prevT] : this.finalAlpha;
    const { x0, eps } = predictFromAlpha(modelOutput, sample, this.acp[t], this.config.predictionType);
    if (this.config.clipSample) {
      const r = this.config.clipSampleRange;
      for (let k = 0; k < x0.length; k++) x0[k] = Math.min(r, Math.max(-r, x0[k]));
    }
    const a = Math.sqrt(acpPrev);
    const b = Math.sqrt(1 - acpPrev);
    const prev = new Float32Array(sample.length);
    for (let k = 0; k < prev.length; k++) prev[k] = a * x0[k] + b * eps[k];
    return { prevSample: prev, predOriginal: x0 };
  }
}
