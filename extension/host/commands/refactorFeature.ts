/**
 * The refactoring feature as the composition root sees it: the core service over the context
 * engine's trees and the current model, the palette commands, the code actions.
 */
import * as vscode from 'vscode';
import { Disposable } from '../../core/common/lifecycle';
import type { Logger } from '../../core/common/logger';
import { RefactorError } from '../../core/refactor/errors';
import { RefactorService } from '../../core/refactor/service';
import type { SyntaxSource } from '../../core/refactor/syntaxSource';
import { EditPreview } from './editPreview';
import { hoverTypeOracle } from './hoverTypes';
import { InstructionCommands } from './instructionCommands';
import { RefactorCodeActions } from './refactorCodeActions';
import { RefactorCommands } from './refactorCommands';
import type { ModelSource } from '../modelRuntime';
import { RefactorModel } from './refactorModel';
import { workspaceProbe } from './workspaceProbe';

/** Used when the tree-sitter engine failed to start: every refactoring says so. */
const NO_SYNTAX: SyntaxSource = {
  syntaxOf: () => Promise.reject(new RefactorError('unsupported-language', 'the tree-sitter engine failed to start, so no refactoring can run; see the Lathe log')),
  closeDocument: () => undefined,
};

export class RefactorFeature extends Disposable {
  readonly model: RefactorModel;

  /** The chat model, for Explain Selection and Refactor with Instruction. */
  readonly chatModel: RefactorModel;

  constructor(syntax: SyntaxSource | undefined, models: { readonly completion: ModelSource; readonly chat: ModelSource }, log: Logger) {
    super();
    this.model = new RefactorModel(models.completion);
    this.chatModel = new RefactorModel(models.chat);
    this.register(models.completion.onDidChange(() => this.model.reset()));
    this.register(models.chat.onDidChange(() => this.chatModel.reset()));
    const service = new RefactorService({
      syntax: syntax ?? NO_SYNTAX,
      filler: () => this.model.filler(),
      probe: workspaceProbe,
      types: (doc) => {
        const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === doc.uri);
        return document && (document.languageId === 'typescript' || document.languageId === 'typescriptreact') ? hoverTypeOracle(document) : undefined;
      },
    });
    const preview = this.register(new EditPreview());
    this.register(new RefactorCommands(service, preview, log));
    this.register(new InstructionCommands(this.chatModel, syntax, preview, log));
    if (syntax) {
      this.register(vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new RefactorCodeActions(syntax), { providedCodeActionKinds: RefactorCodeActions.providedKinds }));
    }
  }
}
