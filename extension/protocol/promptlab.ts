/**
 * The Prompt Lab contract: which requests and notifications each side sends, with their
 * payload types and the checks the receiving side applies. Plain data only: the webview
 * imports this module, so it must not pull in core or host code.
 */
import { MODEL_STATES, type ModelState } from '../base/modelState';
import type { InboundSpec } from './peer';
import { arrayOf, bool, num, object, oneOf, optional, recordOf, str } from './validate';

export const PROMPT_LAB_VIEW_TYPE = 'lathe.promptLab';

/** Most columns side by side. */
export const MAX_COLUMNS = 6;

export interface ParametersDto {
  readonly temperature?: number;
  readonly topP?: number;
  readonly topK?: number;
  readonly minP?: number;
  readonly maxTokens?: number;
  readonly stop?: readonly string[];
  readonly seed?: number;
}

export interface InputDto {
  readonly name: string;
  readonly kind: 'string' | 'number' | 'boolean' | 'object' | 'array';
  readonly description?: string;
}

export interface StrategyDto {
  readonly id: string;
  readonly label: string;
  /** Samples drawn (self-consistency), 1 otherwise. */
  readonly samples: number;
  /** The answer-extraction rule, as a regular expression. */
  readonly answerPattern: string;
}

/** A prompt as the webview edits it. */
export interface PromptDocumentDto {
  /** Absolute path; undefined for an unsaved copy (e.g. of a chain-of-thought template). */
  readonly path?: string;
  readonly label: string;
  readonly description: string;
  readonly api: 'chat' | 'completion';
  readonly body: string;
  readonly parameters: ParametersDto;
  readonly inputs: readonly InputDto[];
  /** Input values as typed text (sample values and defaults filled in). */
  readonly values: Readonly<Record<string, string>>;
  readonly strategy?: StrategyDto;
}

/** The editable part of a prompt, sent with every analyze/run/save. */
export interface DraftDto {
  readonly body: string;
  readonly parameters: ParametersDto;
  readonly values: Readonly<Record<string, string>>;
}

export interface ProblemDto {
  readonly message: string;
  readonly line?: number;
  readonly field?: string;
}

export interface AnalysisDto {
  readonly variables: readonly string[];
  readonly missing: readonly string[];
  readonly problem?: ProblemDto;
  readonly promptTokens?: number;
  readonly contextLength?: number;
  readonly contextWarning?: string;
}

export interface AlternativeDto {
  readonly token: string;
  readonly logprob: number;
}

export interface TokenDto {
  readonly text: string;
  readonly logprob?: number;
  readonly top?: readonly AlternativeDto[];
}

export interface VoteDto {
  readonly answer?: string;
  readonly count: number;
  readonly total: number;
  readonly tally: ReadonlyArray<{ readonly answer: string; readonly count: number }>;
}

export interface RunSummaryDto {
  readonly runId: string;
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
  readonly vote?: VoteDto;
  readonly contextWarning?: string;
}

export interface DiffPartDto {
  readonly text: string;
  /** 'same' as the reference column, or only in this column ('added') / only in the reference ('removed'). */
  readonly kind: 'same' | 'added' | 'removed';
}

export interface ColumnDto {
  readonly draft: DraftDto;
  readonly label: string;
  /** Another model folder for this column; absent or empty: the model Lathe uses. */
  readonly model?: string;
}

export interface ColumnResultDto {
  readonly summary?: RunSummaryDto;
  readonly error?: ProblemDto;
  /** Word diff of this column's output against column 0. */
  readonly diff: readonly DiffPartDto[];
}

export interface CotTemplateDto {
  readonly id: string;
  readonly label: string;
  readonly description: string;
}

export interface PreferenceDto {
  readonly format: 'dpo' | 'sft';
  /** The draft whose rendered prompt becomes the input messages. */
  readonly draft: DraftDto;
  readonly preferred: string;
  /** Outputs of the other columns (DPO uses the first one). */
  readonly rejected: readonly string[];
}

export interface EvalSummaryDto {
  readonly runFile: string;
  readonly rows: ReadonlyArray<{ readonly index: number; readonly output: string; readonly passed: boolean; readonly error?: string; readonly checks: ReadonlyArray<{ readonly type: string; readonly pass: boolean; readonly score?: number }> }>;
  readonly passRate: number;
  readonly byAssertion: ReadonlyArray<{ readonly type: string; readonly passRate: number }>;
  readonly comparison?: { readonly against: string; readonly improved: number; readonly regressed: number; readonly changedOutputs: number };
}

