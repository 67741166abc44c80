/**
 * The canonical shape every dataset format converts through. A row in any supported format
 * becomes an `Example`; an `Example` can be written back to any format that can hold it.
 * Fields a format does not know are carried in `extra` so that round-trips lose nothing.
 */
export type JsonObject = { [key: string]: unknown };

export const FORMATS = ['openai-chat', 'openai-preference', 'alpaca', 'sharegpt', 'prompt-completion', 'hf-chat', 'fim'] as const;
export type FormatId = (typeof FORMATS)[number];

export const FORMAT_LABELS: Record<FormatId, string> = {
  'openai-chat': 'OpenAI chat',
  'openai-preference': 'OpenAI preference (DPO)',
  alpaca: 'Alpaca',
  sharegpt: 'ShareGPT',
  'prompt-completion': 'Prompt/completion',
  'hf-chat': 'Hugging Face chat',
  fim: 'FIM code',
};

export function isFormatId(value: unknown): value is FormatId {
  return typeof value === 'string' && (FORMATS as readonly string[]).includes(value);
}

/** Message content as the formats carry it: text, null (tool calls only) or content parts. */
export type MessageContent = string | null | readonly unknown[];

export interface Message {
  readonly role: string;
  readonly content: MessageContent;
  /** Other keys of the message object (name, weight, tool_calls, …), in order. */
  readonly extra: JsonObject;
  /** The ShareGPT `from` spelling when it is not the default for `role` (e.g. "user"). */
  readonly sourceRole?: string;
  /** Alpaca's instruction/input split of a user turn, kept while the joined text is unchanged. */
  readonly parts?: { readonly instruction: string; readonly input?: string };
}

export type Example =
  | { readonly kind: 'chat'; readonly messages: readonly Message[]; readonly extra: JsonObject }
  | {
      readonly kind: 'preference';
      readonly input: readonly Message[];
      readonly preferred: readonly Message[];
      readonly nonPreferred: readonly Message[];
      /** Keys of the `input` object besides `messages` (tools, parallel_tool_calls). */
      readonly inputExtra: JsonObject;
      readonly extra: JsonObject;
    }
  | { readonly kind: 'completion'; readonly prompt: string; readonly completion: string; readonly extra: JsonObject }
  | { readonly kind: 'fim'; readonly prefix: string; readonly suffix: string; readonly middle: string; readonly extra: JsonObject };

/** Why a value could not be read as, or written to, a format; `kind` 'content-type' when a message's content has the wrong type. */
export class FormatError extends Error {
  constructor(
    message: string,
    readonly kind: 'field' | 'content-type' = 'field',
  ) {
    super(message);
    this.name = 'FormatError';
  }
}

/** A JSON value's type as a user reads it: string, number, boolean, null, list or object. */
export function jsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  return typeof v;
}

/** "messages[0].content must be a string or a list of parts, got number". */
export function contentTypeMessage(field: string, value: unknown): string {
  return `${field} must be a string or a list of parts, got ${jsonTypeName(value)}`;
}

/** The text of a message's content: strings as they are, text parts joined, null as ''. */
export function contentText(content: MessageContent): string {
  if (typeof content === 'string') return content;
  if (content === null) return '';
  const texts: string[] = [];
  for (const part of content) {
    if (typeof part === 'object' && part !== null && typeof (part as JsonObject).text === 'string') texts.push((part as JsonObject).text as string);
  }
  return texts.join('\n');
}
