/**
 * The models Lathe uses right now, one per role: the completion model (inline completions and
 * the fill-in-the-middle refactorings) and the chat model (Prompt Lab, Explain Selection,
 * Refactor with Instruction). Each runs on the in-process engine over a model folder (the
 * embedded model by default) or on an OpenAI-compatible server. The runtime resolves each
 * role's backend from the settings (the chat model is the completion model unless one is set),
 * shares one backend when both roles resolve to the same model, restarts a role when its
 * settings change, mirrors the completion model into the status bar, and publishes one
 * `ModelView` per role that features read when they act.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ModelState } from '../base/modelState';
import { Disposable } from '../core/common/lifecycle';
import type { Logger } from '../core/common/logger';
import type { Network } from '../core/common/network';
import type { TextGenerator } from '../core/engine/shared/generator';
import type { FimSpec } from '../core/models/fim';
import type { ModelFolder } from '../core/models/folder';
import type { ModelRole } from '../core/models/roles';
import type { TokenCounter } from '../core/models/tokenCounter';
import { onSettingsChanged, readSettings, type LatheSettings } from './config';
import { startBackend, type Backend, type BackendSpec } from './models/backends';
import type { StatusBar } from './status';

export const EMBEDDED_MODEL = 'lathe-code-mini';
export const REMOTE_API_KEY_SECRET = 'lathe.backend.apiKey';

/** A role's model, as every feature sees it. */
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
  /** Fill-in-the-middle support: the folder's, or the remote server's template. */
  readonly fim?: FimSpec;
  /** Counts tokens like the model (an estimate for remote servers). */
  readonly counter: TokenCounter;
  /** The model folder or the server URL. */
  readonly location: string;
}

export interface ModelSource {
  readonly current: ModelView;
  /** Fires when the model was replaced or its state changed. */
  readonly onDidChange: vscode.Event<void>;
}

/** Where each role's model comes from under these settings. */
export function roleSpec(role: ModelRole, s: LatheSettings, embeddedDir: string): BackendSpec {
  if (role === 'chat') {
    if (s.chatBackendUrl) return { kind: 'remote', url: s.chatBackendUrl, model: s.chatBackendModel, fim: 'none', fromSetting: 'lathe.chat.backend.url' };
    if (s.chatModelPath) return { kind: 'local', dir: s.chatModelPath, embedded: false, fromSetting: 'lathe.chat.model.path' };
  }
  if (s.backendUrl) return { kind: 'remote', url: s.backendUrl, model: s.backendModel, fim: s.backendFimTemplate, fromSetting: 'lathe.backend.url' };
  return s.modelPath ? { kind: 'local', dir: s.modelPath, embedded: false, fromSetting: 'lathe.model.path' } : { kind: 'local', dir: embeddedDir, embedded: true, fromSetting: 'lathe.model.path' };
}

/** Two roles with the same key share one backend; a key change restarts the role. */
function specKey(spec: BackendSpec, s: LatheSettings): string {
  return spec.kind === 'local'
    ? JSON.stringify(['local', spec.dir, s.modelDtype, s.engineThreads, s.engineSpinning, s.engineIdleUnloadMinutes])
    : JSON.stringify(['remote', spec.url, spec.model, spec.fim, s.offline]);
}

class RoleSource implements ModelSource {
  backend!: Backend;
  key = '';
  readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;

  get current(): ModelView {
    const b = this.backend;
    return { name: b.name, state: b.state, message: b.message, generator: b.generator, folder: b.folder, fim: b.fim, counter: b.counter, location: b.location };
  }
}

export class ModelRuntime extends Disposable {
  private readonly roles: Record<ModelRole, RoleSource> = { completion: new RoleSource(), chat: new RoleSource() };
  private readonly embeddedDir: string;
  private loggedError: Backend | undefined;
  private holding = 0;

