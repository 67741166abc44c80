/**
 * The model Lathe uses right now: the in-process engine over a model folder (the embedded
 * model by default), or a remote OpenAI-compatible server when `lathe.backend.url` is set.
 * It owns that backend, mirrors its state into the status bar, and builds the completion
 * pipeline for it; everything is rebuilt when model or backend settings change. It is itself a
 * TextGenerator, so Prompt Lab and commands keep one reference across reloads.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { OpenAiClient } from '../core/backends/openaiClient';
import { Disposable, toDisposable, type IDisposable } from '../core/common/lifecycle';
import type { Logger } from '../core/common/logger';
import type { ContextBuilder, TokenCounting } from '../core/completion/context';
import { detectFimTemplate, FAMILY_TEMPLATES, type FimTemplate } from '../core/completion/fimTemplates';
import { readFimTokenSource } from '../core/completion/fimTokens';
import { CompletionPipeline } from '../core/completion/pipeline';
import { createEngine, type Engine } from '../core/engine/client/engine';
import type { ChatMessage, GenerateRequest, GenerateResult, ModelInfo, TextGenerator } from '../core/engine/shared/generator';
import { loadTokenizer } from '../core/engine/tokenizer';
import { onSettingsChanged, readSettings, type LatheSettings } from './config';
import type { StatusBar } from './status';
import { errorMessage } from '../base/errorText';
import type { ModelState } from '../base/modelState';

export const EMBEDDED_MODEL = 'lathe-code-mini';
export const REMOTE_API_KEY_SECRET = 'lathe.backend.apiKey';

interface Backend {
  readonly generator: TextGenerator;
  readonly name: string;
  state: ModelState;
  readonly owned: IDisposable;
}

export class ModelRuntime extends Disposable implements TextGenerator {
  private backend: Backend | undefined;
  private pipelineValue: CompletionPipeline | undefined;
  private generation = 0;
  private currentKey = '';
  /** The settings the current backend was built from (restart takes a new snapshot). */
  private settings: LatheSettings = readSettings();
  private readonly contexts: ContextBuilder;
  private counterCache: { dir: string; counter: TokenCounting | undefined } | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the model (or its pipeline) was replaced or failed. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Logger,
    private readonly status: StatusBar | undefined,
    contextsFor: (counter: () => TokenCounting | undefined) => ContextBuilder,
    private readonly storageDir: string,
    private readonly apiKey: () => Thenable<string | undefined>,
  ) {
    super();
    this.contexts = contextsFor(() => this.tokenCounter());
    this.register(this.changed);
    this.register(
      onSettingsChanged(() => {
        const s = readSettings();
        if (this.settingsKey(s) !== this.currentKey) this.restart();
        else this.buildPipeline(s, this.generation);
      }),
    );
    this.register(toDisposable(() => this.stop()));
    this.restart();
  }

  private settingsKey(s: LatheSettings): string {
    return JSON.stringify([s.modelPath, s.modelDtype, s.engineThreads, s.engineIdleUnloadMinutes, s.backendUrl, s.backendModel, s.backendFimTemplate]);
  }

  /** The folder of the local model in use. */
  modelDir(settings = this.settings): string {
    return settings.modelPath || join(this.extensionUri.fsPath, 'models', EMBEDDED_MODEL);
  }

  get modelName(): string {
    return this.backend?.name ?? basename(this.modelDir());
  }

  /** The backend's state, for views that show it. */
  get stateKind(): ModelState {
    return this.backend?.state ?? 'error';
  }

  /** The completion pipeline, while the backend works and has a FIM template. */
  get pipeline(): CompletionPipeline | undefined {
    return this.backend?.state === 'error' ? undefined : this.pipelineValue;
  }

  /** Counts tokens with the local model's tokenizer (undefined: remote, or unreadable). */
  tokenCounter(): TokenCounting | undefined {
    if (this.settings.backendUrl) return undefined;
    const dir = this.modelDir();
    if (this.counterCache?.dir !== dir) {
      let counter: TokenCounting | undefined;
      try {
        const tokenizer = loadTokenizer(dir);
        counter = { count: (text) => tokenizer.countTokens(text) };
      } catch (err) {
        this.log.warn(`token counting falls back to an estimate: ${errorMessage(err)}`);
      }
      this.counterCache = { dir, counter };
    }
    return this.counterCache.counter;
  }

  private stop(): void {
    this.backend?.owned.dispose();
    this.backend = undefined;
    this.pipelineValue = undefined;
  }

  private setState(backend: Backend, state: ModelState, message?: string): void {
    backend.state = state;
    if (this.backend !== backend) return;
    if (state === 'error') this.status?.setModel({ kind: 'error', model: backend.name, message: message ?? 'failed' });
    else this.status?.setModel({ kind: state, model: backend.name });
    this.changed.fire();
  }

  private fail(name: string, message: string): void {
    this.log.error(`model unavailable: ${message}`);
    this.status?.setModel({ kind: 'error', model: name, message });
    this.changed.fire();
  }

  restart(): void {
    const settings = (this.settings = readSettings());
    this.currentKey = this.settingsKey(settings);
    this.stop();
    const gen = ++this.generation;
    if (settings.backendUrl) this.startRemote(settings);
    else this.startLocal(settings);
    this.buildPipeline(settings, gen);
  }

  private startRemote(settings: LatheSettings): void {
    let host: string;
    try {
      host = new URL(settings.backendUrl).host;
    } catch {
      this.fail(settings.backendUrl, `lathe.backend.url '${settings.backendUrl}' is not a URL (expected e.g. http://localhost:8000/v1)`);
      return;
    }
    const name = settings.backendModel || host;
    // The API key lives in VS Code's secret storage, read when the client is first made.
    let client: Promise<OpenAiClient> | undefined;
    const remote = () =>
      (client ??= Promise.resolve(this.apiKey()).then(
        (apiKey) => new OpenAiClient({ baseUrl: settings.backendUrl, model: settings.backendModel || undefined, apiKey }),
      ));
    const backend: Backend = {
      name,
      state: 'loading',
      owned: toDisposable(() => undefined),
      generator: {
        info: async (s) => (await remote()).info(s),
        generate: async (r, s) => (await remote()).generate(r, s),
        tokenize: async (t, s) => (await remote()).tokenize(t, s),
        renderChat: async (m, s) => (await remote()).renderChat(m, s),
      },
    };
    this.backend = backend;
    this.status?.setModel({ kind: 'loading', model: name });
    this.log.info(`using the remote server ${settings.backendUrl}${settings.backendModel ? ` (model ${settings.backendModel})` : ''}`);
    backend.generator.info().then(
      (info) => {
        this.log.info(`remote model ${info.id}, context ${info.contextLength} tokens`);
        this.setState(backend, 'ready');
      },
      (err) => {
        this.log.error('the remote server is not usable', err);
        this.setState(backend, 'error', errorMessage(err));
      },
    );
  }

  private startLocal(settings: LatheSettings): void {
    const dir = this.modelDir(settings);
    const name = basename(dir);
    if (!existsSync(join(dir, 'config.json'))) {
      this.fail(name, settings.modelPath ? `lathe.model.path points at '${dir}', which has no config.json` : `the embedded model is missing from this installation (${dir})`);
      return;
    }
    let engine: Engine;
    try {
      engine = createEngine({
        modelDir: dir,
        dtype: settings.modelDtype,
        threads: settings.engineThreads,
        idleUnloadMs: settings.engineIdleUnloadMinutes * 60_000,
        logger: this.log.child('engine'),
        cacheDir: this.storageDir,
      });
    } catch (err) {
      this.fail(name, `starting the engine for ${dir} failed: ${errorMessage(err)}`);
      return;
    }
    const backend: Backend = {
      generator: engine,
      name,
      state: 'loading',
      owned: toDisposable(() => {
        sub.dispose();
        engine.dispose();
      }),
    };
    const sub = engine.onStateChange((state) => this.setState(backend, state.kind, state.kind === 'error' ? state.message : undefined));
    this.backend = backend;
    this.status?.setModel({ kind: 'loading', model: name });
    this.log.info(`using model ${dir} (dtype ${settings.modelDtype})`);
    // Load in the background so the first completion does not pay for it.
    engine.load().catch((err) => this.log.error(`loading ${dir} failed`, err));
  }

  private async templateFor(settings: LatheSettings): Promise<FimTemplate | undefined> {
    if (settings.backendUrl) return settings.backendFimTemplate === 'none' ? undefined : FAMILY_TEMPLATES[settings.backendFimTemplate];
    const order = settings.completionsFimOrder === 'auto' ? undefined : settings.completionsFimOrder;
    return detectFimTemplate(await readFimTokenSource(this.modelDir(settings), order));
  }

  private buildPipeline(settings: LatheSettings, gen: number): void {
    const backend = this.backend;
    if (!backend) return;
    this.templateFor(settings).then(
      (template) => {
        if (gen !== this.generation) return;
        if (!template) {
          this.log.warn(`${backend.name} has no fill-in-the-middle template: inline completions are off for this model`);
          this.pipelineValue = undefined;
        } else {
          this.log.info(`FIM template: ${template.family}`);
          this.pipelineValue = new CompletionPipeline(backend.generator, template, this.contexts, {
            multiline: settings.completionsMultiline,
            maxTokensMultiLine: settings.completionsMaxTokens,
          });
        }
        this.changed.fire();
      },
      (err) => this.log.error(`reading the tokenizer files of ${this.modelDir(settings)} failed`, err),
    );
  }

  private require(): TextGenerator {
    if (!this.backend) throw new Error(`no model is available (${this.modelDir()}): see the Lathe log`);
    return this.backend.generator;
  }

  info(signal?: AbortSignal): Promise<ModelInfo> {
    return this.require().info(signal);
  }

  generate(request: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> {
    return this.require().generate(request, signal);
  }

  tokenize(text: string, signal?: AbortSignal): Promise<number[]> {
    return this.require().tokenize(text, signal);
  }

  renderChat(messages: readonly ChatMessage[], signal?: AbortSignal): Promise<string> {
    return this.require().renderChat(messages, signal);
  }
}
