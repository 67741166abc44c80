/**
 * The sampling flags every generating command takes (`generate`, `prompt run`, `eval`), parsed
 * once with errors that name the flag. Unset flags stay unset, so the model's or the prompt's
 * own parameters apply.
 */
import type { SamplingParams } from '../core/engine/shared/generator';
import { intFlag, numberFlag, type FlagSpec } from './args';

export const SAMPLING_FLAGS = {
  temperature: { type: 'string' },
  'top-p': { type: 'string' },
  'top-k': { type: 'string' },
  'min-p': { type: 'string' },
  'repetition-penalty': { type: 'string' },
  seed: { type: 'string' },
  'max-tokens': { type: 'string' },
  stop: { type: 'string', multiple: true },
} as const satisfies FlagSpec;

export const SAMPLING_HELP = `  --temperature T      0 = greedy
  --top-p P, --top-k K, --min-p P, --repetition-penalty R
  --seed S             seed for sampling
  --max-tokens N       tokens to generate
  --stop TEXT          stop sequence (repeatable)`;

export interface SamplingFlagValues {
  readonly temperature?: string;
  readonly 'top-p'?: string;
  readonly 'top-k'?: string;
  readonly 'min-p'?: string;
  readonly 'repetition-penalty'?: string;
  readonly seed?: string;
  readonly 'max-tokens'?: string;
  readonly stop?: string[];
}

export interface SamplingOverrides extends SamplingParams {
  readonly maxTokens?: number;
  readonly stop?: string[];
}

/** The sampling flags that were given; absent ones are left out (not `undefined` keys). */
export function samplingFromFlags(v: SamplingFlagValues): SamplingOverrides {
  const num = (x: string | undefined, name: string) => (x === undefined ? undefined : numberFlag(x, name, 0));
  const int = (x: string | undefined, name: string) => (x === undefined ? undefined : intFlag(x, name, 0));
  const all: SamplingOverrides = {
    temperature: num(v.temperature, 'temperature'),
    topP: num(v['top-p'], 'top-p'),
    topK: int(v['top-k'], 'top-k'),
    minP: num(v['min-p'], 'min-p'),
    repetitionPenalty: num(v['repetition-penalty'], 'repetition-penalty'),
    seed: int(v.seed, 'seed'),
    maxTokens: int(v['max-tokens'], 'max-tokens'),
    stop: v.stop,
  };
  return Object.fromEntries(Object.entries(all).filter(([, x]) => x !== undefined));
}
