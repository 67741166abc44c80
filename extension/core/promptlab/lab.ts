/**
 * One Prompt Lab document and what can be done with it, independent of VS Code: open from
 * text, analyze a draft (variables, undefined ones, template errors, token count, context
 * warning), run it (streamed, by its chain-of-thought strategy when it has one), serialize it.
 */
import { basename, dirname, sep } from 'node:path';
import type { ChatMessage, GenerateResult, TextGenerator } from '../engine/shared/generator';
import { readCotConfig, STRATEGY_LABELS, type CotConfig } from './cot/config';
import { fitMaxTokens } from './cot/fit';
import { runStrategy } from './cot/runner';
import { PromptLabError } from './errors';
import type { Analysis, Draft, PromptDocument, PromptProblem, RunSummary, RunToken } from './labTypes';
import { DEFAULT_MAX_TOKENS } from './params';
import { generatePrepared, preparePrompt, renderMessages, resolveValues } from './prompt';
import { parsePrompty, type PromptyFile } from './prompty/parse';
import { usesTranscript, withTranscriptStops } from './roles';
import type { PromptInput, PromptSpec } from './prompty/types';
import { serializePrompty } from './prompty/write';
import { compileTemplate, missingVariables } from './template/render';
import { inlineRenderer, type TemplateRenderer } from './template/renderer';
import { runToken } from './tokenBatch';
import { coerceValues, displayValue } from './values';
import { errorMessage } from '../../base/errorText';

/** Variables least-to-most fills in itself. */
const STRATEGY_VARIABLES: Readonly<Record<string, readonly string[]>> = { 'least-to-most': ['stage', 'solved', 'subquestion', 'subquestions'] };
/** Least-to-most's first step, whose prompt a template's window fit is measured on. */
const FIRST_STEP: Readonly<Record<string, Readonly<Record<string, unknown>>>> = { 'least-to-most': { stage: 'decompose', subquestions: [], solved: [], subquestion: '' } };

export function problemOf(err: unknown): PromptProblem {
  if (err instanceof PromptLabError) return { message: err.message, line: err.location.line, field: err.location.field };
  return { message: errorMessage(err) };
}

export interface LabOptions {
  /** Where templates render (the extension passes one that runs off its thread; default in-process). */
  readonly renderer?: TemplateRenderer;
  /** The workspace folders: `${file:…}` references may only lead inside them (default: the prompt's own folder). */
  readonly roots?: () => readonly string[];
}

export class PromptLab {
  private file: PromptyFile;
  private cot: CotConfig | undefined;
  /** Where the document is saved; undefined for a new or template copy. */
  private savedPath: string | undefined;

  private readonly renderer: TemplateRenderer;

  /** `model` is asked for the generator at each use: the model in use may change between runs. */
  constructor(
    private readonly model: () => TextGenerator,
    private readonly options: LabOptions = {},
  ) {
    this.renderer = options.renderer ?? inlineRenderer;
    this.file = parsePrompty('system:\nYou are a helpful assistant.\n\nuser:\n{{ question }}\n', 'untitled.prompty');
  }

  get path(): string | undefined {
    return this.savedPath;
  }

  /** Loads a document; `path` is undefined for an unsaved copy named `label`. */
  open(text: string, path: string | undefined, label: string): PromptDocument {
    const file = parsePrompty(text, path ?? label, { roots: this.options.roots?.() });
    this.cot = readCotConfig(file.document?.toJS(), file.path);
    this.file = file;
    this.savedPath = path;
    return this.document();
  }

  /**
   * Opens an unsaved copy of a shipped template with its max tokens fitted to the model's
   * window (see cot/fit.ts). A model that cannot be asked leaves the template as it is.
   */
  async openTemplate(text: string, label: string, signal?: AbortSignal): Promise<PromptDocument> {
    const doc = this.open(text, undefined, label);
    const { spec } = this.file;
    let prepared;
    try {
      prepared = await preparePrompt(this.model(), spec, this.origin(), { ...resolveValues(spec, {}), ...FIRST_STEP[this.cot?.strategy ?? ''] }, signal, this.renderer);
    } catch {
      return doc;
    }
    const fit = fitMaxTokens(spec.model.parameters.maxTokens ?? DEFAULT_MAX_TOKENS, prepared.promptTokens, prepared.model.contextLength);
    const parameters = { ...spec.model.parameters, maxTokens: fit.maxTokens };
    this.file = { ...this.file, spec: { ...spec, model: { ...spec.model, parameters } } };
    return { ...this.document(), windowFit: fit };
  }

  document(): PromptDocument {
    const { spec } = this.file;
    const values = resolveValues(spec, {});
    const inputs = this.inputsFor(spec.body);
    return {
      path: this.savedPath,
      label: this.savedPath ? basename(this.savedPath) : `${basename(this.file.path)} (unsaved)`,
      description: spec.description,
      api: spec.model.api,
      body: spec.body,
      parameters: spec.model.parameters,
      inputs,
      values: Object.fromEntries(inputs.map((i) => [i.name, displayValue(values[i.name])])),
      strategy: this.cot && { id: this.cot.strategy, label: STRATEGY_LABELS[this.cot.strategy], samples: this.cot.samples, answerPattern: this.cot.answerPattern },
    };
  }

  /** Declared inputs plus the template's other variables (offered as string inputs). */
  private inputsFor(body: string): PromptInput[] {
    const declared = [...this.file.spec.inputs];
    let variables: readonly string[] = [];
    try {
      variables = compileTemplate(body, this.origin()).variables;
    } catch {
      // a template error is reported by analyze(); the declared inputs still show
    }
    const internal = STRATEGY_VARIABLES[this.cot?.strategy ?? ''] ?? [];
    for (const v of variables) if (!declared.some((i) => i.name === v) && !internal.includes(v)) declared.push({ name: v, kind: 'string' });
    return declared.filter((i) => !internal.includes(i.name));
  }

