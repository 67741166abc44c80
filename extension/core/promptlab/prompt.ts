/**
 * One prompt, ready to run: a PromptSpec compiled, its inputs resolved (values, then sample,
 * then input defaults), rendered, split into messages and turned into the model's prompt text;
 * chat prompts for a generator with its own chat (a server) go to it as messages.
 */
import { generateChat, type ChatMessage, type GenerateResult, type ModelInfo, type TextGenerator, type TokenEvent } from '../engine/shared/generator';
import { PromptLabError } from './errors';
import { toChatRequest, toGenerateRequest } from './params';
import type { PromptParameters, PromptSpec } from './prompty/types';
import { splitRoles, transcript } from './roles';
import { compileTemplate, missingVariables, type TemplateOrigin } from './template/render';
import { inlineRenderer, type TemplateRenderer } from './template/renderer';
import { isVariableName } from './values';

export type Values = Readonly<Record<string, unknown>>;

export interface PreparedPrompt {
  readonly messages: readonly ChatMessage[];
  /**
   * The exact text the model sees. With `chat`, the server's rendering where it shows it
   * (`/apply-template`), else a transcript of the messages; `promptTokens` then counts that.
   */
  readonly text: string;
  readonly promptTokens: number;
  /** The messages go to the generator's own chat (a server's chat endpoint, which applies the model's template). */
  readonly chat?: boolean;
  readonly model: ModelInfo;
  /** Set when prompt + max tokens do not fit the model's context window. */
  readonly contextWarning?: string;
  /** The prompt was too long to tokenize: `promptTokens` is an estimate, and it cannot run. */
  readonly estimated?: boolean;
  readonly file: string;
}

/**
 * A prompt longer than this many characters per token of the context window is not tokenized
 * (tokenizing megabytes takes tens of seconds): no tokenizer packs that much into one token, so
 * it cannot fit, and its token count is estimated at 4 characters per token.
 */
export const MAX_CHARS_PER_CONTEXT_TOKEN = 16;

/** Values for every input: explicit values win, then `sample`, then input defaults. */
export function resolveValues(spec: PromptSpec, values: Values): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const input of spec.inputs) if (input.default !== undefined && isVariableName(input.name)) out[input.name] = input.default;
  for (const [k, v] of [...Object.entries(spec.sample), ...Object.entries(values)]) if (v !== undefined && isVariableName(k)) out[k] = v;
  return out;
}

/** `estimatedFrom`: the prompt's length in characters when `promptTokens` is an estimate. */
export function contextWarning(promptTokens: number, maxTokens: number, contextLength: number, estimatedFrom?: number): string | undefined {
  if (estimatedFrom !== undefined) return `the prompt is about ${promptTokens} tokens (estimated from its ${estimatedFrom} characters; too long to count); the model's context window is ${contextLength}`;
  if (promptTokens >= contextLength) return `the prompt is ${promptTokens} tokens; the model's context window is ${contextLength}`;
  if (promptTokens + maxTokens > contextLength) {
    return `prompt (${promptTokens}) + max tokens (${maxTokens}) exceed the context window (${contextLength}); output may be cut at ${contextLength - promptTokens} tokens`;
  }
  return undefined;
}

/** The prompt's messages: its template rendered by `renderer` (bounded; off the host's thread in the extension). */
export async function renderMessages(spec: PromptSpec, origin: TemplateOrigin, values: Values, renderer: TemplateRenderer = inlineRenderer, signal?: AbortSignal): Promise<ChatMessage[]> {
  const compiled = compileTemplate(spec.body, origin);
  const all = resolveValues(spec, values);
  const missing = missingVariables(compiled.variables, all);
  if (missing.length > 0) {
    throw new PromptLabError(`undefined variable${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}`, { file: origin.file, line: origin.line, field: 'inputs' });
  }
  return splitRoles(await renderer({ source: spec.body, origin, values: all }, signal));
}

export async function preparePrompt(
  generator: TextGenerator,
  spec: PromptSpec,
  origin: TemplateOrigin,
  values: Values,
  signal?: AbortSignal,
  renderer: TemplateRenderer = inlineRenderer,
): Promise<PreparedPrompt> {
  const messages = await renderMessages(spec, origin, values, renderer, signal);
  const model = await generator.info(signal);
  const chat = spec.model.api !== 'completion' && model.hasChatTemplate && generator.chat !== undefined;
  const text =
    spec.model.api === 'completion'
      ? messages.map((m) => m.content).join('\n\n')
      : !model.hasChatTemplate
        ? transcript(messages)
        : chat
          ? await orElse(generator.renderChat(messages, signal), () => transcript(messages), signal)
          : await generator.renderChat(messages, signal);
  const estimated = text.length > model.contextLength * MAX_CHARS_PER_CONTEXT_TOKEN;
  const estimate = () => Math.ceil(text.length / 4);
  const promptTokens = estimated ? estimate() : chat ? await orElse(generator.tokenize(text, signal).then((t) => t.length), estimate, signal) : (await generator.tokenize(text, signal)).length;
  const maxTokens = spec.model.parameters.maxTokens ?? toGenerateRequest('', {}).maxTokens;
  return { messages, text, promptTokens, chat, model, contextWarning: contextWarning(promptTokens, maxTokens, model.contextLength, estimated ? text.length : undefined), estimated, file: origin.file };
}

/** What `work` gives, or `fallback()` when it fails (a server without that endpoint); a cancel still throws. */
async function orElse<T>(work: Promise<T>, fallback: () => T, signal?: AbortSignal): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (signal?.aborted) throw err;
    return fallback();
  }
}

export function generatePrepared(
  generator: TextGenerator,
  prepared: PreparedPrompt,
  parameters: PromptParameters,
  onToken?: (e: TokenEvent) => void,
  signal?: AbortSignal,
): Promise<GenerateResult> {
  if (prepared.estimated) return Promise.reject(new PromptLabError(prepared.contextWarning ?? 'the prompt is too long', { file: prepared.file }));
  if (prepared.chat) return generateChat(generator, toChatRequest(prepared.messages, parameters, onToken), signal);
  return generator.generate(toGenerateRequest(prepared.text, parameters, onToken), signal);
}
