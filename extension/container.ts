/**
 * Composition root: every service is created here, once, and disposed here in reverse order.
 * Nothing else constructs services; dependencies are passed through constructors.
 */
import * as vscode from 'vscode';
import { DisposableStore } from './core/common/lifecycle';
import { createLogger, type Logger } from './core/common/logger';
import { CommandIds } from './host/commands/ids';
import { CompletionsFeature } from './host/completions/completionsFeature';
import { DatasetEditorProvider } from './host/curation/datasetEditorProvider';
import { approximateCounter } from './core/curation/lint/tokens';
import { ContextFeature } from './host/context/contextFeature';
import { startFeature } from './host/lifecycle';
import { createOutputSink, LOG_CHANNEL_NAME } from './host/logger';
import { ModelRuntime, REMOTE_API_KEY_SECRET } from './host/modelRuntime';
import { ModelsFeature } from './host/models/modelsFeature';
import { readSettings } from './host/config';
import { createNetwork } from './core/common/network';
import { ImageFeature } from './host/imagegen/imageFeature';
import { PromptLabHost } from './host/promptlab/promptLabPanel';
import { RefactorFeature } from './host/commands/refactorFeature';
import { StatusBar } from './host/status';
import { SettingApprovals } from './host/trust/settingApprovals';

export class Container extends DisposableStore {
  readonly log: Logger;

  constructor(readonly context: vscode.ExtensionContext) {
    super();
    const channel = this.add(vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true }));
    this.log = createLogger(createOutputSink(channel), 'lathe');
    const manifest = context.extension.packageJSON as { version?: unknown };
    const version = typeof manifest.version === 'string' ? manifest.version : '0.0.0';

    this.add(vscode.commands.registerCommand(CommandIds.showLogs, () => channel.show(true)));

    const status = startFeature('status bar', this.log, () => new StatusBar());
    if (status) this.add(status);

    // Completions use the tree-sitter context engine; plain windows if it fails to start.
    const contextFeature = startFeature('code context', this.log, () => new ContextFeature(context.extensionUri, this.log.child('context')));
    if (contextFeature) this.add(contextFeature);
    // Asks before a workspace's settings send code to a server or write a file outside it.
    const approvals = new SettingApprovals(context.globalState, this.log.child('trust'));
    // Lathe's one door to the network: shut in offline mode (lathe.offline).
    const network = createNetwork(() => readSettings().offline);
    const model = this.add(
      new ModelRuntime(
        context.extensionUri,
        this.log.child('model'),
        status,
        context.globalStorageUri.fsPath,
        network,
        () => context.secrets.get(REMOTE_API_KEY_SECRET),
        (url, hasApiKey, key) => approvals.approveBackend(url, hasApiKey, key),
      ),
    );
    const models = startFeature('model picker', this.log, () => new ModelsFeature(model, context.globalStorageUri.fsPath, network, this.log.child('models')));
    if (models) this.add(models);
    this.add(
      vscode.commands.registerCommand(CommandIds.setRemoteApiKey, async () => {
        const key = await vscode.window.showInputBox({ title: 'API key for lathe.backend.url (empty removes it)', password: true, ignoreFocusOut: true });
        if (key === undefined) return;
        if (key) await context.secrets.store(REMOTE_API_KEY_SECRET, key);
        else await context.secrets.delete(REMOTE_API_KEY_SECRET);
        model.restart();
      }),
    );
    const completions = startFeature('inline completions', this.log, () => new CompletionsFeature(this.log.child('completions'), status, model.completion, context.workspaceState, contextFeature?.engine, () => approvals.captureFile()));
    if (completions) this.add(completions);

    const images = startFeature('image generation', this.log, () => new ImageFeature(context.extensionUri, this.log.child('image'), context.globalStorageUri.fsPath));
    if (images) this.add(images);
    this.add(
      vscode.commands.registerCommand(CommandIds.generateImage, () =>
        images ? images.generateImageCommand() : vscode.window.showErrorMessage('Lathe: image generation failed to start; see the log.'),
      ),
    );

    const refactors = startFeature('refactorings', this.log, () => new RefactorFeature(contextFeature?.engine, { completion: model.completion, chat: model.chat }, this.log.child('refactor')));
    if (refactors) this.add(refactors);

    const promptLab = startFeature('Prompt Lab', this.log, () => new PromptLabHost(context.extensionUri, this.log, version, model.chat, images));
    if (promptLab) {
      this.add(promptLab);
    }
    this.add(
      vscode.commands.registerCommand(CommandIds.openPromptLab, (file?: vscode.Uri) =>
        promptLab ? promptLab.openPanel(file?.fsPath) : vscode.window.showErrorMessage('Lathe: Prompt Lab failed to start; see the log.'),
      ),
    );

    const datasets = startFeature('dataset editor', this.log, () =>
      new DatasetEditorProvider(context.extensionUri, this.log.child('dataset'), () => {
        const { folder, counter } = model.completion.current;
        return folder ? { counter, maxTokens: 4096, tokenizerDir: folder.dir } : { counter: approximateCounter, maxTokens: 4096 };
      }),
    );
    if (datasets) this.add(datasets);
    this.add(
      vscode.commands.registerCommand(CommandIds.openDatasetEditor, (uri?: vscode.Uri) =>
        datasets ? datasets.open(uri instanceof vscode.Uri ? uri : undefined) : vscode.window.showErrorMessage('Lathe: the dataset editor failed to start; see the log.'),
      ),
    );

    this.log.info(`Lathe ${version} activated (node ${process.version}, ${process.platform}-${process.arch})`);
  }
}
