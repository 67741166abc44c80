/**
 * The sampler interface the pipeline drives. A scheduler is built for one generation (its
 * timesteps depend on the step count) and steps one image's latents at a time, so each image of
 * a batch draws its noise from its own seeded stream.
 */
import type { SchedulerName } from '../schedulerConfig';

export interface StepResult {
  /** The latents for the next step (after the last step: the final latents). */
  readonly prevSample: Float32Array;
  /** The model's current estimate of the clean latents (x̂₀), used for previews. */
  readonly predOriginal: Float32Array;
}

/** Draws `n` standard normal values from the image's seeded noise stream. */
export type NoiseSource = (n: number) => Float32Array;

export interface Scheduler {
  readonly name: SchedulerName;
  /** The timesteps fed to the UNet, one per inference step (descending). */
  readonly timesteps: readonly number[];
  /** Initial latents are standard normal noise times this. */
  readonly initNoiseSigma: number;
  /** The UNet's input for step `i` (Euler samplers divide by √(σ² + 1)). */
  scaleModelInput(sample: Float32Array, i: number): Float32Array;
  step(modelOutput: Float32Array, i: number, sample: Float32Array, noise: NoiseSource): StepResult;
}

/** x̂₀ and ε̂ from the UNet's output at ᾱ_t, for either prediction type. */
export function predictFromAlpha(
  modelOutput: Float32Array,
  sample: Float32Array,
  alphaProd: number,
  predictionType: 'epsilon' | 'v_prediction',
): { x0: Float32Array; eps: Float32Array } {
  const a = Math.sqrt(alphaProd);
  const b = Math.sqrt(1 - alphaProd);
  const x0 = new Float32Array(sample.length);
  const eps = new Float32Array(sample.length);
  for (let i = 0; i < sample.length; i++) {
    if (predictionType === 'epsilon') {
      // x_t = √ᾱ x₀ + √(1−ᾱ) ε
      x0[i] = (sample[i] - b * modelOutput[i]) / a;
      eps[i] = modelOutput[i];
    } else {
      // v = √ᾱ ε − √(1−ᾱ) x₀
      x0[i] = a * sample[i] - b * modelOutput[i];
      eps[i] = a * modelOutput[i] + b * sample[i];
    }
  }
  return { x0, eps };
}
