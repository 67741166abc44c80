/**
 * Generation parameters as PNG text chunks (tEXt): `prompt`, `negative_prompt`, `seed`,
 * `steps`, `guidance`, `scheduler`, `size` (WxH), `model` and `Software: Lathe`, so any PNG
 * tool shows them and Lathe can re-run an image from its file. tEXt is Latin-1: characters
 * outside it are written as \uXXXX escapes (and a backslash as \\), which reading undoes.
 */
import { ImageGenError } from './errors';
import { MAX_SEED, MAX_STEPS } from './params';
import { SCHEDULER_NAMES, type SchedulerName } from './schedulerConfig';

export interface ImageMetadata {
  readonly prompt: string;
  readonly negativePrompt: string;
  readonly seed: number;
  readonly steps: number;
  readonly guidance: number;
  readonly scheduler: SchedulerName;
  readonly width: number;
  readonly height: number;
  readonly model: string;
}

export const SOFTWARE = 'Lathe';

export function escapeLatin1(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (code <= 0xff) out += ch;
    else for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
  }
  return out;
}

export function unescapeLatin1(text: string): string {
  return text.replace(/\\(\\|u[0-9a-fA-F]{4})/g, (_, esc: string) => (esc === '\\' ? '\\' : String.fromCharCode(parseInt(esc.slice(1), 16))));
}

export function metadataToText(meta: ImageMetadata): Record<string, string> {
  return {
    Software: SOFTWARE,
    prompt: escapeLatin1(meta.prompt),
    negative_prompt: escapeLatin1(meta.negativePrompt),
    seed: String(meta.seed),
    steps: String(meta.steps),
    guidance: String(meta.guidance),
    scheduler: meta.scheduler,
    size: `${meta.width}x${meta.height}`,
    model: escapeLatin1(meta.model),
  };
}

/** Parses the text chunks of a Lathe PNG; `file` names the PNG in errors. */
export function metadataFromText(text: Readonly<Record<string, string>>, file: string): ImageMetadata {
  if (text.prompt === undefined || text.seed === undefined) {
    const keys = Object.keys(text);
    throw new ImageGenError(
      'no-metadata',
      `has no Lathe generation metadata (no "prompt" and "seed" text chunks${keys.length ? `; it has ${keys.map((k) => JSON.stringify(k)).join(', ')}` : ''})`,
      file,
    );
  }
  const bad = (key: string, want: string) => new ImageGenError('no-metadata', `text chunk "${key}" must be ${want} (found ${JSON.stringify(text[key])})`, file);
  const int = (key: string, min: number, max: number) => {
    const v = Number(text[key]);
    if (text[key] === undefined || !/^\d+$/.test(text[key]) || v < min || v > max) throw bad(key, `an integer from ${min} to ${max}`);
    return v;
  };
  const guidance = Number(text.guidance);
  if (text.guidance === undefined || text.guidance.trim() === '' || !Number.isFinite(guidance) || guidance < 0) throw bad('guidance', 'a number ≥ 0');
  const scheduler = text.scheduler as SchedulerName;
  if (!SCHEDULER_NAMES.includes(scheduler)) throw bad('scheduler', `one of ${SCHEDULER_NAMES.join(', ')}`);
  const size = /^(\d+)x(\d+)$/.exec(text.size ?? '');
  if (!size) throw bad('size', 'WIDTHxHEIGHT');
  return {
    prompt: unescapeLatin1(text.prompt),
    negativePrompt: unescapeLatin1(text.negative_prompt ?? ''),
    seed: int('seed', 0, MAX_SEED),
    steps: int('steps', 1, MAX_STEPS),
    guidance,
    scheduler,
    width: Number(size[1]),
    height: Number(size[2]),
    model: unescapeLatin1(text.model ?? ''),
  };
}
