/**
 * Writing a canonical `Example` in a format. Conversions that would lose information say so in
 * `warnings`; conversions that cannot be done (a multi-turn chat as Alpaca) throw FormatError.
 */
import { alpacaUserText, SHAREGPT_FROM } from './read';
import { contentText, FormatError, type Example, type FormatId, type JsonObject, type Message } from './types';
import { FAMILY_FIM, type FimTokens } from '../../models/fim';

export interface Written {
  readonly value: JsonObject;
  readonly warnings: readonly string[];
}

/** Fill-in-the-middle markers used when FIM rows become prompt/completion text (Qwen's by default). */
export const DEFAULT_FIM_TOKENS: FimTokens = FAMILY_FIM.qwen.tokens;

const FORMAT_KEYS: Record<FormatId, readonly string[]> = {
  'openai-chat': ['messages'],
  'hf-chat': ['conversations'],
  sharegpt: ['conversations'],
  'openai-preference': ['input', 'preferred_output', 'non_preferred_output'],
  alpaca: ['instruction', 'input', 'output', 'system'],
  'prompt-completion': ['prompt', 'completion'],
  fim: ['prefix', 'suffix', 'middle'],
};

function withExtra(format: FormatId, value: JsonObject, extra: JsonObject, warnings: string[]): JsonObject {
  const out: JsonObject = { ...value };
  for (const [k, v] of Object.entries(extra)) {
    if (FORMAT_KEYS[format].includes(k)) warnings.push(`dropped top-level '${k}': it is a ${format} field`);
    else out[k] = v;
  }
  return out;
}

function roleContent(messages: readonly Message[]): JsonObject[] {
  return messages.map((m) => ({ role: m.role, content: m.content, ...m.extra }));
}

function shareGpt(messages: readonly Message[]): JsonObject[] {
  return messages.map((m) => ({ from: m.sourceRole ?? SHAREGPT_FROM[m.role] ?? m.role, value: m.content, ...m.extra }));
}

/** A chat of [system?] user assistant, as the single-turn formats need; otherwise throws. */
function singleTurn(messages: readonly Message[], target: FormatId, warnings: string[]): { system?: Message; user: Message; assistant: Message } {
  const system = messages[0]?.role === 'system' ? messages[0] : undefined;
  const turns = system ? messages.slice(1) : messages;
  if (turns.length !== 2 || turns[0].role !== 'user' || turns[1].role !== 'assistant') {
    throw new FormatError(`${target} holds one user turn and one assistant answer; this row has ${messages.length} messages (${messages.map((m) => m.role).join(', ')})`);
  }
  for (const m of messages) {
    if (Object.keys(m.extra).length > 0) warnings.push(`dropped message keys ${Object.keys(m.extra).join(', ')}: ${target} has no place for them`);
    if (typeof m.content !== 'string') warnings.push(`${m.role} content parts were flattened to text`);
  }
  return { system, user: turns[0], assistant: turns[1] };
}

function chatAs(format: FormatId, messages: readonly Message[], extra: JsonObject, warnings: string[]): JsonObject {
  switch (format) {
    case 'openai-chat':
      return withExtra(format, { messages: roleContent(messages) }, extra, warnings);
    case 'hf-chat':
      return withExtra(format, { conversations: roleContent(messages) }, extra, warnings);
    case 'sharegpt':
      return withExtra(format, { conversations: shareGpt(messages) }, extra, warnings);
    case 'alpaca': {
      const { system, user, assistant } = singleTurn(messages, format, warnings);
      const userText = contentText(user.content);
      const parts = user.parts && alpacaUserText(user.parts.instruction, user.parts.input) === userText ? user.parts : { instruction: userText, input: '' };
      const value: JsonObject = { instruction: parts.instruction };
      if (parts.input !== undefined) value.input = parts.input;
      value.output = contentText(assistant.content);
      if (system) value.system = contentText(system.content);
      return withExtra(format, value, extra, warnings);
    }
    case 'prompt-completion': {
      const { system, user, assistant } = singleTurn(messages, format, warnings);
      if (system) warnings.push('the system message was prepended to the prompt');
      const prompt = system ? `${contentText(system.content)}\n\n${contentText(user.content)}` : contentText(user.content);
      return withExtra(format, { prompt, completion: contentText(assistant.content) }, extra, warnings);
    }
    case 'openai-preference':
      throw new FormatError('a chat row has no rejected answer to make a preference pair');
    case 'fim':
      throw new FormatError('a chat row has no prefix/suffix/middle code to make a FIM example');
  }
}

function parseFimPrompt(prompt: string, tokens: FimTokens): { prefix: string; suffix: string } | undefined {
  if (!prompt.startsWith(tokens.prefix)) return undefined;
  const s = prompt.indexOf(tokens.suffix, tokens.prefix.length);
  if (s < 0 || !prompt.endsWith(tokens.middle)) return undefined;
  const m = prompt.length - tokens.middle.length;
  if (m < s + tokens.suffix.length) return undefined;
  return { prefix: prompt.slice(tokens.prefix.length, s), suffix: prompt.slice(s + tokens.suffix.length, m) };
}

export function writeExample(format: FormatId, example: Example, fim: FimTokens = DEFAULT_FIM_TOKENS): Written {
  const warnings: string[] = [];
  const done = (value: JsonObject): Written => ({ value, warnings });
  switch (example.kind) {
    case 'chat':
      return done(chatAs(format, example.messages, example.extra, warnings));
    case 'preference':
      if (format === 'openai-preference') {
        return done(
          withExtra(format, {
            input: { messages: roleContent(example.input), ...example.inputExtra },
            preferred_output: roleContent(example.preferred),
            non_preferred_output: roleContent(example.nonPreferred),
          }, example.extra, warnings),
        );
      }
      warnings.push('non_preferred_output was dropped: the target format keeps only the preferred answer');
      if (Object.keys(example.inputExtra).length > 0) warnings.push(`dropped input keys ${Object.keys(example.inputExtra).join(', ')}`);
      return done(chatAs(format, [...example.input, ...example.preferred], example.extra, warnings));
    case 'completion': {
      if (format === 'prompt-completion') return done(withExtra(format, { prompt: example.prompt, completion: example.completion }, example.extra, warnings));
      if (format === 'fim') {
        const parsed = parseFimPrompt(example.prompt, fim);
        if (!parsed) throw new FormatError(`the prompt is not ${fim.prefix}…${fim.suffix}…${fim.middle} text`);
        return done(withExtra(format, { ...parsed, middle: example.completion }, example.extra, warnings));
      }
      const messages: Message[] = [
        { role: 'user', content: example.prompt, extra: {} },
        { role: 'assistant', content: example.completion, extra: {} },
      ];
      return done(chatAs(format, messages, example.extra, warnings));
    }
    case 'fim': {
      if (format === 'fim') return done(withExtra(format, { prefix: example.prefix, suffix: example.suffix, middle: example.middle }, example.extra, warnings));
      if (format === 'prompt-completion') {
        const prompt = `${fim.prefix}${example.prefix}${fim.suffix}${example.suffix}${fim.middle}`;
        return done(withExtra(format, { prompt, completion: example.middle }, example.extra, warnings));
      }
      throw new FormatError(`a FIM example converts only to prompt/completion, not ${format}`);
    }
  }
}
