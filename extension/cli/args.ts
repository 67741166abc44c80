/**
 * A small flag parser on node:util parseArgs with the errors the CLI wants: unknown flags and
 * bad numbers name the flag.
 */
import { parseArgs } from 'node:util';
import { CliError } from './errors';
import { errorMessage } from '../base/errorText';

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean; default?: string | boolean }>;

export function parseFlags<T extends FlagSpec>(args: string[], spec: T, help: string) {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(help);
    return undefined;
  }
  try {
    return parseArgs({ args, options: spec, allowPositionals: true, strict: true });
  } catch (err) {
    throw new CliError(`${errorMessage(err)}\n\n${help}`);
  }
}

export function intFlag(value: string | undefined, name: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new CliError(`--${name} must be an integer ≥ ${min}, got '${value}'`);
  return n;
}

export function numberFlag(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new CliError(`--${name} must be a number, got '${value}'`);
  return n;
}

export function requireFlag(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new CliError(`--${name} is required`);
  return value;
}
