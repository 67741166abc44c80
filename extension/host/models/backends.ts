/**
 * Starting one backend for a model role: the in-process engine over a model folder, or an
 * OpenAI-compatible server through Lathe's network door (refused in offline mode). The runtime
 * decides which backend each role gets and when to restart it; this module only builds them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../../base/errorText';
import type { ModelState } from '../../base/modelState';
import { OpenAiClient, RemoteError } from '../../core/backends/openaiClient';
import { guessFimFamily } from '../../core/backends/serverRoles';
import type { Network } from '../../core/common/network';
import type { Logger } from '../../core/common/logger';
import { createEngine } from '../../core/engine/client/engine';
import type { TextGenerator } from '../../core/engine/shared/generator';
import { FAMILY_FIM, type FimSpec } from '../../core/models/fim';
import { readModelFolder, type ModelFolder } from '../../core/models/folder';
import { approximateTokenCounter, type TokenCounter } from '../../core/models/tokenCounter';
import type { LatheSettings, RemoteFimTemplate } from '../config';

/** What a role runs on. */
export type BackendSpec =
  | { readonly kind: 'local'; readonly dir: string; readonly embedded: boolean; readonly fromSetting: string }
  | { readonly kind: 'remote'; readonly url: string; readonly model: string; readonly fim: RemoteFimTemplate; readonly fromSetting: string };

export interface Backend {
  readonly name: string;
  state: ModelState;
  message?: string;
  generator?: TextGenerator;
  readonly folder?: ModelFolder;
  /** May be learned after start (a remote server with `fimTemplate: auto`). */
  fim?: FimSpec;
  readonly counter: TokenCounter;
  /** The folder or the server URL. */
  readonly location: string;
  dispose(): void;
}

export interface BackendDeps {
  readonly log: Logger;
  readonly storageDir: string;
  readonly network: Network;
  readonly apiKey: () => Thenable<string | undefined>;
  /** Asks before a workspace-chosen (or unencrypted, keyed) server URL is used: undefined = allowed, else why not. */
  readonly approveRemote: (url: string, hasApiKey: boolean, settingKey: string) => Promise<string | undefined>;
  /** Called when a backend's state (or learned FIM template) changed after start. */
  readonly changed: (backend: Backend) => void;
}

export function failedBackend(name: string, location: string, message: string): Backend {
  return { name, location, state: 'error', message, counter: approximateTokenCounter, dispose: () => undefined };
}

/** Starts the backend; a local model is loaded right away only with `preload` (else on first use). */
export function startBackend(spec: BackendSpec, settings: LatheSettings, deps: BackendDeps, preload: boolean): Backend {
  return spec.kind === 'remote' ? startRemote(spec, deps) : startLocal(spec, settings, deps, preload);
}

function setState(backend: Backend, deps: BackendDeps, state: ModelState, message?: string): void {
  backend.state = state;
  backend.message = message;
  deps.changed(backend);
}

function startRemote(spec: Extract<BackendSpec, { kind: 'remote' }>, deps: BackendDeps): Backend {
  let host: string;
  try {
    host = new URL(spec.url).host;
  } catch {
    return failedBackend(spec.url, spec.url, `${spec.fromSetting} '${spec.url}' is not a URL (expected e.g. http://localhost:8000/v1)`);
  }
  const name = spec.model || host;
  if (deps.network.offline) {
    return failedBackend(name, spec.url, `offline mode is on (lathe.offline): the server at ${spec.url} is not contacted; turn offline mode off, or pick a local model with Lathe: Select Model`);
  }
  const fixed = spec.fim === 'none' || spec.fim === 'auto' ? undefined : FAMILY_FIM[spec.fim];
  const backend: Backend = { name, location: spec.url, state: 'loading', fim: fixed, counter: approximateTokenCounter, dispose: () => undefined };
  deps.log.info(`using the remote server ${spec.url}${spec.model ? ` (model ${spec.model})` : ''}`);
  // The API key lives in VS Code's secret storage; the client exists once it has been read.
  Promise.resolve(deps.apiKey())
    .then(async (apiKey) => {
      // No code leaves the machine before the user allowed this URL (when it needs asking).
      const refusal = await deps.approveRemote(spec.url, !!apiKey, spec.fromSetting.replace(/^lathe\./, ''));
      if (refusal) throw new RemoteError(refusal);
      const client = new OpenAiClient({ baseUrl: spec.url, model: spec.model || undefined, apiKey, fetch: (url, init) => deps.network.fetch(`The remote server ${spec.url}`, url, init) });
      backend.generator = client;
      const info = await client.info();
      if (spec.fim === 'auto') {
        const served = client.servedModel();
        const family = guessFimFamily(info.id);
        backend.fim = served?.fim ?? (family ? FAMILY_FIM[family] : undefined);
        deps.log.info(`remote model ${info.id}: ${backend.fim ? `FIM ${backend.fim.family}${served?.fim ? ' (reported by the server)' : ' (from its name)'}` : 'no known fill-in-the-middle template: inline completions are off for it'}`);
      }
      deps.log.info(`remote model ${info.id}, context ${info.contextLength} tokens`);
      setState(backend, deps, 'ready');
    })
    .catch((err: unknown) => {
      deps.log.error('the remote server is not usable', err);
      setState(backend, deps, 'error', errorMessage(err));
    });
  return backend;
}

function startLocal(spec: Extract<BackendSpec, { kind: 'local' }>, settings: LatheSettings, deps: BackendDeps, preload: boolean): Backend {
  const { dir } = spec;
  if (!existsSync(join(dir, 'config.json'))) {
    return failedBackend(dir, dir, spec.embedded ? `the embedded model is missing from this installation (${dir})` : `${spec.fromSetting} points at '${dir}', which has no config.json`);
  }
  let folder: ModelFolder;
  try {
    folder = readModelFolder(dir);
  } catch (err) {
    return failedBackend(dir, dir, errorMessage(err));
  }
  const engine = createEngine({
    modelDir: dir,
    dtype: settings.modelDtype,
    threads: settings.engineThreads,
    spinning: settings.engineSpinning,
    idleUnloadMs: settings.engineIdleUnloadMinutes * 60_000,
    logger: deps.log.child('engine'),
    cacheDir: deps.storageDir,
  });
  let counter: TokenCounter = approximateTokenCounter;
  try {
    counter = folder.tokenCounter();
  } catch (err) {
    deps.log.warn(`token counting falls back to an estimate: ${errorMessage(err)}`);
  }
  const backend: Backend = {
    name: folder.name,
    location: dir,
    state: preload ? 'loading' : 'unloaded',
    generator: engine,
    folder,
    fim: folder.fim,
    counter,
    dispose: () => {
      sub.dispose();
      engine.dispose();
    },
  };
  const sub = engine.onStateChange((state) => setState(backend, deps, state.kind, state.kind === 'error' ? state.message : undefined));
  deps.log.info(`using model ${dir} (dtype ${settings.modelDtype})${folder.fim ? `, FIM ${folder.fim.family}` : ', no FIM tokens'}${folder.chatTemplate ? ', chat template' : ''}`);
  // Load in the background so the first request does not pay for it.
  if (preload) engine.info().catch((err) => deps.log.error(`loading ${dir} failed`, err));
  return backend;
}
