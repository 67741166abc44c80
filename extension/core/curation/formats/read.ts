/**
 * Reading one row of a known format into the canonical `Example`. Throws FormatError naming
 * the field that is missing or of the wrong type; the linter reports the finer problems.
 */
import { isObject } from './detect';
import { contentTypeMessage, FormatError, type Example, type FormatId, type JsonObject, type Message, type MessageContent } from './types';

/** ShareGPT `from` values and the roles they mean. */
export const SHAREGPT_ROLES: Record<string, string> = {
  human: 'user',
  user: 'user',
  gpt: 'assistant',
  assistant: 'assistant',
  system: 'system',
  function_call: 'assistant',
  observation: 'tool',
  tool: 'tool',
};

export const SHAREGPT_FROM: Record<string, string> = { user: 'human', assistant: 'gpt', system: 'system', tool: 'observation' };

function rest(obj: JsonObject, known: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) if (!known.includes(k)) out[k] = v;
  return out;
}

function text(obj: JsonObject, key: string, optional = false): string {
  const v = obj[key];
  if (v === undefined && optional) return '';
  if (typeof v !== 'string') throw new FormatError(`'${key}' must be a string`);
  return v;
}

/** A message's content; `field` names it as written ("messages[0].content"). */
function content(v: unknown, field: string): MessageContent {
  if (typeof v === 'string' || v === null || Array.isArray(v)) return v;
  if (v === undefined) return null;
  throw new FormatError(contentTypeMessage(field, v), 'content-type');
}

function roleContentMessages(list: unknown, key: string): Message[] {
  if (!Array.isArray(list)) throw new FormatError(`'${key}' must be a list`);
  return list.map((m, i) => {
    if (!isObject(m)) throw new FormatError(`${key}[${i}] must be an object`);
    if (typeof m.role !== 'string') throw new FormatError(`${key}[${i}] has no role`);
    return { role: m.role, content: content(m.content, `${key}[${i}].content`), extra: rest(m, ['role', 'content']) };
  });
}

function shareGptMessages(list: unknown): Message[] {
  if (!Array.isArray(list)) throw new FormatError(`'conversations' must be a list`);
  return list.map((m, i) => {
    if (!isObject(m)) throw new FormatError(`conversations[${i}] must be an object`);
    if (typeof m.from !== 'string') throw new FormatError(`conversations[${i}] has no 'from'`);
    const role = SHAREGPT_ROLES[m.from] ?? m.from;
    const msg: Message = { role, content: content(m.value, `conversations[${i}].value`), extra: rest(m, ['from', 'value']) };
    return SHAREGPT_FROM[role] === m.from ? msg : { ...msg, sourceRole: m.from };
  });
}

export function alpacaUserText(instruction: string, input: string | undefined): string {
  return input === undefined || input === '' ? instruction : `${instruction}\n\n${input}`;
}

export function readExample(format: FormatId, value: unknown): Example {
  if (!isObject(value)) throw new FormatError('the row is not a JSON object');
  switch (format) {
    case 'openai-chat':
      return { kind: 'chat', messages: roleContentMessages(value.messages, 'messages'), extra: rest(value, ['messages']) };
    case 'hf-chat':
      return { kind: 'chat', messages: roleContentMessages(value.conversations, 'conversations'), extra: rest(value, ['conversations']) };
    case 'sharegpt':
      return { kind: 'chat', messages: shareGptMessages(value.conversations), extra: rest(value, ['conversations']) };
    case 'openai-preference': {
      if (!isObject(value.input)) throw new FormatError(`'input' must be an object with 'messages'`);
      return {
        kind: 'preference',
        input: roleContentMessages(value.input.messages, 'input.messages'),
        inputExtra: rest(value.input, ['messages']),
        preferred: roleContentMessages(value.preferred_output, 'preferred_output'),
        nonPreferred: roleContentMessages(value.non_preferred_output, 'non_preferred_output'),
        extra: rest(value, ['input', 'preferred_output', 'non_preferred_output']),
      };
    }
    case 'alpaca': {
      const instruction = text(value, 'instruction');
      const input = value.input === undefined ? undefined : text(value, 'input');
      const messages: Message[] = [];
      if (typeof value.system === 'string') messages.push({ role: 'system', content: value.system, extra: {} });
      const user: Message = { role: 'user', content: alpacaUserText(instruction, input), extra: {}, parts: { instruction, input } };
      messages.push(user, { role: 'assistant', content: text(value, 'output'), extra: {} });
      return { kind: 'chat', messages, extra: rest(value, ['instruction', 'input', 'output', 'system']) };
    }
    case 'prompt-completion':
      return { kind: 'completion', prompt: text(value, 'prompt'), completion: text(value, 'completion'), extra: rest(value, ['prompt', 'completion']) };
    case 'fim':
      return {
        kind: 'fim',
        prefix: text(value, 'prefix'),
        suffix: text(value, 'suffix'),
        middle: text(value, 'middle'),
        extra: rest(value, ['prefix', 'suffix', 'middle']),
      };
  }
}
