/**
 * What a refactoring needs before it starts: an editor, a trusted workspace and a writable
 * document; the document as the core's plain snapshot.
 */
import { access, constants } from 'node:fs/promises';
import * as vscode from 'vscode';
import { RefactorError } from '../../core/refactor/errors';
import type { RefactorDocument } from '../../core/refactor/service';

export interface EditorTarget {
  readonly editor: vscode.TextEditor;
  readonly doc: RefactorDocument;
}

export async function writableEditor(feature: string): Promise<EditorTarget> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) throw new RefactorError('no-target', `${feature}: open a file and put the cursor in it first`);
  await ensureWritable(editor.document, feature);
  return { editor, doc: snapshot(editor.document) };
}

export async function ensureWritable(document: vscode.TextDocument, feature: string): Promise<void> {
  const name = vscode.workspace.asRelativePath(document.uri);
  if (!vscode.workspace.isTrusted) throw new RefactorError('read-only', `${feature} edits files, and this workspace is in Restricted Mode: trust the workspace first`);
  if (vscode.workspace.fs.isWritableFileSystem(document.uri.scheme) === false) throw new RefactorError('read-only', `${name} is read-only (${document.uri.scheme}): nothing was changed`);
  if (document.uri.scheme === 'file') {
    try {
      await access(document.uri.fsPath, constants.W_OK);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new RefactorError('read-only', `${name} is read-only on disk: nothing was changed`);
    }
  }
}

export function snapshot(document: vscode.TextDocument): RefactorDocument {
  return {
    uri: document.uri.toString(),
    path: document.uri.scheme === 'file' ? document.uri.fsPath : document.uri.toString(),
    languageId: document.languageId,
    version: document.version,
    text: document.getText(),
  };
}
