/**
 * Explain Selection (the answer streams into a read-only Markdown document beside the code) and
 * Refactor with Instruction (the rewritten code goes through the refactor preview). Both need an
 * instruction-following model; with the embedded FIM model they say which models can and how
 * to set one.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../base/errorText';
import { Disposable } from '../../core/common/lifecycle';
import type { Logger } from '../../core/common/logger';
import { checkEdit } from '../../core/refactor/editCheck';
import { isRefactorError, RefactorError } from '../../core/refactor/errors';
import { requireChatModel, rewrittenCode, runInstruction, type InstructionTask } from '../../core/refactor/instruction';
import type { RefactorOutcome } from '../../core/refactor/service';
import type { SyntaxSource } from '../../core/refactor/syntaxSource';
import { toFileEdits } from '../../core/refactor/textEdits';
import { SettingKeys, SECTION } from '../config';
import { snapshot, writableEditor } from './documentGuard';
import { StaleDocumentError, type EditPreview } from './editPreview';
import { CommandIds } from './ids';
import type { RefactorModel } from './refactorModel';
import { withDelayedProgress } from './progress';

export const EXPLANATION_SCHEME = 'lathe-explanation';

/** Read-only documents whose text grows as the model streams. */
class ExplanationDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

let explanations = 0;

export class InstructionCommands extends Disposable {
  private readonly docs = this.register(new ExplanationDocuments());

  constructor(
    private readonly model: RefactorModel,
    private readonly syntax: SyntaxSource | undefined,
    private readonly preview: EditPreview,
    private readonly log: Logger,
  ) {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(EXPLANATION_SCHEME, this.docs));
    this.register(vscode.commands.registerCommand(CommandIds.explainSelection, () => this.guarded('Explain Selection', () => this.explain())));
    this.register(vscode.commands.registerCommand(CommandIds.refactorWithInstruction, () => this.guarded('Refactor with Instruction', () => this.rewrite())));
  }

  private async guarded(title: string, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (err) {
      if (err instanceof Error && err.message === 'cancelled') return;
      if (isRefactorError(err) && err.reason === 'needs-chat-model') return void this.explainModels(err.message);
      if (isRefactorError(err) || err instanceof StaleDocumentError) return void vscode.window.showWarningMessage(`Lathe ${title}: ${err.message}`);
      this.log.error(`${title} failed`, err);
      void vscode.window.showErrorMessage(`Lathe ${title} failed: ${errorMessage(err)}`);
    }
  }

  private async explainModels(message: string): Promise<void> {
    const select = 'Select a Chat Model…';
    const settings = 'Open Settings';
    // A dialog: the first sentence as its title, the models and settings in full below it.
    const cut = message.indexOf('. ') + 1;
    const choice = await vscode.window.showInformationMessage(message.slice(0, cut), { modal: true, detail: message.slice(cut).trim() }, select, settings);
    if (choice === select) void vscode.commands.executeCommand(CommandIds.selectModel, { role: 'chat' });
    else if (choice === settings) void vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.${SettingKeys.chatModelPath}`);
  }

  private async ready(task: InstructionTask): Promise<void> {
    await requireChatModel(this.model.generator, task, this.model.modelName);
  }

  private async explain(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) throw new RefactorError('no-target', 'open a file and select the code to explain');
    const selection = editor.selection.isEmpty ? editor.document.lineAt(editor.selection.active.line).range : editor.selection;
    const code = editor.document.getText(selection);
    if (!code.trim()) throw new RefactorError('no-target', 'select the code to explain');
    await this.ready('explain');
    const name = vscode.workspace.asRelativePath(editor.document.uri);
    const uri = vscode.Uri.from({ scheme: EXPLANATION_SCHEME, path: `/Explanation ${++explanations} of ${name.split('/').pop()}.md` });
    let text = `# ${name}, lines ${selection.start.line + 1}–${selection.end.line + 1}\n\n`;
    this.docs.set(uri, text);
    const shown = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(shown, 'markdown');
    await vscode.window.showTextDocument(shown, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
    await withDelayedProgress('Lathe: Explaining…', (signal) =>
      runInstruction(this.model.generator, { task: 'explain', code, languageId: editor.document.languageId, fileName: name, onText: (t) => this.docs.set(uri, (text += t)) }, signal),
    );
  }

  private async rewrite(): Promise<void> {
    const { editor, doc } = await writableEditor('Refactor with Instruction');
    if (editor.selection.isEmpty) throw new RefactorError('no-target', 'select the code to rewrite first');
    await this.ready('rewrite');
    const instruction = await vscode.window.showInputBox({ title: 'Lathe: Refactor with Instruction', prompt: 'What should change? (e.g. "use async/await")', ignoreFocusOut: true });
    if (!instruction?.trim()) return;
    const document = editor.document;
    const start = document.offsetAt(editor.selection.start);
    const end = document.offsetAt(editor.selection.end);
    const original = doc.text.slice(start, end);
    const answer = await withDelayedProgress('Lathe: Rewriting…', (signal) =>
      runInstruction(this.model.generator, { task: 'rewrite', code: original, instruction, languageId: document.languageId, fileName: vscode.workspace.asRelativePath(document.uri) }, signal),
    );
    const code = rewrittenCode(answer, original);
    const edits = [{ start, end, newText: code }];
    const syntax = this.syntax ? await this.syntax.syntaxOf(snapshot(document)) : undefined;
    if (syntax) checkEdit(syntax.grammar.parser, doc.path, doc.text, edits, 'the rewritten code');
    const outcome: RefactorOutcome = { kind: 'rewrite', title: `Rewrite: ${instruction}`, edits: toFileEdits(doc.path, doc.text, edits), createFiles: [], details: {} };
    await this.preview.show(outcome, new Map([[doc.path, doc.version]]));
  }
}
