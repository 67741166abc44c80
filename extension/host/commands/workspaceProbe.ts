/** The workspace's files as Generate Tests searches them (through VS Code's file system). */
import * as vscode from 'vscode';
import type { FileProbe } from '../../core/refactor/testFiles';

export const workspaceProbe: FileProbe = {
  exists: async (path) => {
    try {
      return (await vscode.workspace.fs.stat(vscode.Uri.file(path))).type === vscode.FileType.File;
    } catch {
      return false;
    }
  },
  read: async (path) => {
    // An open editor's unsaved text is what the user sees: prefer it.
    const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === path);
    if (open) return open.getText();
    try {
      return Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.file(path))).toString('utf8');
    } catch {
      return undefined;
    }
  },
  list: async (dir) => {
    try {
      return (await vscode.workspace.fs.readDirectory(vscode.Uri.file(dir))).map(([name]) => name);
    } catch {
      return [];
    }
  },
};
