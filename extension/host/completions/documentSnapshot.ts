import * as vscode from 'vscode';
import type { CompletionDocument } from '../../core/completion/context';

/** Converts a VS Code document + cursor into the core's plain snapshot. */
export function toCompletionDocument(document: vscode.TextDocument, position: vscode.Position, editor?: vscode.TextEditorOptions): CompletionDocument {
  return {
    uri: document.uri.toString(),
    languageId: document.languageId,
    text: document.getText(),
    version: document.version,
    offset: document.offsetAt(position),
    relativePath: vscode.workspace.asRelativePath(document.uri, false),
    insertSpaces: typeof editor?.insertSpaces === 'boolean' ? editor.insertSpaces : true,
    tabSize: typeof editor?.tabSize === 'number' ? editor.tabSize : 4,
  };
}

/** A VS Code cancellation token as an AbortSignal (the core only knows AbortSignals). */
export function toAbortSignal(token: vscode.CancellationToken): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort(new Error('cancelled'));
  const sub = token.onCancellationRequested(() => controller.abort(new Error('cancelled')));
  return {
    signal: controller.signal,
    dispose: () => {
      sub.dispose();
    },
  };
}
