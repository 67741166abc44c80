/**
 * Small structural validators for message params. Each returns an error string naming the
 * field that is wrong, or undefined when the value is acceptable.
 */
import { isRecord } from '../base/records';

export type Check = (value: unknown, path: string) => string | undefined;

export const str: Check = (v, p) => (typeof v === 'string' ? undefined : `${p} must be a string`);
export const num: Check = (v, p) => (typeof v === 'number' && Number.isFinite(v) ? undefined : `${p} must be a finite number`);
export const bool: Check = (v, p) => (typeof v === 'boolean' ? undefined : `${p} must be a boolean`);

export function optional(check: Check): Check {
  return (v, p) => (v === undefined ? undefined : check(v, p));
}

export function oneOf(...values: readonly string[]): Check {
  return (v, p) => (typeof v === 'string' && values.includes(v) ? undefined : `${p} must be one of ${values.join(', ')}`);
}

export function arrayOf(check: Check, maxLength = 100_000): Check {
  return (v, p) => {
    if (!Array.isArray(v)) return `${p} must be an array`;
    if (v.length > maxLength) return `${p} has more than ${maxLength} items`;
    for (let i = 0; i < v.length; i++) {
      const err = check(v[i], `${p}[${i}]`);
      if (err) return err;
    }
    return undefined;
  };
}

export function recordOf(check: Check): Check {
  return (v, p) => {
    if (!isRecord(v)) return `${p} must be an object`;
    for (const [k, item] of Object.entries(v)) {
      const err = check(item, `${p}.${k}`);
      if (err) return err;
    }
    return undefined;
  };
}

export function object(shape: Record<string, Check>): Check {
  return (v, p) => {
    if (!isRecord(v)) return `${p} must be an object`;
    for (const [key, check] of Object.entries(shape)) {
      const err = check(v[key], `${p}.${key}`);
      if (err) return err;
    }
    for (const key of Object.keys(v)) {
      if (!(key in shape)) return `${p}.${key} is not a known field`;
    }
    return undefined;
  };
}
