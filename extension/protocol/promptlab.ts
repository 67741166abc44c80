/**
 * The Prompt Lab contract: the requests and notifications each side sends. Every payload is
 * declared once, as the schema its receiver checks it with; the TypeScript types are inferred
 * from the schemas. Plain data only: the webview imports this module, so it must not pull in
 * core or host code.
 */
import { MODEL_STATES } from '../base/modelState';
import { arrayOf, bool, nullable, num, object, oneOf, optional, recordOf, str, type Infer } from '../base/schema';
import { webviewContract, type HostPeer, type WebviewPeer } from './contract';
import { textImageNotifications, textImageRequests } from './textImage';

export const PROMPT_LAB_VIEW_TYPE = 'lathe.promptLab';

/** Most columns side by side. */
export const MAX_COLUMNS = 6;

const none = object({});

const parameters = object({
  temperature: optional(num),
  topP: optional(num),
  topK: optional(num),
  minP: optional(num),
  maxTokens: optional(num),
  stop: optional(arrayOf(str, 16)),
  seed: optional(num),
});
export type ParametersDto = Infer<typeof parameters>;

const input = object({ name: str, kind: oneOf('string', 'number', 'boolean', 'object', 'array'), description: optional(str) });
export type InputDto = Infer<typeof input>;

/** A chain-of-thought strategy: `samples` drawn (self-consistency, else 1), `answerPattern` the extraction rule. */
const strategy = object({ id: str, label: str, samples: num, answerPattern: str });

/** A prompt as the webview edits it; `path` is absent for an unsaved copy (e.g. of a template). */
const promptDocument = object({
  path: optional(str),
  label: str,
  description: str,
  api: oneOf('chat', 'completion'),
  body: str,
  parameters,
  inputs: arrayOf(input),
  /** Input values as typed text (sample values and defaults filled in). */
  values: recordOf(str),
  strategy: optional(strategy),
  /** A template opened with max tokens fitted to the model's window; `note` says what changed. */
  windowFit: optional(object({ templateMaxTokens: num, maxTokens: num, promptTokens: num, contextLength: num, fits: bool, note: optional(str) })),
});
export type PromptDocumentDto = Infer<typeof promptDocument>;

/** The editable part of a prompt, sent with every analyze/run/save. */
const draft = object({ body: str, parameters, values: recordOf(str) });
export type DraftDto = Infer<typeof draft>;

const problem = object({ message: str, line: optional(num), field: optional(str) });
export type ProblemDto = Infer<typeof problem>;

const analysis = object({
  variables: arrayOf(str),
  missing: arrayOf(str),
  problem: optional(problem),
  promptTokens: optional(num),
  contextLength: optional(num),
  contextWarning: optional(str),
  /** 'transcript': a chat prompt sent as plain text to a model without a chat template. */
  sentAs: optional(oneOf('chat', 'transcript', 'completion')),
});
export type AnalysisDto = Infer<typeof analysis>;

const token = object({ text: str, logprob: optional(num), top: optional(arrayOf(object({ token: str, logprob: num }), 20)) });
export type TokenDto = Infer<typeof token>;

const vote = object({ answer: optional(str), count: num, total: num, tally: arrayOf(object({ answer: str, count: num })) });

/** `model` is the model that ran (a folder or a server's model name); `answer`/`vote` come from a chain-of-thought strategy. */
const runSummary = object({
  model: str,
  text: str,
  finishReason: str,
  promptTokens: num,
  completionTokens: num,
  ttftMs: num,
  totalMs: num,
  tokensPerSecond: num,
  answer: optional(str),
  vote: optional(vote),
  contextWarning: optional(str),
});
export type RunSummaryDto = Infer<typeof runSummary>;

/** 'same' as the reference column, or only in this column ('added') / only in the reference ('removed'). */
const diffPart = object({ text: str, kind: oneOf('same', 'added', 'removed') });
export type DiffPartDto = Infer<typeof diffPart>;

/** A side-by-side column; `model` names another model folder (absent or empty: the model Lathe uses). */
const column = object({ draft, label: str, model: optional(str) });
export type ColumnDto = Infer<typeof column>;

/** `diff`: the word diff of this column's output against column 0. */
const columnResult = object({ summary: optional(runSummary), error: optional(problem), diff: arrayOf(diffPart) });
export type ColumnResultDto = Infer<typeof columnResult>;

