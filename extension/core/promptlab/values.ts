/**
 * Input values typed as text in the UI (or `--var k=v` on the command line) converted to the
 * kinds the prompt declares, and back to text for display.
 */
import { MAX_JSON_DEPTH, tooDeep } from '../common/json/depth';
import { PromptLabError } from './errors';
import type { PromptInput } from './prompty/types';
import { errorMessage } from '../../base/errorText';

export function coerceValue(input: PromptInput | undefined, text: string, file: string): unknown {
  switch (input?.kind) {
    case 'number': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) throw new PromptLabError(`'${text}' is not a number`, { file, field: `inputs.${input.name}` });
      return n;
    }
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw new PromptLabError(`'${text}' is not true or false`, { file, field: `inputs.${input.name}` });
      return text === 'true';
    case 'array':
    case 'object':
      let value: unknown;
      try {
        value = JSON.parse(text) as unknown;
      } catch (err) {
        throw new PromptLabError(`not valid JSON: ${errorMessage(err)}`, { file, field: `inputs.${input.name}` });
      }
      if (tooDeep(value)) throw new PromptLabError(`nests more than ${MAX_JSON_DEPTH} levels deep`, { file, field: `inputs.${input.name}` });
      return value;
    default:
      return text;
  }
}

/** Names that could reach an object's prototype are never template variables. */
export function isVariableName(name: string): boolean {
  return /^[A-Za-z_]\w*$/.test(name) && name !== '__proto__' && name !== 'constructor' && name !== 'prototype';
}

export function coerceValues(inputs: readonly PromptInput[], values: Readonly<Record<string, string>>, file: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(values)) if (isVariableName(name)) out[name] = coerceValue(inputs.find((i) => i.name === name), text, file);
  return out;
}

export function displayValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
