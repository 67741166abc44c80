/**
 * The refactoring commands (palette category "Lathe", also offered as code actions): each takes
 * the active editor, runs the core with delayed, cancellable progress, and shows the edit in
 * the refactor preview. A refusal is one message naming the reason; nothing is written.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../base/errorText';
import { Disposable } from '../../core/common/lifecycle';
import type { Logger } from '../../core/common/logger';
import { isRefactorError } from '../../core/refactor/errors';
import type { PendingExtract, RefactorOutcome, RefactorService } from '../../core/refactor/service';
import { CommandIds } from './ids';
import { writableEditor, type EditorTarget } from './documentGuard';
import { fileEditsOf, StaleDocumentError, type EditPreview } from './editPreview';
import { withDelayedProgress } from './progress';

export class RefactorCommands extends Disposable {
  constructor(
    private readonly service: RefactorService,
    private readonly preview: EditPreview,
    private readonly log: Logger,
  ) {
    super();
    const cmd = (id: string, title: string, run: (target: EditorTarget) => Promise<void>) => this.register(vscode.commands.registerCommand(id, () => this.guarded(title, run)));
    cmd(CommandIds.generateDocComment, 'Generate Doc Comment', (t) => this.simple('Generating the doc comment…', t, (signal) => service.docComment(t.doc, this.offset(t), { signal })));
    cmd(CommandIds.completeFunctionBody, 'Complete Function Body', (t) => this.simple('Writing the function body…', t, (signal) => service.completeBody(t.doc, this.offset(t), { signal })));
    cmd(CommandIds.generateCodeFromComment, 'Generate Code from Comment', (t) => this.simple('Writing code for the comment…', t, (signal) => service.codeFromComment(t.doc, this.offset(t), { signal })));
    cmd(CommandIds.generateTests, 'Generate Tests', (t) => this.simple('Writing tests…', t, (signal) => service.tests(t.doc, this.offset(t), this.rootOf(t), { signal })));
    cmd(CommandIds.extractFunction, 'Extract Function', (t) => this.extract(t));
    cmd(CommandIds.suggestNames, 'Suggest Names', (t) => this.names(t));
  }

  private offset(t: EditorTarget): number {
    return t.editor.document.offsetAt(t.editor.selection.active);
  }

  private rootOf(t: EditorTarget): string {
    const folder = vscode.workspace.getWorkspaceFolder(t.editor.document.uri);
    return folder?.uri.fsPath ?? t.doc.path.replace(/[\\/][^\\/]*$/, '');
  }

  /** Runs a command body; refusals and failures become one message each. */
  private async guarded(title: string, run: (target: EditorTarget) => Promise<void>): Promise<void> {
    try {
      await run(await writableEditor(title));
    } catch (err) {
      if (err instanceof Error && err.message === 'cancelled') return;
      if (isRefactorError(err) || err instanceof StaleDocumentError) {
        this.log.info(`${title}: ${err.message}`);
        void vscode.window.showWarningMessage(`Lathe ${title}: ${err.message}`);
        return;
      }
      this.log.error(`${title} failed`, err);
      void vscode.window.showErrorMessage(`Lathe ${title} failed: ${errorMessage(err)}`);
    }
  }

  private async simple(progress: string, t: EditorTarget, make: (signal: AbortSignal) => Promise<RefactorOutcome>): Promise<void> {
    const outcome = await withDelayedProgress(`Lathe: ${progress}`, (signal) => make(signal));
    await this.apply(outcome, t);
  }

  private async apply(outcome: RefactorOutcome, t: EditorTarget): Promise<void> {
    const applied = await this.preview.show(outcome, new Map([[t.doc.path, t.doc.version]]));
    this.log.info(`${outcome.title}: ${applied ? 'applied' : 'discarded'}`);
  }

  private async extract(t: EditorTarget): Promise<void> {
    const sel = t.editor.selection;
    const document = t.editor.document;
    const pending: PendingExtract = await withDelayedProgress('Lathe: Extracting a function…', (signal) =>
      this.service.extract(t.doc, document.offsetAt(sel.start), document.offsetAt(sel.end), { signal }),
    );
    const name = await pickName(
      pending.names.map((n) => ({ label: n.name, description: n.source === 'model' ? `model · logprob ${n.logprob?.toFixed(2)}` : 'from the return value' })),
      (value) => pending.plan.nameProblem(value),
      `Name of the extracted ${pending.plan.analysis.asMethod ? 'method' : 'function'} (pick one or type your own)`,
    );
    if (!name) return;
    await this.apply(pending.finish(name), t);
  }

  private async names(t: EditorTarget): Promise<void> {
    const document = t.editor.document;
    const position = t.editor.selection.active;
    const r = await withDelayedProgress('Lathe: Suggesting names…', (signal) => this.service.names(t.doc, document.offsetAt(position), { signal }));
    const name = await pickName(
      r.suggestions.map((s) => ({ label: s.name, description: `model · logprob ${s.logprob.toFixed(2)}` })),
      () => undefined,
      `Rename '${r.current}' to…`,
    );
    if (!name) return;
    // The language's own rename provider knows the whole project; tree-sitter's rename is the fallback.
    let provided: vscode.WorkspaceEdit | undefined;
    try {
      provided = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', document.uri, position, name);
    } catch (err) {
      this.log.debug(`no rename provider for ${document.languageId}: ${errorMessage(err)}`);
    }
    if (provided && provided.size > 0) {
      const edits = fileEditsOf(provided);
      this.log.info(`rename ${r.current} → ${name} through the language's rename provider (${edits.length} edits)`);
      await this.apply({ kind: 'names', title: `Rename ${r.current} to ${name}`, edits, createFiles: [], details: {} }, t);
      return;
    }
    await this.apply(r.rename(name), t);
  }
}

/** A quick pick of names that also takes a typed one; a problem with the name keeps the picker open. */
async function pickName(items: vscode.QuickPickItem[], problem: (name: string) => string | undefined, title: string): Promise<string | undefined> {
  const qp = vscode.window.createQuickPick();
  qp.title = title;
  qp.items = items;
  qp.placeholder = items[0]?.label ?? 'a name';
  qp.ignoreFocusOut = true;
  return new Promise<string | undefined>((resolve) => {
    let done = false;
    const finish = (value: string | undefined) => {
      if (done) return;
      done = true;
      resolve(value);
      qp.dispose();
    };
    qp.onDidAccept(() => {
      const typed = qp.value.trim();
      const picked = qp.selectedItems[0]?.label;
      const name = picked && (!typed || picked === typed || picked.startsWith(typed)) ? picked : typed;
      const p = name ? problem(name) : 'type a name';
      if (p) {
        qp.title = `${title} — ${p}`;
        return;
      }
      finish(name);
    });
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}
