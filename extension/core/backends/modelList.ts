/**
 * The model list of an OpenAI-compatible server (`GET /v1/models`), read defensively: a server
 * that answers with HTML, or with JSON of another shape, is an error that says so. `lathe
 * serve` adds what a Lathe client needs to know (its FIM tokens and whether it has a chat
 * template) under each entry's `lathe` key; other servers' extras (vLLM's `max_model_len`,
 * `context_length`) give the context window.
 */
import { isRecord } from '../../base/records';
import { FIM_FAMILIES, type FimFamily, type FimSpec } from '../models/fim';

export interface ServerModel {
  readonly id: string;
  readonly ownedBy?: string;
  readonly contextLength?: number;
  /** `lathe serve` only: the model's own FIM tokens (null: it has none). */
  readonly fim?: FimSpec | null;
  /** `lathe serve` only: whether the model has a chat template. */
  readonly chatTemplate?: boolean;
}

export class ModelListError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelListError';
  }
}

const positiveInt = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined);
const str = (v: unknown): v is string => typeof v === 'string';

function parseFim(v: unknown): FimSpec | null | undefined {
  if (v === null) return null;
  if (!isRecord(v) || !isRecord(v.tokens)) return undefined;
  const { family, order, stop, tokens } = v;
  const { prefix, suffix, middle, fileSeparator } = tokens;
  if (!FIM_FAMILIES.includes(family as FimFamily) || (order !== 'psm' && order !== 'spm')) return undefined;
  if (!str(prefix) || !str(suffix) || !str(middle) || (fileSeparator !== undefined && !str(fileSeparator))) return undefined;
  if (!Array.isArray(stop) || !stop.every(str)) return undefined;
  return { family: family as FimFamily, order, stop, declared: v.declared === true, tokens: fileSeparator ? { prefix, suffix, middle, fileSeparator } : { prefix, suffix, middle } };
}

/** The models in a `/v1/models` answer; `what` names the server for errors. */
export function parseModelList(body: unknown, what: string): ServerModel[] {
  if (!isRecord(body) || !Array.isArray(body.data)) throw new ModelListError(`${what} answered JSON without a model list ('data' array)`);
  return body.data.flatMap((entry): ServerModel[] => {
    if (!isRecord(entry) || !str(entry.id) || !entry.id) return [];
    const extra = isRecord(entry.lathe) ? entry.lathe : undefined;
    return [
      {
        id: entry.id,
        ownedBy: str(entry.owned_by) ? entry.owned_by : undefined,
        contextLength: positiveInt(entry.max_model_len) ?? positiveInt(entry.context_length) ?? positiveInt(entry.max_context_length),
        fim: extra ? parseFim(extra.fim) : undefined,
        chatTemplate: extra && typeof extra.chat_template === 'boolean' ? extra.chat_template : undefined,
      },
    ];
  });
}

/** Reads a response that should be a JSON model list; HTML and other shapes are errors naming `what`. */
export async function readModelList(res: Response, what: string): Promise<ServerModel[]> {
  const type = res.headers.get('content-type') ?? '';
  const text = await res.text();
  if (/text\/html/i.test(type) || /^\s*<(!doctype|html)/i.test(text)) throw new ModelListError(`${what} answered with an HTML page, not an OpenAI-compatible model list`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ModelListError(`${what} answered with something that is not JSON (${JSON.stringify(text.slice(0, 60))}…)`);
  }
  return parseModelList(body, what);
}
