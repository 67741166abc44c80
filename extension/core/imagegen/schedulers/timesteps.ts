/**
 * Which training timesteps the inference steps visit, by the config's `timestep_spacing`
 * (the conventions of diffusers' schedulers):
 *
 * - leading:  ratio = ⌊N / n⌋, t_i = round(i · ratio) + steps_offset, descending
 * - trailing: ratio = N / n,   t = round(N − i · ratio) − 1 for i = 0…n−1 (starts at N − 1)
 * - linspace: n evenly spaced values from N − 1 down to 0 (rounded for integer schedulers)
 *
 * One step always starts from the last training timestep (trailing spacing): that is the
 * one-step SD-Turbo path, and any other spacing would start a single step from almost no noise.
 */
import type { SchedulerConfig, TimestepSpacing } from '../schedulerConfig';
import { linspace } from './noiseSchedule';

/** Rounds halves to the even neighbour, as numpy does (diffusers computes timesteps with numpy). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function spacingFor(config: SchedulerConfig, steps: number): TimestepSpacing {
  return steps === 1 ? 'trailing' : config.timestepSpacing;
}

/** Descending timesteps; `integer` rounds linspace values (DDIM) instead of keeping fractions (Euler). */
export function inferenceTimesteps(config: SchedulerConfig, steps: number, integer: boolean): number[] {
  const n = config.numTrainTimesteps;
  switch (spacingFor(config, steps)) {
    case 'leading': {
      const ratio = Math.floor(n / steps);
      const out: number[] = [];
      for (let i = steps - 1; i >= 0; i--) out.push(roundHalfEven(i * ratio) + config.stepsOffset);
      return out;
    }
    case 'trailing': {
      const ratio = n / steps;
      const out: number[] = [];
      for (let i = 0; i < steps; i++) out.push(roundHalfEven(n - i * ratio) - 1);
      return out;
    }
    case 'linspace': {
      const values = linspace(0, n - 1, steps).reverse();
      return integer ? values.map(roundHalfEven) : values;
    }
  }
}
