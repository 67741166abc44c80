/**
 * Latent consistency sampling (LCM): timesteps are picked from the distillation's own
 * `original_inference_steps` grid (t = k·⌊N / original⌋ − 1, descending, at floor-spaced
 * indices). Each step maps x_t to a clean estimate with the consistency boundary condition
 *
 *   c_skip = σ_d² / ((s t)² + σ_d²),  c_out = s t / √((s t)² + σ_d²),  σ_d = 0.5, s = timestep_scaling
 *   denoised = c_out · x̂₀ + c_skip · x_t
 *
 * and, except after the last step, re-noises it to the next timestep:
 * x = √ᾱ_{t'} · denoised + √(1 − ᾱ_{t'}) · z.
 */
import type { SchedulerConfig } from '../schedulerConfig';
import { alphasCumprod } from './noiseSchedule';
import { predictFromAlpha, type NoiseSource, type Scheduler, type StepResult } from './scheduler';

export function lcmTimesteps(config: SchedulerConfig, steps: number): number[] {
  const original = Math.min(config.originalInferenceSteps, config.numTrainTimesteps);
  const k = Math.floor(config.numTrainTimesteps / original);
  const grid: number[] = [];
  for (let i = original; i >= 1; i--) grid.push(i * k - 1);
  const n = Math.min(steps, grid.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(grid[Math.floor((i * grid.length) / n)]);
  return out;
}

export class LcmScheduler implements Scheduler {
  readonly name = 'lcm' as const;
  readonly timesteps: readonly number[];
  readonly initNoiseSigma = 1;
  private readonly acp: Float64Array;
  private readonly finalAlpha: number;

  constructor(
    private readonly config: SchedulerConfig,
    steps: number,
  ) {
    this.acp = alphasCumprod(config);
    this.finalAlpha = config.setAlphaToOne ? 1 : this.acp[0];
    this.timesteps = lcmTimesteps(config, steps);
  }

  scaleModelInput(sample: Float32Array): Float32Array {
    return sample;
  }

  /** The consistency model's boundary-condition scalings at timestep t. */
  boundary(t: number): { cSkip: number; cOut: number } {
    const sd = 0.5;
    const st = t * this.config.timestepScaling;
    return { cSkip: (sd * sd) / (st * st + sd * sd), cOut: st / Math.sqrt(st * st + sd * sd) };
  }

  step(modelOutput: Float32Array, i: number, sample: Float32Array, noise: NoiseSource): StepResult {
    const t = this.timesteps[i];
    const last = i === this.timesteps.length - 1;
    const { x0 } = predictFromAlpha(modelOutput, sample, this.acp[t], this.config.predictionType);
    if (this.config.clipSample) {
      const r = this.config.clipSampleRange;
      for (let k = 0; k < x0.length; k++) x0[k] = Math.min(r, Math.max(-r, x0[k]));
    }
    const { cSkip, cOut } = this.boundary(t);
    const denoised = new Float32Array(sample.length);
    for (let k = 0; k < denoised.length; k++) denoised[k] = cOut * x0[k] + cSkip * sample[k];
    if (last) return { prevSample: denoised, predOriginal: denoised };
    const prevT = this.timesteps[i + 1];
    const acpPrev = prevT >= 0 ? this.acp[prevT] : this.finalAlpha;
    const a = Math.sqrt(acpPrev);
    const b = Math.sqrt(1 - acpPrev);
    const z = noise(sample.length);
    const prev = new Float32Array(sample.length);
    for (let k = 0; k < prev.length; k++) prev[k] = a * denoised[k] + b * z[k];
    return { prevSample: prev, predOriginal: denoised };
  }
}
