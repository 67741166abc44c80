/**
 * The "Lathe Dataset" custom editor for *.jsonl files. Its priority is "option" (Reopen Editor
 * With… offers it and the text editor); files that look like training data switch to it as
 * they open (autoOpen.ts, lathe.datasets.openInEditor), and Lathe: Open Dataset Editor shows
 * one in its text tab's place. Documents are loaded with progress; each editor panel gets its
 * own webview session.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from '../../core/common/lifecycle';
import type { Logger } from '../../core/common/logger';
import type { SessionOptions } from '../../core/curation/document/session';
import { WorkerTokenCounter } from '../../core/curation/document/workerCounter';
import { DEFAULT_ROW_LIMITS } from '../../core/curation/jsonl/parse';
import { modelContextLength } from '../../core/curation/lint/modelCounter';
import { DATASET_EDITOR_TITLE, DATASET_EDITOR_VIEW_TYPE } from '../../protocol/curation';
import { readSettings } from '../config';
import { renderWebviewHtml, webviewOptions } from '../webview/html';
import { DatasetAutoOpen, isDatasetTab, replaceWithDatasetEditor } from './autoOpen';
import { DatasetDocument } from './datasetDocument';
import { DatasetEditorSession } from './editorSession';

export class DatasetEditorProvider extends Disposable implements vscode.CustomEditorProvider<DatasetDocument> {
  private readonly workers = new Map<string, WorkerTokenCounter>();
  private readonly edits = new vscode.EventEmitter<vscode.CustomDocumentEditEvent<DatasetDocument>>();
  readonly onDidChangeCustomDocument = this.edits.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Logger,
    private readonly options: () => SessionOptions & { readonly tokenizerDir?: string },
  ) {
    super();
    this.register(this.edits);
    this.register(new DatasetAutoOpen(log));
    this.register(
      vscode.window.registerCustomEditorProvider(DATASET_EDITOR_VIEW_TYPE, this, {
        webviewOptions: { retainContextWhenHidden: true },
        supportsMultipleEditorsPerDocument: false,
      }),
    );
  }

  /** Opens `uri` (or the active .jsonl file, or one the user picks) in the dataset editor. */
  async open(uri?: vscode.Uri): Promise<void> {
    let target = uri;
    // The active tab, not activeTextEditor: a large file's tab is active before its text has
    // reached the extension host.
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    const input = tab?.input;
    if (tab && isDatasetTab(tab, target)) return; // already showing it
    const active = input instanceof vscode.TabInputText ? input.uri : vscode.window.activeTextEditor?.document.uri;
    if (!target && active?.path.endsWith('.jsonl')) target = active;
    if (!target) {
      const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'JSON Lines datasets': ['jsonl'] }, openLabel: 'Open Dataset' });
      target = picked?.[0];
    }
    if (!target) return;
    // From the file's text tab: the dataset editor takes that tab's place (no second tab).
    if (tab && input instanceof vscode.TabInputText && input.uri.toString() === target.toString()) await replaceWithDatasetEditor(tab, target);
    else await vscode.commands.executeCommand('vscode.openWith', target, DATASET_EDITOR_VIEW_TYPE);
  }

  async openCustomDocument(uri: vscode.Uri, openContext: vscode.CustomDocumentOpenContext): Promise<DatasetDocument> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Loading ${uri.path.split('/').pop()}` }, async (progress) => {
      let last = 0;
      const doc = await DatasetDocument.open(uri, openContext.backupId, this.sessionOptions(), this.log, (phase, done, total) => {
        const pct = total > 0 ? Math.floor((done / total) * 100) : 0;
        if (pct !== last) {
          progress.report({ message: `${phase} ${pct}%` });
          last = pct;
        }
      });
      doc.onDidEdit((e) => this.edits.fire(e));
      doc.scheduleAnalysis(0);
      return doc;
    });
  }

  /** Session options with a token-counting worker for the model's tokenizer, when the bundle has one. */
  private sessionOptions(): SessionOptions {
    const { tokenizerDir, ...defaults } = this.options();
    // Rows longer than the model's context are the over-length rows that matter for it.
    const limits = { ...DEFAULT_ROW_LIMITS, maxRowBytes: readSettings().datasetsMaxRowBytes };
    const options = { ...defaults, limits, maxTokens: (tokenizerDir && modelContextLength(tokenizerDir)) || defaults.maxTokens };
    const script = join(this.extensionUri.fsPath, 'dist', 'curation-tokens.js');
    if (!tokenizerDir || !existsSync(script)) return options;
    let worker = this.workers.get(tokenizerDir);
    if (!worker) {
      worker = new WorkerTokenCounter(script, tokenizerDir, options.counter.name);
      this.workers.set(tokenizerDir, worker);
    }
    return { ...options, batchCounter: worker };
  }

  override dispose(): void {
    for (const w of this.workers.values()) w.dispose();
    this.workers.clear();
    super.dispose();
  }

  resolveCustomEditor(document: DatasetDocument, panel: vscode.WebviewPanel): void {
    panel.webview.options = webviewOptions(this.extensionUri);
    const title = `${DATASET_EDITOR_TITLE}: ${document.fileName}`.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    panel.webview.html = renderWebviewHtml(panel.webview, this.extensionUri, { title, script: 'curation.js', styles: ['curation.css'] });
    const session = new DatasetEditorSession(panel.webview, document, this.log.child('dataset'));
    panel.onDidDispose(() => session.dispose());
  }

  saveCustomDocument(document: DatasetDocument): Promise<void> {
    return document.save();
  }

  saveCustomDocumentAs(document: DatasetDocument, destination: vscode.Uri): Promise<void> {
    return document.saveAs(destination);
  }

  revertCustomDocument(document: DatasetDocument): Promise<void> {
    return document.revert();
  }

  backupCustomDocument(document: DatasetDocument, context: vscode.CustomDocumentBackupContext): Promise<vscode.CustomDocumentBackup> {
    return document.backup(context.destination);
  }
}
