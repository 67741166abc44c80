/**
 * Euler samplers in σ-space (Karras et al.'s formulation, as diffusers' Euler schedulers):
 * σ_t = √((1 − ᾱ_t) / ᾱ_t), interpolated at the inference timesteps, then a final σ = 0.
 * The UNet sees x / √(σ² + 1).
 *
 * - Euler:           d = (x − x̂₀) / σ_i;  x ← x + d · (σ_{i+1} − σ_i)
 * - Euler ancestral: σ↑ = √(σ_{i+1}² (σ_i² − σ_{i+1}²) / σ_i²), σ↓ = √(σ_{i+1}² − σ↑²);
 *                    x ← x + d · (σ↓ − σ_i) + σ↑ · z
 * x̂₀ = x − σ ε for epsilon models, x̂₀ = x / (σ² + 1) − σ v / √(σ² + 1) for v-prediction.
 */
import type { SchedulerConfig } from '../schedulerConfig';
import { alphasCumprod } from './noiseSchedule';
import type { NoiseSource, Scheduler, StepResult } from './scheduler';
import { inferenceTimesteps, spacingFor } from './timesteps';

/** σ at a (possibly fractional) training timestep, linearly interpolated like numpy's interp. */
function sigmaAt(sigmas: Float64Array, t: number): number {
  if (t <= 0) return sigmas[0];
  if (t >= sigmas.length - 1) return sigmas[sigmas.length - 1];
  const lo = Math.floor(t);
  const f = t - lo;
  return sigmas[lo] * (1 - f) + sigmas[lo + 1] * f;
}

export class EulerScheduler implements Scheduler {
  readonly timesteps: readonly number[];
  /** σ per step plus the final 0. */
  readonly sigmas: readonly number[];
  readonly initNoiseSigma: number;

  constructor(
    private readonly config: SchedulerConfig,
    steps: number,
    readonly name: 'euler' | 'euler-a' = 'euler',
  ) {
    const acp = alphasCumprod(config);
    const all = acp.map((a) => Math.sqrt((1 - a) / a));
    this.timesteps = inferenceTimesteps(config, steps, false);
    this.sigmas = [...this.timesteps.map((t) => sigmaAt(all, t)), 0];
    const max = Math.max(...this.sigmas);
    const spacing = spacingFor(config, steps);
    this.initNoiseSigma = spacing === 'linspace' || spacing === 'trailing' ? max : Math.sqrt(max * max + 1);
  }

  scaleModelInput(sample: Float32Array, i: number): Float32Array {
    const s = 1 / Math.sqrt(this.sigmas[i] ** 2 + 1);
    const out = new Float32Array(sample.length);
    for (let k = 0; k < out.length; k++) out[k] = sample[k] * s;
    return out;
  }

  private predictX0(modelOutput: Float32Array, sample: Float32Array, sigma: number): Float32Array {
    const x0 = new Float32Array(sample.length);
    if (this.config.predictionType === 'epsilon') {
      for (let k = 0; k < x0.length; k++) x0[k] = sample[k] - sigma * modelOutput[k];
    } else {
      const c = sigma * sigma + 1;
      const cOut = -sigma / Math.sqrt(c);
      for (let k = 0; k < x0.length; k++) x0[k] = modelOutput[k] * cOut + sample[k] / c;
    }
    return x0;
  }

  step(modelOutput: Float32Array, i: number, sample: Float32Array, noise: NoiseSource): StepResult {
    const sigma = this.sigmas[i];
    const next = this.sigmas[i + 1];
    const x0 = this.predictX0(modelOutput, sample, sigma);
    const prev = new Float32Array(sample.length);
    if (this.name === 'euler') {
      const dt = next - sigma;
      for (let k = 0; k < prev.length; k++) prev[k] = sample[k] + ((sample[k] - x0[k]) / sigma) * dt;
      return { prevSample: prev, predOriginal: x0 };
    }
    const up = Math.sqrt((next * next * (sigma * sigma - next * next)) / (sigma * sigma));
    const down = Math.sqrt(next * next - up * up);
    const dt = down - sigma;
    const z = up > 0 ? noise(sample.length) : undefined;
    for (let k = 0; k < prev.length; k++) prev[k] = sample[k] + ((sample[k] - x0[k]) / sigma) * dt + (z ? z[k] * up : 0);
    return { prevSample: prev, predOriginal: x0 };
  }
}
