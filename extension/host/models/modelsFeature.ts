/**
 * Choosing and getting models in the editor: Lathe: Select Model (also in the status bar menu),
 * Add Model Folder… and Download Model…, over the model stores (the extension's global storage,
 * plus the CLI's store when `lathe models pull` filled one) and Lathe's network door.
 */
import { resolve } from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from '../../core/common/lifecycle';
import type { Logger } from '../../core/common/logger';
import type { Network } from '../../core/common/network';
import { MODEL_ROLES, rolesExplained, type ModelRole } from '../../core/models/roles';
import { ModelStore } from '../../core/models/store';
import { validateModelFolder } from '../../core/models/validate';
import { CommandIds } from '../commands/ids';
import { readSettings } from '../config';
import type { ModelRuntime } from '../modelRuntime';
import { downloadModel } from './downloadFlow';
import { pickModel, pickRole, type PickerDeps } from './modelPicker';

/** `lathe.selectModel` takes an optional role: `'chat'`, `'completion'` or `{ role }`. */
function roleArg(arg: unknown): ModelRole | undefined {
  const r = typeof arg === 'object' && arg !== null ? (arg as { role?: unknown }).role : arg;
  return MODEL_ROLES.find((x) => x === r);
}

export class ModelsFeature extends Disposable {
  readonly store: ModelStore;
  private readonly cliStore: ModelStore;

  constructor(
    private readonly runtime: ModelRuntime,
    storageDir: string,
    private readonly network: Network,
    private readonly log: Logger,
  ) {
    super();
    this.store = new ModelStore(storageDir);
    this.cliStore = new ModelStore(ModelStore.defaultRoot());
    this.register(vscode.commands.registerCommand(CommandIds.selectModel, (arg?: unknown) => this.selectModel(roleArg(arg))));
    this.register(vscode.commands.registerCommand(CommandIds.addModelFolder, (arg?: unknown) => this.addFolder(arg)));
    this.register(vscode.commands.registerCommand(CommandIds.downloadModel, () => this.download()));
  }

  private get deps(): PickerDeps {
    return {
      runtime: this.runtime,
      stores: () => (resolve(this.cliStore.root) === resolve(this.store.root) ? [this.store] : [this.store, this.cliStore]),
      network: this.network,
      log: this.log,
      addFolder: () => this.addFolder(undefined),
      remember: (dir) => this.remember(dir),
      // From the picker: it lists the new model right after, so no second question.
      download: () => this.download(false),
    };
  }

  async selectModel(role?: ModelRole): Promise<void> {
    const r = role ?? (await pickRole(this.runtime));
    if (r) await pickModel(r, this.deps);
  }

  download(offerRoles = true): Promise<string | undefined> {
    return downloadModel({ runtime: this.runtime, store: this.store, network: this.network, log: this.log, remember: (dir) => this.remember(dir) }, offerRoles);
  }

  /** Keeps a local folder listed in Select Model (downloads are listed already). */
  private async remember(dir: string): Promise<void> {
    if (!this.store.downloaded().some((m) => m.dir === dir)) await this.store.addFolder(dir);
  }

  /** Validates a folder against the engine contract and remembers it; resolves with the folder. */
  async addFolder(arg: unknown): Promise<string | undefined> {
    let dir = arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' ? arg : undefined;
    if (!dir) {
      const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Add Model Folder', title: 'Lathe: a Hugging Face ONNX model folder (config.json, tokenizer.json, onnx/)' });
      dir = picked?.[0]?.fsPath;
    }
    if (!dir) return undefined;
    const check = validateModelFolder(dir, readSettings().modelDtype);
    if (!check.ok) {
      this.log.warn(`not added as a model folder: ${check.reason}`);
      void vscode.window.showErrorMessage(`Lathe: ${dir} is not a usable model folder: ${check.reason}`);
      return undefined;
    }
    await this.store.addFolder(dir);
    this.log.info(`model folder added: ${dir} (${rolesExplained(check.roles)})`);
    void vscode.window.showInformationMessage(`Lathe: added ${check.folder.name} — ${rolesExplained(check.roles)}.`);
    return dir;
  }
}
