/** JSON documents of a model folder, with errors that name the file. */
import { existsSync, readFileSync } from 'node:fs';
import { errorMessage } from '../../base/errorText';
import { isRecord } from '../../base/records';
import { ModelFolderError } from './errors';

export type JsonObject = Record<string, unknown>;

export function readJsonFile(path: string, required: true): JsonObject;
export function readJsonFile(path: string, required: false): JsonObject | undefined;
export function readJsonFile(path: string, required: boolean): JsonObject | undefined {
  if (!existsSync(path)) {
    if (!required) return undefined;
    throw new ModelFolderError('missing-file', 'required file is missing', path);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ModelFolderError('invalid-file', `cannot read: ${errorMessage(err)}`, path, { cause: err });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ModelFolderError('invalid-file', `not valid JSON: ${errorMessage(err)}`, path, { cause: err });
  }
  if (!isRecord(value)) throw new ModelFolderError('invalid-file', 'expected a JSON object at the top level', path);
  return value;
}

/** `bos_token` and friends are either a string or an AddedToken-shaped object. */
export function tokenContent(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value.content === 'string') return value.content;
  return undefined;
}
