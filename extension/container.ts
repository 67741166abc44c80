/**
 * Composition root: every service is created here, once, and disposed here in reverse order.
 * Nothing else constructs services; dependencies are passed through constructors.
 */
import * as vscode from 'vscode';
import { DisposableStore } from './core/common/lifecycle';
import { createLogger, type Logger } from './core/common/logger';
import { PlainContextBuilder } from './core/completion/context';
import { CommandIds } from './host/commands/ids';
import { CompletionsFeature } from './host/completions/completionsFeature';
import { startFeature } from './host/lifecycle';
import { createOutputSink, LOG_CHANNEL_NAME } from './host/logger';
import { ModelRuntime } from './host/modelRuntime';
import { PromptLabHost } from './host/promptlab/promptLabPanel';
import { StatusBar } from './host/status';

export class Container extends DisposableStore {
  readonly log: Logger;

  constructor(readonly context: vscode.ExtensionContext) {
    super();
    const channel = this.add(vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true }));
    this.log = createLogger(createOutputSink(channel), 'lathe');
    const version = String(context.extension.packageJSON.version ?? '0.0.0');

    this.add(vscode.commands.registerCommand(CommandIds.showLogs, () => channel.show(true)));

    const status = startFeature('status bar', this.log, () => new StatusBar());
    if (status) this.add(status);

    const runtime = this.add(
      new ModelRuntime(context.extensionUri, this.log.child('model'), status, new PlainContextBuilder(), context.globalStorageUri.fsPath),
    );
    const completions = startFeature('inline completions', this.log, () => new CompletionsFeature(this.log.child('completions'), status, () => runtime.pipeline));
    if (completions) {
      this.add(completions);
      this.add(runtime.onDidChange(() => completions.reset()));
    }

    const promptLab = startFeature('Prompt Lab', this.log, () =>
      new PromptLabHost(context.extensionUri, this.log, () => ({
        extensionVersion: version,
        modelName: runtime.modelName,
        modelState: runtime.stateKind,
      }), runtime),
    );
    if (promptLab) {
      this.add(promptLab);
    }
    this.add(
      vscode.commands.registerCommand(CommandIds.openPromptLab, () =>
        promptLab ? promptLab.openPanel() : vscode.window.showErrorMessage('Lathe: Prompt Lab failed to start; see the log.'),
      ),
    );

    this.log.info(`Lathe ${version} activated (node ${process.version}, ${process.platform}-${process.arch})`);
  }
}