/** Sent by the webview once its script runs; the host answers with `init`. */
export type WebviewNotifications = {
  ready: { readonly clientVersion: string };
  /** Stops the run (or side-by-side run) with this id. */
  stop: { readonly runId: string };
};

export type WebviewRequests = {
  /** The document this view's host session holds (a new untitled prompt at first). */
  currentPrompt: { params: Record<string, never>; result: PromptDocumentDto };
  /** The .prompty files in the workspace. */
  listPrompts: { params: Record<string, never>; result: ReadonlyArray<{ readonly path: string; readonly label: string }> };
  /** Shows an open dialog when `path` is absent; null when the user cancelled. */
  openPrompt: { params: { readonly path?: string }; result: PromptDocumentDto | null };
  /** Saves the draft into the open document (or a save dialog when `saveAs` or unsaved). */
  savePrompt: { params: { readonly draft: DraftDto; readonly saveAs: boolean }; result: { readonly path: string } | null };
  analyze: { params: { readonly draft: DraftDto }; result: AnalysisDto };
  run: { params: { readonly runId: string; readonly draft: DraftDto }; result: RunSummaryDto };
  compare: { params: { readonly runId: string; readonly columns: readonly ColumnDto[] }; result: readonly ColumnResultDto[] };
  listCot: { params: Record<string, never>; result: readonly CotTemplateDto[] };
  openCot: { params: { readonly id: string }; result: PromptDocumentDto };
  /** Appends a DPO pair or SFT row to a dataset file the user picks (remembered per session). */
  savePreference: { params: PreferenceDto; result: { readonly path: string } | null };
  /** Evaluates the draft over a JSONL/CSV dataset the user picks. */
  evaluate: { params: { readonly draft: DraftDto }; result: EvalSummaryDto | null };
};

export interface HostState {
  readonly extensionVersion: string;
  readonly modelName: string;
  readonly modelState: ModelState;
}

export type HostNotifications = {
  init: HostState;
  /** Streamed tokens of a run; `column` is the side-by-side column (0 for a single run). */
  tokens: { readonly runId: string; readonly column: number; readonly tokens: readonly TokenDto[] };
  /** Shows a document the host opened (e.g. from the Explorer's "Open in Prompt Lab"). */
  show: PromptDocumentDto;
  /** Progress of a multi-sample strategy or an evaluation. */
  progress: { readonly runId: string; readonly message: string };
};

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the host asks the webview nothing
export type HostRequests = {};

const parameters = object({
  temperature: optional(num),
  topP: optional(num),
  topK: optional(num),
  minP: optional(num),
  maxTokens: optional(num),
  stop: optional(arrayOf(str, 16)),
  seed: optional(num),
});
const draft = object({ body: str, parameters, values: recordOf(str) });

/** What the host accepts from the webview. */
export const hostInbound: InboundSpec<WebviewRequests, WebviewNotifications> = {
  requests: {
    currentPrompt: object({}),
    listPrompts: object({}),
    openPrompt: object({ path: optional(str) }),
    savePrompt: object({ draft, saveAs: bool }),
    analyze: object({ draft }),
    run: object({ runId: str, draft }),
    compare: object({ runId: str, columns: arrayOf(object({ draft, label: str, model: optional(str) }), MAX_COLUMNS) }),
    listCot: object({}),
    openCot: object({ id: str }),
    savePreference: object({ format: oneOf('dpo', 'sft'), draft, preferred: str, rejected: arrayOf(str, MAX_COLUMNS) }),
    evaluate: object({ draft }),
  },
  notifications: {
    ready: object({ clientVersion: str }),
    stop: object({ runId: str }),
  },
};

const promptDocument = object({
  path: optional(str),
  label: str,
  description: str,
  api: oneOf('chat', 'completion'),
  body: str,
  parameters,
  inputs: arrayOf(object({ name: str, kind: oneOf('string', 'number', 'boolean', 'object', 'array'), description: optional(str) })),
  values: recordOf(str),
  strategy: optional(object({ id: str, label: str, samples: num, answerPattern: str })),
});

const token = object({ text: str, logprob: optional(num), top: optional(arrayOf(object({ token: str, logprob: num }), 20)) });

/** What the webview accepts from the host. */
export const webviewInbound: InboundSpec<HostRequests, HostNotifications> = {
  requests: {},
  notifications: {
    init: object({ extensionVersion: str, modelName: str, modelState: oneOf(...MODEL_STATES) }),
    tokens: object({ runId: str, column: num, tokens: arrayOf(token) }),
    show: promptDocument,
    progress: object({ runId: str, message: str }),
  },
};
