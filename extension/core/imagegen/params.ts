/**
 * Generation parameters: what a caller may ask for, and the checked, fully resolved set a
 * generation runs with (unset values come from the model's defaults). Every out-of-range value
 * is an `invalid-parameter` error naming the parameter.
 */
import { ImageGenError } from './errors';
import type { ImageModelSpec } from './modelFolder';
import { SCHEDULER_NAMES, type SchedulerName } from './schedulerConfig';

export interface ImageRequest {
  readonly prompt: string;
  readonly negativePrompt?: string;
  readonly steps?: number;
  readonly guidance?: number;
  readonly scheduler?: SchedulerName;
  /** 0 … 2³²−1; random when unset. Image i of a batch uses seed + i. */
  readonly seed?: number;
  readonly width?: number;
  readonly height?: number;
  /** Images generated together (1 … MAX_BATCH). */
  readonly batch?: number;
  /** Send a preview of image 0 with each step's progress (when the decoder is cheap enough). */
  readonly previews?: boolean;
}

export interface ImageParams {
  readonly prompt: string;
  readonly negativePrompt: string;
  readonly steps: number;
  readonly guidance: number;
  readonly scheduler: SchedulerName;
  readonly seed: number;
  readonly width: number;
  readonly height: number;
  readonly batch: number;
}

export const MAX_STEPS = 1000;
export const MAX_BATCH = 16;
export const MAX_SIDE = 2048;
export const MAX_SEED = 0xffff_ffff;

function invalid(param: string, problem: string): ImageGenError {
  return new ImageGenError('invalid-parameter', `${param} ${problem}`, param);
}

function integerIn(param: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max) throw invalid(param, `must be an integer from ${min} to ${max} (got ${v})`);
  return v;
}

export function randomSeed(): number {
  return Math.floor(Math.random() * (MAX_SEED + 1));
}

/** Checks `req` against the model and fills in its defaults. */
export function resolveParams(req: ImageRequest, spec: ImageModelSpec, fixedLatent?: { height?: number; width?: number }): ImageParams {
  if (typeof req.prompt !== 'string') throw invalid('prompt', 'must be text');
  const d = spec.defaults;
  const steps = req.steps ?? d.steps;
  if (!Number.isInteger(steps) || steps <= 0 || steps > MAX_STEPS) throw invalid('steps', `must be an integer from 1 to ${MAX_STEPS} (got ${steps})`);
  const guidance = req.guidance ?? d.guidance;
  if (!Number.isFinite(guidance) || guidance < 0) throw invalid('guidance', `must be a number ≥ 0 (got ${guidance})`);
  const scheduler = req.scheduler ?? d.scheduler;
  if (!SCHEDULER_NAMES.includes(scheduler)) throw invalid('scheduler', `must be one of ${SCHEDULER_NAMES.join(', ')} (got ${JSON.stringify(scheduler)})`);
  const seed = integerIn('seed', req.seed ?? randomSeed(), 0, MAX_SEED);
  const batch = integerIn('batch', req.batch ?? 1, 1, MAX_BATCH);
  const factor = spec.decoder.latentFactor;
  const side = (param: 'width' | 'height', v: number) => {
    integerIn(param, v, factor, MAX_SIDE);
    if (v % factor !== 0) throw invalid(param, `must be a multiple of the model's latent factor ${factor} (got ${v}; try ${Math.max(factor, Math.round(v / factor) * factor)})`);
    const fixed = fixedLatent?.[param];
    if (fixed !== undefined && v !== fixed * factor) throw invalid(param, `must be ${fixed * factor}: the UNet was exported for a fixed ${param} (got ${v})`);
    return v;
  };
  return {
    prompt: req.prompt,
    negativePrompt: req.negativePrompt ?? '',
    steps,
    guidance,
    scheduler,
    seed,
    width: side('width', req.width ?? d.width),
    height: side('height', req.height ?? d.height),
    batch,
  };
}

/** "512x512" → { width, height }. */
export function parseSize(text: string, param = 'size'): { width: number; height: number } {
  const m = /^\s*(\d+)\s*[xX×]\s*(\d+)\s*$/.exec(text);
  if (!m) throw invalid(param, `must look like WIDTHxHEIGHT, e.g. 512x512 (got ${JSON.stringify(text)})`);
  return { width: Number(m[1]), height: Number(m[2]) };
}
