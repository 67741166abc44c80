/**
 * Lathe's refactorings in the lightbulb / Refactor… menu: offered where tree-sitter says they
 * apply, each running the palette command of the same name.
 */
import * as vscode from 'vscode';
import { availableActions, type AvailableAction } from '../../core/refactor/available';
import type { SyntaxSource } from '../../core/refactor/syntaxSource';
import { snapshot } from './documentGuard';
import { CommandIds } from './ids';

const ACTIONS: Readonly<Record<AvailableAction, { title: string; command: string; kind: vscode.CodeActionKind }>> = {
  extract: { title: 'Extract function (Lathe)', command: CommandIds.extractFunction, kind: vscode.CodeActionKind.RefactorExtract.append('lathe') },
  docstring: { title: 'Generate doc comment (Lathe)', command: CommandIds.generateDocComment, kind: vscode.CodeActionKind.RefactorRewrite.append('lathe.doc') },
  tests: { title: 'Generate tests (Lathe)', command: CommandIds.generateTests, kind: vscode.CodeActionKind.Refactor.append('lathe.tests') },
  body: { title: 'Complete function body (Lathe)', command: CommandIds.completeFunctionBody, kind: vscode.CodeActionKind.RefactorRewrite.append('lathe.body') },
  'comment-code': { title: 'Generate code from comment (Lathe)', command: CommandIds.generateCodeFromComment, kind: vscode.CodeActionKind.RefactorRewrite.append('lathe.code') },
  names: { title: 'Suggest names (Lathe)', command: CommandIds.suggestNames, kind: vscode.CodeActionKind.RefactorRewrite.append('lathe.names') },
};

export class RefactorCodeActions implements vscode.CodeActionProvider {
  static readonly providedKinds = [vscode.CodeActionKind.RefactorExtract, vscode.CodeActionKind.RefactorRewrite, vscode.CodeActionKind.Refactor];

  constructor(private readonly syntax: SyntaxSource) {}

  async provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    if (context.triggerKind === vscode.CodeActionTriggerKind.Automatic && range.isEmpty) return [];
    const syntax = await this.syntax.syntaxOf(snapshot(document));
    if (!syntax || syntax.version !== document.version) return [];
    const kinds = availableActions(syntax, document.offsetAt(range.start), document.offsetAt(range.end));
    return kinds
      .map((k) => ACTIONS[k])
      .filter((a) => !context.only || context.only.contains(a.kind) || a.kind.intersects(context.only))
      .map((a) => {
        const action = new vscode.CodeAction(a.title, a.kind);
        action.command = { command: a.command, title: a.title };
        return action;
      });
  }
}
