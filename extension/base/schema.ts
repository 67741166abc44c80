/**
 * Small structural schemas for values that cross a boundary (webview ↔ host, worker ↔ host).
 * A schema is a check: it returns an error naming the field that is wrong (under `path`), or
 * undefined when the value fits. It also carries, for the compiler only, the type of the
 * values it accepts, so a wire type is declared once, as its schema: `Infer<typeof schema>`.
 * Environment-free: the webview bundles it too.
 */
import { isRecord } from './records';

/** The error for a value that does not fit (naming `path` and below), or undefined. */
export type Check = (value: unknown, path: string) => string | undefined;

declare const TYPE: unique symbol;
declare const OPTIONAL: unique symbol;

/** A check whose accepted values have type T (T exists for the compiler only). */
export type Schema<T> = Check & { readonly [TYPE]?: T };

/** A field that may be absent: `object()` makes it an optional property. */
export type OptionalSchema<T> = Schema<T | undefined> & { readonly [OPTIONAL]: true };

/** The type a schema accepts; `unknown` for a plain Check. */
export type Infer<S extends Check> = S extends Schema<infer T> ? T : never;

/** A check written by hand, declared to accept values of type T. */
export function custom<T>(check: Check): Schema<T> {
  return check;
}

export const str: Schema<string> = (v, p) => (typeof v === 'string' ? undefined : `${p} must be a string`);
export const num: Schema<number> = (v, p) => (typeof v === 'number' && Number.isFinite(v) ? undefined : `${p} must be a finite number`);
export const bool: Schema<boolean> = (v, p) => (typeof v === 'boolean' ? undefined : `${p} must be a boolean`);
/** Any value (for data the receiver only passes on). */
export const unknownValue: Schema<unknown> = () => undefined;

/** An integer in [min, max]. */
export function int(min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Schema<number> {
  return (v, p) => (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? undefined : `${p} must be an integer in [${min}, ${max}]`);
}

/** A string of at most `max` characters. */
export function text(max: number): Schema<string> {
  return (v, p) => (typeof v === 'string' && v.length <= max ? undefined : `${p} must be a string of at most ${max} characters`);
}

export function optional<T>(check: Schema<T>): OptionalSchema<T> {
  return ((v: unknown, p: string) => (v === undefined ? undefined : check(v, p))) as OptionalSchema<T>;
}

export function nullable<T>(check: Schema<T>): Schema<T | null> {
  return (v, p) => (v === null ? undefined : check(v, p));
}

export function oneOf<const V extends readonly string[]>(...values: V): Schema<V[number]> {
  return (v, p) => (typeof v === 'string' && values.includes(v) ? undefined : `${p} must be one of ${values.join(', ')}`);
}

export function arrayOf<T>(check: Schema<T>, maxLength = 100_000): Schema<readonly T[]> {
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

export function recordOf<T>(check: Schema<T>): Schema<Readonly<Record<string, T>>> {
  return (v, p) => {
    if (!isRecord(v)) return `${p} must be an object`;
    for (const [k, item] of Object.entries(v)) {
      const err = check(item, `${p}.${k}`);
      if (err) return err;
    }
    return undefined;
  };
}

export type Shape = Readonly<Record<string, Check>>;

type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { readonly [OPTIONAL]: true } ? K : never }[keyof S];
type Flat<T> = { [K in keyof T]: T[K] } & {};

/** The object type a shape describes: read-only properties, optional where the schema is. */
export type ObjectOf<S extends Shape> = Flat<
  { readonly [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { readonly [K in OptionalKeys<S>]?: Infer<S[K]> }
>;

/** An object with exactly these fields (an unknown field is an error). Spread `shape` to extend one. */
export function object<const S extends Shape>(shape: S): Schema<ObjectOf<S>> & { readonly shape: S } {
  const check: Check = (v, p) => {
    if (!isRecord(v)) return `${p} must be an object`;
    for (const [key, fieldCheck] of Object.entries(shape)) {
      const err = fieldCheck(v[key], `${p}.${key}`);
      if (err) return err;
    }
    for (const key of Object.keys(v)) {
      if (!Object.hasOwn(shape, key)) return `${p}.${key} is not a known field`;
    }
    return undefined;
  };
  return Object.assign(check, { shape });
}
