/**
 * The model Lathe uses right now: resolves the folder from settings (the embedded model by
 * default), owns the engine (its worker and idle unloading), mirrors its state into the status
 * bar, and builds the completion pipeline for it. Rebuilt when model or engine settings change.
 * It is itself a TextGenerator, so Prompt Lab and commands keep one reference across reloads.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { Disposable, type IDisposable } from '../core/common/lifecycle';
import type { Logger } from '../core/common/logger';
import type { ContextBuilder, TokenCounting } from '../core/completion/context';
import { detectFimTemplate } from '../core/completion/fimTemplates';
import { readFimTokenSource } from '../core/completion/fimTokens';
import { CompletionPipeline } from '../core/completion/pipeline';
import { createEngine, type Engine } from '../core/engine/engine';
import { loadTokenizer } from '../core/engine/tokenizer';
import type { ChatMessage, GenerateRequest, GenerateResult, ModelInfo, TextGenerator } from '../core/engine/generator';
import { onSettingsChanged, readSettings, type LatheSettings } from './config';
import type { StatusBar } from './status';

export const EMBEDDED_MODEL = 'lathe-code-mini';

export class ModelRuntime extends Disposable implements TextGenerator {
  private engine: Engine | undefined;
  private engineSubscription: IDisposable | undefined;
  private pipelineValue: CompletionPipeline | undefined;
  private generation = 0;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the model (or its pipeline) was replaced. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Logger,
    private readonly status: StatusBar | undefined,
    contextsFor: (counter: () => TokenCounting | undefined) => ContextBuilder,
    private readonly storageDir: string,
  ) {
    super();
    this.contexts = contextsFor(() => this.tokenCounter());
    this.register(this.changed);
    this.register(
      onSettingsChanged(() => {
        const s = readSettings();
        if (this.settingsKey(s) !== this.currentKey) this.restart();
        else this.buildPipeline(s);
      }),
    );
    this.register({ dispose: () => this.stopEngine() });
    this.restart();
  }

  private currentKey = '';
  private readonly contexts: ContextBuilder;

  private settingsKey(s: LatheSettings): string {
    return JSON.stringify([s.modelPath, s.modelDtype, s.engineThreads, s.engineIdleUnloadMinutes]);
  }

  /** The folder of the model in use. */
  modelDir(settings = readSettings()): string {
    return settings.modelPath || join(this.extensionUri.fsPath, 'models', EMBEDDED_MODEL);
  }

  get modelName(): string {
    return basename(this.modelDir());
  }

  private counterCache: { dir: string; counter: TokenCounting | undefined } | undefined;

  /** Counts tokens with the model's own tokenizer (undefined if it cannot be read). */
  tokenCounter(): TokenCounting | undefined {
    const dir = this.modelDir();
    if (this.counterCache?.dir !== dir) {
      let counter: TokenCounting | undefined;
      try {
        const tokenizer = loadTokenizer(dir);
        counter = { count: (text) => tokenizer.countTokens(text) };
      } catch (err) {
        this.log.warn(`token counting falls back to an estimate: ${err instanceof Error ? err.message : String(err)}`);
      }
      this.counterCache = { dir, counter };
    }
    return this.counterCache.counter;
  }

  /** The engine's state, for views that show it. */
  get stateKind(): 'unloaded' | 'loading' | 'ready' | 'error' {
    return this.engine ? this.engine.state.kind : 'error';
  }

  /** The completion pipeline, once the model folder is known to support FIM. */
  get pipeline(): CompletionPipeline | undefined {
    return this.engine?.state.kind === 'error' ? undefined : this.pipelineValue;
  }

  private stopEngine(): void {
    this.engineSubscription?.dispose();
    this.engineSubscription = undefined;
    this.engine?.dispose();
    this.engine = undefined;
    this.pipelineValue = undefined;
  }

  restart(): void {
    const settings = readSettings();
    this.currentKey = this.settingsKey(settings);
    this.stopEngine();
    const gen = ++this.generation;
    const dir = this.modelDir(settings);
    const name = basename(dir);
    if (!existsSync(join(dir, 'config.json'))) {
      const message = settings.modelPath
        ? `lathe.model.path points at '${dir}', which has no config.json`
        : `the embedded model is missing from this installation (${dir})`;
      this.log.error(`model unavailable: ${message}`);
      this.status?.setModel({ kind: 'error', model: name, message });
      this.changed.fire();
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
      this.log.error(`starting the engine for ${dir} failed`, err);
      this.status?.setModel({ kind: 'error', model: name, message: err instanceof Error ? err.message : String(err) });
      this.changed.fire();
      return;
    }
    this.engine = engine;
    this.engineSubscription = engine.onStateChange((state) => {
      if (state.kind === 'error') this.status?.setModel({ kind: 'error', model: name, message: state.message });
      else this.status?.setModel({ kind: state.kind, model: name });
      if (state.kind === 'error') this.changed.fire();
    });
    this.status?.setModel({ kind: 'loading', model: name });
    this.log.info(`using model ${dir} (dtype ${settings.modelDtype})`);
    this.buildPipeline(settings, gen);
    // Load in the background so the first completion does not pay for it.
    engine.load().catch((err) => this.log.error(`loading ${dir} failed`, err));
  }

  private buildPipeline(settings: LatheSettings, gen = this.generation): void {
    const engine = this.engine;
    if (!engine) return;
    const dir = this.modelDir(settings);
    readFimTokenSource(dir).then(
      (tokens) => {
        if (gen !== this.generation) return;
        const template = detectFimTemplate(tokens);
        if (!template) {
          this.log.warn(`${dir} declares no fill-in-the-middle tokens: inline completions are off for this model`);
          this.pipelineValue = undefined;
        } else {
          this.log.info(`FIM template: ${template.family}`);
          this.pipelineValue = new CompletionPipeline(engine, template, this.contexts, {
            multiline: settings.completionsMultiline,
            maxTokensMultiLine: settings.completionsMaxTokens,
          });
        }
        this.changed.fire();
      },
      (err) => this.log.error(`reading the tokenizer files of ${dir} failed`, err),
    );
  }

  private require(): Engine {
    if (!this.engine) {
      throw new Error(`no model is available (${this.modelDir()}): see the Lathe log`);
    }
    return this.engine;
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
