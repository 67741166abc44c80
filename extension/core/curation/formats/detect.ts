/**
 * Format detection: per row from the keys it has, per dataset by majority over its rows.
 */
import { isRecord } from '../../../base/records';
import { FORMATS, type FormatId, type JsonObject } from './types';

/** A JSON object row value (see `isRecord`). */
export function isObject(value: unknown): value is JsonObject {
  return isRecord(value);
}

/** The format a parsed row is written in, or undefined when no format's keys are present. */
export function detectRowFormat(value: unknown): FormatId | undefined {
  if (!isObject(value)) return undefined;
  if ('preferred_output' in value || 'non_preferred_output' in value) return 'openai-preference';
  if ('messages' in value) return 'openai-chat';
  if ('conversations' in value) {
    const turns = value.conversations;
    if (Array.isArray(turns) && turns.some((t) => isObject(t) && ('from' in t || 'value' in t))) return 'sharegpt';
    return 'hf-chat';
  }
  if ('instruction' in value && 'output' in value) return 'alpaca';
  if ('prompt' in value && 'completion' in value) return 'prompt-completion';
  if ('prefix' in value && 'suffix' in value && 'middle' in value) return 'fim';
  return undefined;
}

/** Tallies row formats as rows stream past; `best` is the dataset's format (most rows). */
export class FormatTally {
  private readonly counts = new Map<FormatId, number>();
  unknown = 0;

  add(format: FormatId | undefined): void {
    if (format === undefined) this.unknown++;
    else this.counts.set(format, (this.counts.get(format) ?? 0) + 1);
  }

  get best(): FormatId | undefined {
    let best: FormatId | undefined;
    let n = 0;
    for (const f of FORMATS) {
      const c = this.counts.get(f) ?? 0;
      if (c > n) {
        best = f;
        n = c;
      }
    }
    return best;
  }

  get byFormat(): Partial<Record<FormatId, number>> {
    return Object.fromEntries(this.counts);
  }
}
