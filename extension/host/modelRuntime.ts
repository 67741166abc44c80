/**
 * The model Lathe uses right now: the in-process engine over a model folder (the embedded
 * model by default), or a remote OpenAI-compatible server when `lathe.backend.url` is set.
 * It chooses and starts that backend, restarts it when model or backend settings change,
 * mirrors its state into the status bar, and publishes one `ModelView` that every feature
 * (completions, Prompt Lab, dataset editor) reads.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../base/errorText';
import type { ModelState } from '../base/modelState';
import { OpenAiClient, RemoteError } from '../core/backends/openaiClient';
import { Disposable } from '../core/common/lifecycle';
import type { Logger } from '../core/common/logger';
import { createEngine } from '../core/engine/client/engine';
import type { TextGenerator } from '../core/engine/shared/generator';
import { FAMILY_FIM, type FimSpec } from '../core/models/fim';
import { readModelFolder, type ModelFolder } from '../core/models/folder';
import { approximateTokenCounter, type TokenCounter } from '../core/models/tokenCounter';
import { onSettingsChanged, readSettings, type LatheSettings } from './config';
import type { StatusBar } from './status';

export const EMBEDDED_MODEL = 'lathe-code-mini';
export const REMOTE_API_KEY_SECRET = 'lathe.backend.apiKey';

/** The model in use, as every feature sees it. */
export interface ModelView {
  /** Shown to users: the folder's name, or the remote model (or host). */
  readonly name: string;
  readonly state: ModelState;
  /** Why the model is unusable (state `error`). */
  readonly message?: string;
  /** The generator; undefined while no backend could be started. */
  readonly generator?: TextGenerator;
  /** The local model's folder; undefined for a remote server. */
  readonly folder?: ModelFolder;
  /** Fill-in-the-middle support: the folder's, or the remote family from settings. */
  readonly fim?: FimSpec;
  /** Counts tokens like the model (an estimate for remote servers). */
  readonly counter: TokenCounter;
}

export interface ModelSource {
  readonly current: ModelView;
  /** Fires when the model was replaced or its state changed. */
  readonly onDidChange: vscode.Event<void>;
}

interface Backend {
  readonly name: string;
  state: ModelState;
  message?: string;
  generator?: TextGenerator;
  readonly folder?: ModelFolder;
  readonly fim?: FimSpec;
  readonly counter: TokenCounter;
  dispose(): void;
}