  constructor(
    extensionUri: vscode.Uri,
    private readonly log: Logger,
    private readonly status: StatusBar | undefined,
    private readonly storageDir: string,
    private readonly network: Network,
    private readonly apiKey: () => Thenable<string | undefined>,
    /** Asks before a workspace-chosen (or unencrypted, keyed) backend URL is used: undefined = allowed, else why not. */
    private readonly approveRemote: (url: string, hasApiKey: boolean, settingKey: string) => Promise<string | undefined> = () => Promise.resolve(undefined),
  ) {
    super();
    this.embeddedDir = join(extensionUri.fsPath, 'models', EMBEDDED_MODEL);
    for (const r of Object.values(this.roles)) this.register(r.emitter);
    this.register(onSettingsChanged(() => this.holding === 0 && this.update(false)));
    this.register({ dispose: () => this.disposeBackends() });
    this.update(true);
  }

  /** The completion model: inline completions and the fill-in-the-middle refactorings. */
  get completion(): ModelSource {
    return this.roles.completion;
  }

  /** The chat model: Prompt Lab and the instruction commands. */
  get chat(): ModelSource {
    return this.roles.chat;
  }

  /** The folder of the embedded model. */
  get embeddedModelDir(): string {
    return this.embeddedDir;
  }

  /** Runs `fn` (several settings writes) and applies the settings once, at the end. */
  async batch<T>(fn: () => Promise<T>): Promise<T> {
    this.holding++;
    try {
      return await fn();
    } finally {
      if (--this.holding === 0) this.update(false);
    }
  }

  /** Starts both roles again (the API key changed). */
  restart(): void {
    this.update(true);
  }

  /** Restarts the roles whose backend changed under the current settings (all with `force`). */
  private update(force: boolean): void {
    const s = readSettings();
    const specs = { completion: roleSpec('completion', s, this.embeddedDir), chat: roleSpec('chat', s, this.embeddedDir) };
    const keys = { completion: specKey(specs.completion, s), chat: specKey(specs.chat, s) };
    const changed = (['completion', 'chat'] as const).filter((r) => force || this.roles[r].key !== keys[r]);
    if (changed.length === 0) return;
    const old = new Set(changed.map((r) => this.roles[r].backend).filter((b) => b !== undefined));
    // A backend still used by a role that keeps it is not disposed.
    for (const r of ['completion', 'chat'] as const) if (!changed.includes(r)) old.delete(this.roles[r].backend);
    const done = new Set<ModelRole>();
    for (const r of changed) {
      const otherRole: ModelRole = r === 'completion' ? 'chat' : 'completion';
      const other = this.roles[otherRole];
      // Share the other role's backend when it already runs this very model.
      const otherSettled = !changed.includes(otherRole) || done.has(otherRole);
      const reuse = otherSettled && other.key === keys[r] ? other.backend : undefined;
      this.roles[r].key = keys[r];
      this.roles[r].backend = reuse ?? this.start(specs[r], s, r === 'completion');
      old.delete(this.roles[r].backend);
      done.add(r);
    }
    for (const b of old) b.dispose();
    this.publish();
    for (const r of changed) this.roles[r].emitter.fire();
  }

  private start(spec: BackendSpec, s: LatheSettings, preload: boolean): Backend {
    return startBackend(spec, s, { log: this.log, storageDir: this.storageDir, network: this.network, apiKey: this.apiKey, approveRemote: this.approveRemote, changed: (b) => this.backendChanged(b) }, preload);
  }

  private backendChanged(backend: Backend): void {
    const roles = (['completion', 'chat'] as const).filter((r) => this.roles[r].backend === backend);
    if (roles.length === 0) return;
    this.publish();
    for (const r of roles) this.roles[r].emitter.fire();
  }

  private publish(): void {
    const b = this.roles.completion.backend;
    const chat = this.roles.chat.backend;
    if (b.state === 'error') {
      if (this.loggedError !== b) this.log.error(`model unavailable: ${b.message ?? 'failed'}`);
      this.loggedError = b;
      this.status?.setModel({ kind: 'error', model: b.name, message: b.message ?? 'failed' });
    } else {
      this.status?.setModel({ kind: b.state, model: b.name });
    }
    this.status?.setChatModel(chat === b ? undefined : { name: chat.name, state: chat.state });
  }

  private disposeBackends(): void {
    const all = new Set([this.roles.completion.backend, this.roles.chat.backend]);
    for (const b of all) b?.dispose();
  }
}
