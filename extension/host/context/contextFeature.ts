/**
 * Feeds the context engine from VS Code: open documents and their edits (incremental
 * reparse), closes, file changes on disk, and a background tags index of the workspace.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from '../../core/common/lifecycle';
import type { Logger } from '../../core/common/logger';
import { locateAssets } from '../../core/context/assets';
import { ContextEngine } from '../../core/context/engine';
import { isIndexableLanguage, languageIdForPath } from '../../core/context/languages';
import type { DocumentSnapshot, TextChange } from '../../core/context/types';
import { fileSystemSource } from '../../core/context/workspaceSource';

function snapshot(doc: vscode.TextDocument): DocumentSnapshot {
  return { uri: doc.uri.toString(), languageId: doc.languageId, version: doc.version, text: doc.getText() };
}

/** A parse that throws is a bug in Lathe: the log keeps where it was thrown. */
const withStack = (err: unknown) => (err instanceof Error && err.stack) || String(err);

const tracked = (doc: vscode.TextDocument) => doc.uri.scheme === 'file' || doc.uri.scheme === 'untitled' || doc.uri.scheme === 'vscode-remote';

export class ContextFeature extends Disposable {
  readonly engine: ContextEngine;
  private readonly indexing = new AbortController();

  constructor(extensionUri: vscode.Uri, private readonly log: Logger) {
    super();
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    this.engine = this.register(new ContextEngine({ assets: locateAssets(join(extensionUri.fsPath, 'dist')), log, workspaceRoot: root }));
    this.register({ dispose: () => this.indexing.abort(new Error('extension deactivated')) });

    const open = (doc: vscode.TextDocument) => {
      if (tracked(doc)) this.engine.openDocument(snapshot(doc)).catch((err) => log.warn(`parsing ${doc.uri.fsPath} failed: ${withStack(err)}`));
    };
    vscode.workspace.textDocuments.forEach(open);
    this.register(vscode.workspace.onDidOpenTextDocument(open));
    this.register(vscode.workspace.onDidCloseTextDocument((doc) => this.engine.closeDocument(doc.uri.toString())));
    this.register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!tracked(e.document) || e.contentChanges.length === 0) return;
        const changes: TextChange[] = e.contentChanges.map((c) => ({ startOffset: c.rangeOffset, oldEndOffset: c.rangeOffset + c.rangeLength, newText: c.text }));
        this.engine.updateDocument(snapshot(e.document), changes).catch((err) => log.warn(`reparsing ${e.document.uri.fsPath} failed: ${withStack(err)}`));
      }),
    );

    const watcher = this.register(vscode.workspace.createFileSystemWatcher('**/*'));
    const reindex = (uri: vscode.Uri) => {
      const languageId = languageIdForPath(uri.fsPath);
      if (!isIndexableLanguage(languageId) || uri.fsPath.includes('node_modules')) return;
      vscode.workspace.fs.readFile(uri).then(
        (bytes) => this.engine.fileChanged(uri.toString(), languageId, Buffer.from(bytes).toString('utf8')),
        () => undefined,
      );
    };
    this.register(watcher.onDidChange(reindex));
    this.register(watcher.onDidCreate(reindex));
    this.register(watcher.onDidDelete((uri) => this.engine.fileDeleted(uri.toString())));

    if (root) void this.indexWorkspace(root);
  }

  private async indexWorkspace(root: string): Promise<void> {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Lathe: indexing definitions' }, async () => {
      try {
        const stats = await this.engine.indexWorkspace(fileSystemSource(root), this.indexing.signal);
        this.log.info(`tags index: ${JSON.stringify(stats)}`);
      } catch (err) {
        if (!this.indexing.signal.aborted) this.log.error('indexing the workspace failed', err);
      }
    });
  }
}
