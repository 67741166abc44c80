/**
 * The training noise schedule: betas per training timestep (linear, scaled_linear,
 * squaredcos_cap_v2 or explicit) and their cumulative alpha products ᾱ_t = Π (1 − β_i).
 */
import type { SchedulerConfig } from '../schedulerConfig';

function linspace(start: number, end: number, n: number): number[] {
  if (n === 1) return [start];
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(start + ((end - start) * i) / (n - 1));
  return out;
}

export function betas(config: SchedulerConfig): number[] {
  const n = config.numTrainTimesteps;
  if (config.trainedBetas) return [...config.trainedBetas];
  switch (config.betaSchedule) {
    case 'linear':
      return linspace(config.betaStart, config.betaEnd, n);
    case 'scaled_linear':
      return linspace(Math.sqrt(config.betaStart), Math.sqrt(config.betaEnd), n).map((b) => b * b);
    case 'squaredcos_cap_v2': {
      // Cosine schedule: ᾱ(t) = cos²((t + 0.008) / 1.008 · π/2), β_i = 1 − ᾱ((i+1)/n) / ᾱ(i/n), capped at 0.999.
      const alphaBar = (t: number) => Math.cos(((t + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push(Math.min(1 - alphaBar((i + 1) / n) / alphaBar(i / n), 0.999));
      return out;
    }
  }
}

export function alphasCumprod(config: SchedulerConfig): Float64Array {
  const b = betas(config);
  const out = new Float64Array(b.length);
  let p = 1;
  for (let i = 0; i < b.length; i++) {
    p *= 1 - b[i];
    out[i] = p;
  }
  return out;
}

export { linspace };
