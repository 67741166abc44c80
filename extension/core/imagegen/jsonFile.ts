/** Reads the JSON files of an image model folder with errors that name the file and the field. */
import { existsSync, readFileSync } from 'node:fs';
import { errorMessage } from '../../base/errorText';
import { ImageGenError } from './errors';

export type JsonObject = Record<string, unknown>;

export function readJsonObject(path: string): JsonObject {
  if (!existsSync(path)) throw new ImageGenError('missing-file', 'the file is missing', path);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ImageGenError('invalid-file', `not valid JSON: ${errorMessage(err)}`, path, { cause: err });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new ImageGenError('invalid-file', 'must hold a JSON object', path);
  return doc as JsonObject;
}

/** Typed field access that reports `file: field …` on a wrong type or a missing required value. */
export class JsonFields {
  constructor(
    readonly doc: JsonObject,
    readonly file: string,
  ) {}

  private fail(key: string, want: string): never {
    throw new ImageGenError('invalid-file', `"${key}" must be ${want} (found ${JSON.stringify(this.doc[key])})`, this.file);
  }

  number(key: string, fallback?: number): number {
    const v = this.doc[key];
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback;
      throw new ImageGenError('invalid-file', `"${key}" is missing`, this.file);
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(key, 'a number');
    return v;
  }

  positiveInt(key: string, fallback?: number): number {
    const v = this.number(key, fallback);
    if (!Number.isInteger(v) || v <= 0) this.fail(key, 'a positive integer');
    return v;
  }

  string(key: string, fallback?: string): string {
    const v = this.doc[key];
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback;
      throw new ImageGenError('invalid-file', `"${key}" is missing`, this.file);
    }
    if (typeof v !== 'string') this.fail(key, 'a string');
    return v;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.doc[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') this.fail(key, 'true or false');
    return v;
  }

  oneOf<T extends string>(key: string, values: readonly T[], fallback: T): T {
    const v = this.string(key, fallback);
    if (!(values as readonly string[]).includes(v)) this.fail(key, `one of ${values.join(', ')}`);
    return v as T;
  }

  numberArray(key: string): number[] | undefined {
    const v = this.doc[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) this.fail(key, 'an array of numbers');
    return v;
  }
}
