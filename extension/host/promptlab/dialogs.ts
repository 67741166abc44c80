/** The VS Code UI Prompt Lab needs: file pickers and the workspace's prompt files. */
import { relative } from 'node:path';
import * as vscode from 'vscode';

const PROMPTY_FILTER = { Prompty: ['prompty'] };

export async function pickPromptFile(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: PROMPTY_FILTER, openLabel: 'Open in Prompt Lab' });
  return picked?.[0]?.fsPath;
}

export async function pickSaveLocation(suggestedName: string): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const defaultUri = folder ? vscode.Uri.joinPath(folder, suggestedName) : undefined;
  const picked = await vscode.window.showSaveDialog({ defaultUri, filters: PROMPTY_FILTER, saveLabel: 'Save prompt' });
  return picked?.fsPath;
}

export async function pickDatasetToAppend(): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const picked = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, 'preferences.jsonl') : undefined,
    filters: { 'JSON Lines': ['jsonl'] },
    saveLabel: 'Append to dataset',
    title: 'Dataset file for picked outputs (rows are appended)',
  });
  return picked?.fsPath;
}

export async function pickEvalDataset(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { Datasets: ['jsonl', 'csv'] }, openLabel: 'Evaluate on this dataset' });
  return picked?.[0]?.fsPath;
}

export async function workspacePrompts(): Promise<Array<{ path: string; label: string }>> {
  const uris = await vscode.workspace.findFiles('**/*.prompty', '**/{node_modules,.git}/**', 200);
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return uris
    .map((u) => ({ path: u.fsPath, label: root ? relative(root, u.fsPath) : u.fsPath }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

/** The workspace folders on disk: where a prompt's `${file:…}` references may lead (none: the prompt's own folder). */
export function workspaceRoots(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}
