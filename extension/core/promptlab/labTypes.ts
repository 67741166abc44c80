/**
 * What the Prompt Lab core hands out and takes in: a prompt document, the draft a user edits,
 * an analysis, the streamed tokens and the summary of a run. Views (the host's webview
 * protocol) map these to their own shapes.
 */
import type { Vote } from './cot/answer';
import type { StrategyId } from './cot/config';
import type { WindowFit } from './cot/fit';
import type { ModelApi, PromptInput, PromptParameters } from './prompty/types';

export interface PromptStrategy {
  readonly id: StrategyId;
  readonly label: string;
  /** Samples drawn (self-consistency), 1 otherwise. */
  readonly samples: number;
  /** The answer-extraction rule, as a regular expression. */
  readonly answerPattern: string;
}

export interface PromptDocument {
  /** Where it is saved; undefined for an unsaved copy (e.g. of a chain-of-thought template). */
  readonly path: string | undefined;
  readonly label: string;
  readonly description: string;
  readonly api: ModelApi;
  readonly body: string;
  readonly parameters: PromptParameters;
  /** Declared inputs plus the template's other variables (as string inputs). */
  readonly inputs: readonly PromptInput[];
  /** Input values as typed text (sample values and defaults filled in). */
  readonly values: Readonly<Record<string, string>>;
  readonly strategy: PromptStrategy | undefined;
  /** A shipped template opened with its max tokens fitted to the model's window. */
  readonly windowFit?: WindowFit;
}

/** The editable part of a prompt: its body, parameters and input values as typed text. */
export interface Draft {
  readonly body: string;
  readonly parameters: PromptParameters;
  readonly values: Readonly<Record<string, string>>;
}

/** What went wrong, with the line and front-matter field when known. */
export interface PromptProblem {
  readonly message: string;
  readonly line?: number;
  readonly field?: string;
}

export interface Analysis {
  readonly variables: readonly string[];
  /** Variables with no value, so the draft cannot run yet. */
  readonly missing: readonly string[];
  readonly problem?: PromptProblem;
  readonly promptTokens?: number;
  readonly contextLength?: number;
  readonly contextWarning?: string;
  /**
   * How the prompt reaches the model: through its chat template ('chat'), as a plain-text
   * transcript it continues (a chat prompt on a model without a chat template), or as is.
   */
  readonly sentAs?: 'chat' | 'transcript' | 'completion';
}

/** A piece of a run's output: a token with its finite log probabilities, or a section header. */
export interface RunToken {
  readonly text: string;
  readonly logprob?: number;
  readonly top?: ReadonlyArray<{ readonly token: string; readonly logprob: number }>;
}

export interface RunSummary {
  /** The model that ran (its id: a folder or a server's model name). */
  readonly model: string;
  readonly text: string;
  readonly finishReason: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly ttftMs: number;
  readonly totalMs: number;
  readonly tokensPerSecond: number;
  /** The extracted answer when the prompt has a chain-of-thought strategy. */
  readonly answer?: string;
  readonly vote?: Vote;
  readonly contextWarning?: string;
}