  private origin() {
    return { file: this.file.path, line: this.file.bodyLine };
  }

  spec(draft: Draft): PromptSpec {
    return { ...this.file.spec, body: draft.body, model: { ...this.file.spec.model, parameters: draft.parameters } };
  }

  /** Typed values of a draft; an empty field is not set (its default or sample applies, else it is undefined). */
  values(draft: Draft): Record<string, unknown> {
    const set = Object.fromEntries(Object.entries(draft.values).filter(([, text]) => text !== ''));
    return coerceValues(this.inputsFor(draft.body), set, this.file.path);
  }

  async analyze(draft: Draft, signal?: AbortSignal): Promise<Analysis> {
    let variables: readonly string[] = [];
    try {
      variables = compileTemplate(draft.body, this.origin()).variables;
      const spec = this.spec(draft);
      const internal = STRATEGY_VARIABLES[this.cot?.strategy ?? ''] ?? [];
      const values = this.values(draft);
      const missing = missingVariables(variables, resolveValues(spec, values)).filter((v) => !internal.includes(v));
      if (missing.length > 0 || internal.length > 0) return { variables, missing };
      const prepared = await preparePrompt(this.model(), spec, this.origin(), values, signal, this.renderer);
      const transcript = usesTranscript(spec.model.api, prepared.model.hasChatTemplate);
      const sentAs = spec.model.api === 'completion' ? 'completion' : transcript ? 'transcript' : 'chat';
      return { variables, missing, promptTokens: prepared.promptTokens, contextLength: prepared.model.contextLength, contextWarning: prepared.contextWarning, sentAs };
    } catch (err) {
      const problem = problemOf(err);
      // The view shows which file it is; keep the message short: "name.prompty:12: …".
      return { variables, missing: [], problem: { ...problem, message: problem.message.replace(`${dirname(this.file.path)}${sep}`, '') } };
    }
  }

  /** The rendered messages of a draft (for datasets built from side-by-side picks). */
  messages(draft: Draft, signal?: AbortSignal): Promise<ChatMessage[]> {
    return renderMessages(this.spec(draft), this.origin(), this.values(draft), this.renderer, signal);
  }

  /** Runs the draft on this lab's model, or on `generator` (another model, for side by side). */
  async run(draft: Draft, emit: (t: RunToken) => void, signal?: AbortSignal, generator = this.model()): Promise<RunSummary> {
    const spec = this.spec(draft);
    let model = '';
    const values = this.values(draft);
    let segments = 0;
    let warning: string | undefined;
    const sample = async (extra: Readonly<Record<string, unknown>>, parameters: PromptSpec['model']['parameters'], segment: string) => {
      const prepared = await preparePrompt(generator, { ...spec, model: { ...spec.model, parameters } }, this.origin(), { ...values, ...extra }, signal, this.renderer);
      warning ??= prepared.contextWarning;
      model = prepared.model.id;
      if (this.cot) emit({ text: `${segments++ === 0 ? '' : '\n\n'}── ${segment} ──\n` });
      const stops = withTranscriptStops(parameters, usesTranscript(spec.model.api, prepared.model.hasChatTemplate));
      return generatePrepared(generator, prepared, stops, (e) => emit(runToken(e)), signal);
    };
    if (!this.cot) {
      const r = await sample({}, spec.model.parameters, '');
      return summarize(model, r.text, [r], warning);
    }
    const outcome = await runStrategy(this.cot, spec.model.parameters, sample, signal);
    return { ...summarize(model, outcome.text, outcome.results, warning), answer: outcome.answer, vote: outcome.vote };
  }

  /** The document as saved on disk with the draft's body and parameters, for evaluation. */
  evaluationInput(draft: Draft): { file: PromptyFile; spec: PromptSpec } {
    if (!this.savedPath) throw new PromptLabError('save the prompt first: evaluation runs are recorded next to it', { file: this.file.path });
    return { file: this.file, spec: this.spec(draft) };
  }

  serialize(draft: Draft): string {
    const values = this.values(draft);
    const defaults = Object.fromEntries(this.file.spec.inputs.map((i) => [i.name, i.default]));
    const sample = Object.fromEntries(Object.entries(values).filter(([k, v]) => v !== '' && JSON.stringify(v) !== JSON.stringify(defaults[k])));
    return serializePrompty(this.file, { body: draft.body, parameters: draft.parameters, sample });
  }

  /** After a save: the saved text becomes the document. */
  saved(text: string, path: string): PromptDocument {
    return this.open(text, path, basename(path));
  }
}

function summarize(model: string, text: string, results: readonly GenerateResult[], contextWarning: string | undefined): RunSummary {
  const last = results.at(-1);
  const sum = (f: (r: GenerateResult) => number) => results.reduce((a, r) => a + f(r), 0);
  const totalMs = sum((r) => r.timings.totalMs);
  const completionTokens = sum((r) => r.completionTokens);
  return {
    model,
    text,
    finishReason: last?.finishReason ?? 'abort',
    promptTokens: last?.promptTokens ?? 0,
    completionTokens,
    ttftMs: results[0]?.timings.ttftMs ?? 0,
    totalMs,
    tokensPerSecond: totalMs > 0 ? (completionTokens * 1000) / totalMs : 0,
    contextWarning,
  };
}
