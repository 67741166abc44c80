import * as vscode from 'vscode';
import { Disposable } from '../core/common/lifecycle';
import { CommandIds } from './commands/ids';

export type StatusState =
  | { readonly kind: 'starting' }
  | { readonly kind: 'ready'; readonly detail: string }
  | { readonly kind: 'loading'; readonly detail: string }
  | { readonly kind: 'error'; readonly detail: string }
  | { readonly kind: 'off'; readonly detail: string };

/** The Lathe status bar item: model state at a glance, click for the log on error. */
export class StatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    super();
    this.item = this.register(vscode.window.createStatusBarItem('lathe.status', vscode.StatusBarAlignment.Right, 100));
    this.item.name = 'Lathe';
    this.set({ kind: 'starting' });
    this.item.show();
  }

  set(state: StatusState): void {
    const icon = { starting: '$(loading~spin)', loading: '$(loading~spin)', ready: '$(sparkle)', error: '$(error)', off: '$(circle-slash)' }[state.kind];
    this.item.text = `${icon} Lathe`;
    const detail = 'detail' in state ? state.detail : 'starting';
    this.item.tooltip = `Lathe: ${detail}`;
    this.item.command = state.kind === 'error' ? CommandIds.showLogs : CommandIds.openPromptLab;
    this.item.backgroundColor = state.kind === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }
}
