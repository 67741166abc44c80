/** Flags about the model that several commands share, parsed with errors that name the flag. */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FimOrder } from '../core/models/fim';
import { DTYPE_CHOICES, type DtypeChoice } from '../core/models/onnxFiles';
import { CliError } from './errors';

export function dtypeFlag(value: string | undefined): DtypeChoice {
  const dtype = (value ?? 'auto') as DtypeChoice;
  if (!DTYPE_CHOICES.includes(dtype)) throw new CliError(`--dtype must be one of ${DTYPE_CHOICES.join(', ')}, got '${value}'`);
  return dtype;
}

export function fimOrderFlag(value: string | undefined): FimOrder | undefined {
  if (value !== undefined && value !== 'psm' && value !== 'spm') throw new CliError(`--fim-order must be psm or spm, got '${value}'`);
  return value;
}

/** `--heal on|off` (token healing, default on as in the editor). */
export function healFlag(value: string | undefined): boolean {
  return onOffFlag('heal', value);
}

/** `--copy on|off` (prompt copy, default on as in the editor). */
export function copyFlag(value: string | undefined): boolean {
  return onOffFlag('copy', value);
}

function onOffFlag(name: string, value: string | undefined): boolean {
  if (value !== undefined && value !== 'on' && value !== 'off') throw new CliError(`--${name} must be on or off, got '${value}'`);
  return value !== 'off';
}

/** `--beams N`: beam search width of a completion's first line; undefined keeps the pipeline's default. */
export function beamsFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 8) throw new CliError(`--beams must be an integer from 1 to 8, got '${value}'`);
  return n;
}

/** `--model DIR` resolved, or the embedded model next to the bundle (dist/../models) or in the source tree. */
export function modelDirFlag(value: string | undefined): string {
  if (value) return checkModelFolder(resolve(value), value);
  for (let d = __dirname, i = 0; i < 5; i++, d = join(d, '..')) {
    const candidate = join(d, 'models', 'lathe-code-mini');
    if (existsSync(join(candidate, 'config.json'))) return candidate;
  }
  throw new CliError('no --model given and the embedded model models/lathe-code-mini was not found next to the CLI');
}

/**
 * `dir` if it looks like a model folder; otherwise a one-line error that says what is missing
 * (the folder itself, or its config.json), before anything tries to read tokens or weights.
 */
export function checkModelFolder(dir: string, given = dir): string {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new CliError(`--model ${given}: no such folder`);
  }
  if (!isDir) throw new CliError(`--model ${given} is a file; it must be a model folder (config.json, tokenizer.json, onnx/model*.onnx)`);
  if (!existsSync(join(dir, 'config.json'))) throw new CliError(`--model ${given} is not a model folder: it has no config.json (expected config.json, tokenizer.json, onnx/model*.onnx)`);
  return dir;
}

export const EMBEDDED_IMAGE_MODEL = 'lathe-image-mini';

/** `--model DIR` for image commands, or the embedded image model next to the bundle or in the source tree. */
export function imageModelDirFlag(value: string | undefined): string {
  if (value) return resolve(value);
  for (let d = __dirname, i = 0; i < 5; i++, d = join(d, '..')) {
    const candidate = join(d, 'models', EMBEDDED_IMAGE_MODEL);
    if (existsSync(join(candidate, 'model_index.json'))) return candidate;
  }
  throw new CliError(`no --model given and the embedded image model models/${EMBEDDED_IMAGE_MODEL} was not found next to the CLI`);
}
