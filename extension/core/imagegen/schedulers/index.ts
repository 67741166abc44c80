/** Builds the scheduler a generation asked for, with the model's noise schedule and prediction type. */
import type { SchedulerConfig, SchedulerName } from '../schedulerConfig';
import { DdimScheduler } from './ddim';
import { EulerScheduler } from './euler';
import { LcmScheduler } from './lcm';
import type { Scheduler } from './scheduler';

export function createScheduler(name: SchedulerName, config: SchedulerConfig, steps: number): Scheduler {
  switch (name) {
    case 'ddim':
      return new DdimScheduler(config, steps);
    case 'euler':
      return new EulerScheduler(config, steps, 'euler');
    case 'euler-a':
      return new EulerScheduler(config, steps, 'euler-a');
    case 'lcm':
      return new LcmScheduler(config, steps);
  }
}

export type { Scheduler, StepResult, NoiseSource } from './scheduler';