const cotTemplate = object({ id: str, label: str, description: str });

/** A picked output: `draft` renders the input messages; `rejected` holds the other columns' outputs (DPO uses the first). */
const preference = object({ format: oneOf('dpo', 'sft'), draft, preferred: str, rejected: arrayOf(str, MAX_COLUMNS) });
export type PreferenceDto = Infer<typeof preference>;

/** A check of one row; `label` says what it looked at ("contains expected" for the default check of a row's `expected`). */
const evalCheck = object({ type: str, label: str, pass: bool, score: optional(num), message: optional(str) });

/** `status` 'unchecked': the row ran but nothing checked it (it never counts as passed). */
const evalRow = object({ index: num, output: str, status: oneOf('pass', 'fail', 'error', 'unchecked'), error: optional(str), checks: arrayOf(evalCheck) });
export type EvalRowDto = Infer<typeof evalRow>;

/** `passRate` is over the `checkedRows`; null when no row had a check ("no checks"). */
const evalSummary = object({
  runFile: str,
  rows: arrayOf(evalRow),
  passRate: nullable(num),
  checkedRows: num,
  byAssertion: arrayOf(object({ type: str, passRate: num })),
  comparison: optional(object({ against: str, improved: num, regressed: num, changedOutputs: num })),
});
export type EvalSummaryDto = Infer<typeof evalSummary>;

/** What the model can do (see core/promptlab/capability.ts); `note` is shown when it cannot follow chat prompts. */
const capability = object({ chat: bool, fim: bool, contextLength: optional(num), summary: str, note: optional(str) });
export type CapabilityDto = Infer<typeof capability>;

const hostState = object({ extensionVersion: str, modelName: str, modelState: oneOf(...MODEL_STATES), capability });
export type HostState = Infer<typeof hostState>;

const path = object({ path: str });

export const promptLabContract = webviewContract({
  /** The host's answer to `ready`, sent again whenever the model's state changes. */
  init: hostState,
  toHost: {
    requests: {
      /** The document this view's host session holds (a new untitled prompt at first). */
      currentPrompt: { params: none, result: promptDocument },
      /** The .prompty files in the workspace. */
      listPrompts: { params: none, result: arrayOf(object({ path: str, label: str })) },
      /** Shows an open dialog when `path` is absent; null when the user cancelled. */
      openPrompt: { params: object({ path: optional(str) }), result: nullable(promptDocument) },
      /** Saves the draft into the open document (or a save dialog when `saveAs` or unsaved). */
      savePrompt: { params: object({ draft, saveAs: bool }), result: nullable(path) },
      analyze: { params: object({ draft }), result: analysis },
      run: { params: object({ runId: str, draft }), result: runSummary },
      compare: { params: object({ runId: str, columns: arrayOf(column, MAX_COLUMNS) }), result: arrayOf(columnResult, MAX_COLUMNS) },
      listCot: { params: none, result: arrayOf(cotTemplate) },
      openCot: { params: object({ id: str }), result: promptDocument },
      /** Appends a DPO pair or SFT row to a dataset file the user picks (remembered per session). */
      savePreference: { params: preference, result: nullable(path) },
      /** Evaluates the draft over a JSONL/CSV dataset the user picks. */
      evaluate: { params: object({ draft }), result: nullable(evalSummary) },
      /** Choose a chat model: the model picker for the chat role, or the chat server URL setting. */
      chooseChatModel: { params: object({ via: oneOf('picker', 'server') }), result: none },
      /** Text + Image (protocol/textImage.ts). */
      ...textImageRequests,
    },
    notifications: {
      /** Stops the run (or side-by-side run) with this id. */
      stop: object({ runId: str }),
    },
  },
  toWebview: {
    requests: {},
    notifications: {
      /** Streamed tokens of a run; `column` is the side-by-side column (0 for a single run). */
      tokens: object({ runId: str, column: num, tokens: arrayOf(token) }),
      /** Shows a document the host opened (e.g. from the Explorer's "Open in Prompt Lab"). */
      show: promptDocument,
      /** Progress of a multi-sample strategy or an evaluation. */
      progress: object({ runId: str, message: str }),
      ...textImageNotifications,
    },
  },
});

export type PromptLabHostPeer = HostPeer<typeof promptLabContract>;
export type PromptLabWebviewPeer = WebviewPeer<typeof promptLabContract>;