export class ModelRuntime extends Disposable implements ModelSource {
  private backend: Backend;
  private currentKey = '';
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Logger,
    private readonly status: StatusBar | undefined,
    private readonly storageDir: string,
    private readonly apiKey: () => Thenable<string | undefined>,
    /** Asks before a workspace-chosen (or unencrypted, keyed) backend URL is used: undefined = allowed, else why not. */
    private readonly approveRemote: (url: string, hasApiKey: boolean) => Promise<string | undefined> = () => Promise.resolve(undefined),
  ) {
    super();
    this.register(this.changed);
    this.register(onSettingsChanged(() => this.settingsKey(readSettings()) !== this.currentKey && this.restart()));
    this.register({ dispose: () => this.backend.dispose() });
    this.backend = this.start(readSettings());
  }

  get current(): ModelView {
    const b = this.backend;
    return { name: b.name, state: b.state, message: b.message, generator: b.generator, folder: b.folder, fim: b.fim, counter: b.counter };
  }

  /** Starts the backend again from the current settings (settings or the API key changed). */
  restart(): void {
    this.backend.dispose();
    this.backend = this.start(readSettings());
    this.changed.fire();
  }

  private settingsKey(s: LatheSettings): string {
    return JSON.stringify([s.modelPath, s.modelDtype, s.engineThreads, s.engineIdleUnloadMinutes, s.backendUrl, s.backendModel, s.backendFimTemplate]);
  }

  private start(settings: LatheSettings): Backend {
    this.currentKey = this.settingsKey(settings);
    const backend = settings.backendUrl ? this.startRemote(settings) : this.startLocal(settings);
    this.publish(backend);
    return backend;
  }

  private setState(backend: Backend, state: ModelState, message?: string): void {
    backend.state = state;
    backend.message = message;
    if (this.backend !== backend) return;
    this.publish(backend);
    this.changed.fire();
  }

  private publish(b: Backend): void {
    if (b.state === 'error') {
      this.log.error(`model unavailable: ${b.message ?? 'failed'}`);
      this.status?.setModel({ kind: 'error', model: b.name, message: b.message ?? 'failed' });
    } else {
      this.status?.setModel({ kind: b.state, model: b.name });
    }
  }

  private failed(name: string, message: string): Backend {
    return { name, state: 'error', message, counter: approximateTokenCounter, dispose: () => undefined };
  }

  private startRemote(settings: LatheSettings): Backend {
    let host: string;
    try {
      host = new URL(settings.backendUrl).host;
    } catch {
      return this.failed(settings.backendUrl, `lathe.backend.url '${settings.backendUrl}' is not a URL (expected e.g. http://localhost:8000/v1)`);
    }
    const fim = settings.backendFimTemplate === 'none' ? undefined : FAMILY_FIM[settings.backendFimTemplate];
    const backend: Backend = { name: settings.backendModel || host, state: 'loading', fim, counter: approximateTokenCounter, dispose: () => undefined };
    this.log.info(`using the remote server ${settings.backendUrl}${settings.backendModel ? ` (model ${settings.backendModel})` : ''}`);
    // The API key lives in VS Code's secret storage; the client exists once it has been read.
    Promise.resolve(this.apiKey())
      .then(async (apiKey) => {
        // No code leaves the machine before the user allowed this URL (when it needs asking).
        const refusal = await this.approveRemote(settings.backendUrl, !!apiKey);
        if (refusal) throw new RemoteError(refusal);
        const client = new OpenAiClient({ baseUrl: settings.backendUrl, model: settings.backendModel || undefined, apiKey });
        backend.generator = client;
        const info = await client.info();
        this.log.info(`remote model ${info.id}, context ${info.contextLength} tokens`);
        this.setState(backend, 'ready');
      })
      .catch((err: unknown) => {
        this.log.error('the remote server is not usable', err);
        this.setState(backend, 'error', errorMessage(err));
      });
    return backend;
  }

  private startLocal(settings: LatheSettings): Backend {
    const dir = settings.modelPath || join(this.extensionUri.fsPath, 'models', EMBEDDED_MODEL);
    if (!existsSync(join(dir, 'config.json'))) {
      return this.failed(dir, settings.modelPath ? `lathe.model.path points at '${dir}', which has no config.json` : `the embedded model is missing from this installation (${dir})`);
    }
    let folder: ModelFolder;
    try {
      folder = readModelFolder(dir);
    } catch (err) {
      return this.failed(dir, errorMessage(err));
    }
    const engine = createEngine({
      modelDir: dir,
      dtype: settings.modelDtype,
      threads: settings.engineThreads,
      idleUnloadMs: settings.engineIdleUnloadMinutes * 60_000,
      logger: this.log.child('engine'),
      cacheDir: this.storageDir,
    });
    let counter: TokenCounter = approximateTokenCounter;
    try {
      counter = folder.tokenCounter();
    } catch (err) {
      this.log.warn(`token counting falls back to an estimate: ${errorMessage(err)}`);
    }
    const backend: Backend = {
      name: folder.name,
      state: 'loading',
      generator: engine,
      folder,
      fim: folder.fim,
      counter,
      dispose: () => {
        sub.dispose();
        engine.dispose();
      },
    };
    const sub = engine.onStateChange((state) => this.setState(backend, state.kind, state.kind === 'error' ? state.message : undefined));
    this.log.info(`using model ${dir} (dtype ${settings.modelDtype})${folder.fim ? `, FIM ${folder.fim.family}` : ', no FIM tokens: inline completions are off'}`);
    // Load in the background so the first completion does not pay for it.
    engine.info().catch((err) => this.log.error(`loading ${dir} failed`, err));
    return backend;
  }
}
