/**
 * The parts of a .prompty file Prompt Lab understands (v1 fields plus the v2 draft's
 * `inputs` list with `kind`). Everything else in the front matter is kept as-is in the YAML
 * document and written back untouched.
 */
export type ModelApi = 'chat' | 'completion';

export type InputKind = 'string' | 'number' | 'boolean' | 'object' | 'array';

export interface PromptInput {
  readonly name: string;
  readonly kind: InputKind;
  readonly description?: string;
  readonly default?: unknown;
  readonly required?: boolean;
}

/** Sampling parameters in Lathe's own names; the file uses OpenAI names (`top_p`, `max_tokens`). */
export interface PromptParameters {
  readonly temperature?: number;
  readonly topP?: number;
  readonly topK?: number;
  readonly minP?: number;
  readonly maxTokens?: number;
  readonly stop?: readonly string[];
  readonly seed?: number;
}

export interface PromptModel {
  readonly api: ModelApi;
  readonly configuration: Readonly<Record<string, unknown>>;
  readonly parameters: PromptParameters;
}

export interface PromptSpec {
  readonly name: string;
  readonly description: string;
  readonly model: PromptModel;
  readonly inputs: readonly PromptInput[];
  /** Example values for the inputs (the `sample` field). */
  readonly sample: Readonly<Record<string, unknown>>;
  /** Template engine; only `jinja2` is supported. */
  readonly templateFormat: string;
  /** The prompt body (after the front matter), with role markers. */
  readonly body: string;
}

/** Parameter names in the file, mapped to Lathe's names. */
export const PARAMETER_FILE_NAMES: Readonly<Record<keyof PromptParameters, string>> = {
  temperature: 'temperature',
  topP: 'top_p',
  topK: 'top_k',
  minP: 'min_p',
  maxTokens: 'max_tokens',
  stop: 'stop',
  seed: 'seed',
};
