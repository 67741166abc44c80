/**
 * Applying a refactoring: the edit is shown first in a diff editor (the file as it is on the
 * left, as it would be on the right, read-only) with Apply / Discard in the editor title and in
 * a notification; Apply writes it as one workspace edit (one undo step), Discard or closing the
 * diff drops it. The documents must still be the versions the edit was computed from.
 */
import * as vscode from 'vscode';
import { LineIndex } from '../../core/context/lineIndex';
import { Disposable } from '../../core/common/lifecycle';
import type { RefactorOutcome } from '../../core/refactor/service';
import { CommandIds } from './ids';
import { applyTextEdits, rangeOffsets, type FileEdit } from '../../core/refactor/textEdits';

export const PREVIEW_SCHEME = 'lathe-preview';
export const PREVIEW_CONTEXT_KEY = 'lathe.previewActive';

/** Versions of the documents an outcome was computed from (by path). */
export type SourceVersions = ReadonlyMap<string, number>;

export class StaleDocumentError extends Error {}

interface Pending {
  readonly decide: (apply: boolean) => void;
  readonly previews: readonly vscode.Uri[];
}

let previews = 0;

export class EditPreview extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private pending: Pending | undefined;

  constructor() {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, this));
    this.register(vscode.commands.registerCommand(CommandIds.previewApply, () => this.pending?.decide(true)));
    this.register(vscode.commands.registerCommand(CommandIds.previewDiscard, () => this.pending?.decide(false)));
    // Closing the preview's diff editor discards it.
    this.register(
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        const p = this.pending;
        if (!p) return;
        const closed = e.closed.some((t) => t.input instanceof vscode.TabInputTextDiff && p.previews.some((u) => u.toString() === (t.input as vscode.TabInputTextDiff).modified.toString()));
        if (closed) p.decide(false);
      }),
    );
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** Shows the outcome as a diff and applies it when the user chooses Apply; false when discarded. */
  async show(outcome: RefactorOutcome, versions: SourceVersions): Promise<boolean> {
    this.pending?.decide(false);
    const files = new Map<string, FileEdit[]>();
    for (const e of outcome.edits) files.set(e.file, [...(files.get(e.file) ?? []), e]);
    const resources: Array<[vscode.Uri, vscode.Uri, vscode.Uri]> = [];
    const id = ++previews;
    for (const [file, edits] of files) {
      const target = uriOf(file);
      const created = outcome.createFiles.includes(file);
      const before = created ? '' : await currentText(target);
      const after = applyTextEdits(before, edits.map((e) => ({ ...rangeOffsets(new LineIndex(before), e.range), newText: e.newText })));
      const name = target.path.split('/').pop() ?? 'file';
      const right = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${name}`, query: `after=${id}&file=${encodeURIComponent(file)}` });
      const left = created ? vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${name}`, query: `before=${id}` }) : target;
      this.texts.set(right.toString(), after);
      if (created) this.texts.set(left.toString(), '');
      resources.push([target, left, right]);
    }
    const title = `${outcome.title} (Lathe preview)`;
    const decision = new Promise<boolean>((resolve) => {
      this.pending = {
        previews: resources.map((r) => r[2]),
        decide: (apply) => {
          this.pending = undefined;
          resolve(apply);
        },
      };
    });
    await vscode.commands.executeCommand('setContext', PREVIEW_CONTEXT_KEY, true);
    if (resources.length === 1) await vscode.commands.executeCommand('vscode.diff', resources[0][1], resources[0][2], title, { preview: false });
    else await vscode.commands.executeCommand('vscode.changes', title, resources);
    void vscode.window.showInformationMessage(`Lathe: ${outcome.title}?`, 'Apply', 'Discard').then((choice) => {
      if (choice) this.pending?.decide(choice === 'Apply');
    });
    const apply = await decision;
    await vscode.commands.executeCommand('setContext', PREVIEW_CONTEXT_KEY, false);
    await closePreviewTabs(resources.map((r) => r[2]));
    for (const r of resources) {
      this.texts.delete(r[2].toString());
      this.texts.delete(r[1].toString());
    }
    if (!apply) return false;
    for (const [path, version] of versions) {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === path || d.uri.toString() === path);
      if (open && open.version !== version) throw new StaleDocumentError(`${vscode.workspace.asRelativePath(open.uri)} changed while the preview was open; run the command again`);
    }
    const applied = await vscode.workspace.applyEdit(toWorkspaceEdit(outcome), { isRefactoring: true });
    // Back to the file the edit changed (the diff editor held the focus).
    const first = resources[0]?.[0];
    if (applied && first) await vscode.window.showTextDocument(first, { preview: false });
    return applied;
  }
}

export function toWorkspaceEdit(outcome: RefactorOutcome): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const path of outcome.createFiles) edit.createFile(uriOf(path), { ignoreIfExists: true });
  for (const e of outcome.edits) edit.replace(uriOf(e.file), new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character), e.newText);
  return edit;
}

/** A VS Code workspace edit (a rename provider's) as the file edits the preview shows. */
export function fileEditsOf(source: vscode.WorkspaceEdit): FileEdit[] {
  const out: FileEdit[] = [];
  for (const [uri, edits] of source.entries()) {
    for (const e of edits) {
      out.push({
        file: uri.scheme === 'file' ? uri.fsPath : uri.toString(),
        range: { start: { line: e.range.start.line, character: e.range.start.character }, end: { line: e.range.end.line, character: e.range.end.character } },
        newText: e.newText,
      });
    }
  }
  return out;
}

async function currentText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
}

async function closePreviewTabs(uris: readonly vscode.Uri[]): Promise<void> {
  const keys = new Set(uris.map((u) => u.toString()));
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => {
    const input = t.input;
    if (input instanceof vscode.TabInputTextDiff) return keys.has(input.modified.toString());
    if (input instanceof vscode.TabInputText) return keys.has(input.uri.toString());
    return t.label.endsWith('(Lathe preview)');
  });
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}

function uriOf(file: string): vscode.Uri {
  return /^[a-z][\w+.-]*:/i.test(file) && !/^[a-z]:[\\/]/i.test(file) ? vscode.Uri.parse(file) : vscode.Uri.file(file);
}
