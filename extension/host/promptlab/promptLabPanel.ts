import { join } from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from '../../core/common/lifecycle';
import type { Logger } from '../../core/common/logger';
import { WorkerRenderer } from '../../core/promptlab/template/workerRenderer';
import { PROMPT_LAB_VIEW_TYPE } from '../../protocol/promptlab';
import type { ModelSource } from '../modelRuntime';
import { renderWebviewHtml, webviewOptions } from '../webview/html';
import { ModelPool } from './modelPool';
import { PromptLabSession } from './session';
import type { ImageService } from './textImage';
import { errorMessage } from '../../base/errorText';

export const PROMPT_LAB_SIDEBAR_VIEW = 'lathe.promptLabView';

/** Prompt Lab as an editor panel (one at a time) and as a side bar view. */
export class PromptLabHost extends Disposable implements vscode.WebviewViewProvider {
  private panel: { panel: vscode.WebviewPanel; session: PromptLabSession } | undefined;
  private readonly models: ModelPool;
  private readonly renderer: WorkerRenderer;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Logger,
    private readonly extensionVersion: string,
    private readonly model: ModelSource,
    private readonly images?: ImageService,
  ) {
    super();
    this.models = this.register(new ModelPool(log.child('promptlab')));
    this.renderer = this.register(new WorkerRenderer({ path: join(extensionUri.fsPath, 'dist', 'template-worker.js') }));
    this.register(vscode.window.registerWebviewViewProvider(PROMPT_LAB_SIDEBAR_VIEW, this, { webviewOptions: { retainContextWhenHidden: true } }));
  }

  /** Opens (or reveals) the Prompt Lab editor panel, optionally loading a .prompty file into it. */
  openPanel(file?: string): void {
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(PROMPT_LAB_VIEW_TYPE, 'Prompt Lab', vscode.ViewColumn.Beside, {
        ...webviewOptions(this.extensionUri),
        retainContextWhenHidden: true,
      });
      const session = this.attach(panel.webview);
      this.panel = { panel, session };
      panel.onDidDispose(() => {
        session.dispose();
        this.panel = undefined;
      });
    } else {
      this.panel.panel.reveal();
    }
    if (file) {
      this.panel.session.openFile(file).catch((err) => {
        this.log.error(`opening ${file} in Prompt Lab failed`, err);
        void vscode.window.showErrorMessage(`Lathe: ${errorMessage(err)}`);
      });
    }
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    view.webview.options = webviewOptions(this.extensionUri);
    const session = this.attach(view.webview);
    view.onDidDispose(() => session.dispose());
  }

  private attach(webview: vscode.Webview): PromptLabSession {
    webview.html = renderWebviewHtml(webview, this.extensionUri, { title: 'Prompt Lab', script: 'promptlab.js', styles: ['promptlab.css'] });
    return new PromptLabSession(webview, {
      model: this.model,
      extensionVersion: this.extensionVersion,
      log: this.log.child('promptlab'),
      cotDir: vscode.Uri.joinPath(this.extensionUri, 'media', 'promptlab', 'cot').fsPath,
      models: this.models,
      images: this.images,
      renderer: this.renderer.render,
    });
  }

  override dispose(): void {
    this.panel?.panel.dispose();
    super.dispose();
  }
}
