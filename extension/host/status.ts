import * as vscode from 'vscode';
import { Disposable } from '../core/common/lifecycle';
import type { ModelStateOf } from '../base/modelState';
import { CommandIds } from './commands/ids';

/** The status bar's view of the model: 'starting' until a backend exists, then its state. */
export type ModelStatus = { readonly kind: 'starting' } | (ModelStateOf<{ error: { readonly message: string } }> & { readonly model: string });

export type CompletionsStatus = 'on' | 'off' | 'off-for-language' | { readonly snoozedUntil: number };

/**
 * The Lathe status bar item: model state, completion switch and the last latency at a glance.
 * While the completion model loads it says "loading model…"; once ready it shows the latency
 * of the last suggestion the model computed (cached answers take no model time and do not
 * count), or nothing before the first one. A click opens the Lathe menu (toggle, snooze, stats, logs).
 */
export class StatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private model: ModelStatus = { kind: 'starting' };
  private completions: CompletionsStatus = 'on';
  private latencyMs: number | undefined;
  private chat: { readonly name: string; readonly state: string } | undefined;

  constructor() {
    super();
    this.item = this.register(vscode.window.createStatusBarItem('lathe.status', vscode.StatusBarAlignment.Right, 100));
    this.item.name = 'Lathe';
    this.render();
    this.item.show();
  }

  /** The chat model when it differs from the completion model (undefined: the same model). */
  setChatModel(chat: { readonly name: string; readonly state: string } | undefined): void {
    this.chat = chat;
    this.render();
  }

  setModel(model: ModelStatus): void {
    // A latency measured on another model (or before an unload) says nothing about this one.
    if (model.kind !== 'ready' || (this.model.kind === 'ready' && this.model.model !== model.model)) this.latencyMs = undefined;
    this.model = model;
    this.render();
  }

  setCompletions(state: CompletionsStatus): void {
    this.completions = state;
    this.render();
  }

  /** The latency of a suggestion the model computed (not one from the cache). */
  setLatency(ms: number): void {
    this.latencyMs = Math.max(1, Math.round(ms));
    this.render();
  }

  private render(): void {
    const m = this.model;
    const c = this.completions;
    let icon = '$(sparkle)';
    if (m.kind === 'starting' || m.kind === 'loading') icon = '$(loading~spin)';
    else if (m.kind === 'error') icon = '$(error)';
    else if (typeof c === 'object') icon = '$(clock)';
    else if (c !== 'on') icon = '$(circle-slash)';
    const latency = m.kind === 'ready' && this.latencyMs !== undefined && c === 'on' ? ` ${this.latencyMs}ms` : '';
    const loading = m.kind === 'starting' || m.kind === 'loading' ? ': loading model…' : '';
    this.item.text = `${icon} Lathe${loading}${latency}`;

    const modelLine =
      m.kind === 'starting' ? 'starting' :
      m.kind === 'error' ? `${m.model}: failed to load — ${m.message}` :
      `${m.model}: ${m.kind}`;
    const completionsLine =
      typeof c === 'object' ? `snoozed until ${new Date(c.snoozedUntil).toLocaleTimeString()}` :
      c === 'on' ? 'on' : c === 'off' ? 'off' : 'off for this language';
    const chatLine = this.chat ? `\n\nChat model: ${this.chat.name}: ${this.chat.state}` : '';
    const tip = new vscode.MarkdownString(`**Lathe**\n\nModel: ${modelLine}${chatLine}\n\nInline completions: ${completionsLine}${this.latencyMs !== undefined ? `\n\nLast latency: ${this.latencyMs} ms` : ''}\n\n${m.kind === 'error' ? 'Click to show the log.' : 'Click for options.'}`);
    this.item.tooltip = tip;
    this.item.accessibilityInformation = { label: `Lathe: model ${m.kind}, completions ${typeof c === 'object' ? 'snoozed' : c}`, role: 'button' };
    // In error the one useful thing is the log; otherwise the Lathe menu.
    this.item.command = m.kind === 'error' ? CommandIds.showLogs : CommandIds.statusMenu;
    this.item.backgroundColor = m.kind === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }
}
