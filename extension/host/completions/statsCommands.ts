import * as vscode from 'vscode';
import { Disposable } from '../../core/common/lifecycle';
import type { Logger } from '../../core/common/logger';
import type { StatsStore } from '../../core/completion/statsStore';
import { CommandIds } from '../commands/ids';

/**
 * Show Completion Stats and Reset Completion Stats over the workspace's stats store (kept in
 * VS Code's workspace storage on this machine; nothing is sent anywhere).
 */
export class StatsCommands extends Disposable {
  constructor(private readonly store: StatsStore, private readonly log: Logger) {
    super();
    this.register(vscode.commands.registerCommand(CommandIds.showCompletionStats, () => this.show()));
    this.register(vscode.commands.registerCommand(CommandIds.resetCompletionStats, () => this.reset()));
  }

  async show(): Promise<void> {
    const s = this.store.stats.snapshot();
    const ms = (v: number) => (Number.isNaN(v) ? '–' : `${Math.round(v)} ms`);
    const detail = [
      `Shown: ${s.shown}`,
      `Accepted: ${s.accepted} (${(s.acceptRate * 100).toFixed(0)}%)`,
      `Partially accepted: ${s.partiallyAccepted}`,
      `Latency p50: ${ms(s.latencyP50Ms)}, p95: ${ms(s.latencyP95Ms)}`,
      `Model requests: ${s.requests}, answered without the model: ${s.cacheHits}, errors: ${s.errors}`,
      hiddenLine(s.hidden),
      `In this workspace since ${new Date(s.since).toLocaleString()}`,
    ].join('\n');
    this.log.info(`completion stats: ${detail.replace(/\n/g, '; ')}`);
    const reset = 'Reset…';
    const choice = await vscode.window.showInformationMessage('Lathe completion stats (local only)', { modal: true, detail }, reset);
    if (choice === reset) await this.reset();
  }

  async reset(): Promise<void> {
    const yes = 'Reset';
    const choice = await vscode.window.showWarningMessage('Reset the Lathe completion stats of this workspace to zero?', { modal: true }, yes);
    if (choice !== yes) return;
    await this.store.reset();
    this.log.info('completion stats reset');
    void vscode.window.showInformationMessage('Lathe: completion stats reset.');
  }
}

/** "Hidden by the confidence gate: 12 (low-confidence 9, invented-name 3)". */
function hiddenLine(hidden: Readonly<Record<string, number>>): string {
  const entries = Object.entries(hidden).sort((a, b) => b[1] - a[1]);
  const total = entries.reduce((n, [, c]) => n + c, 0);
  return `Hidden by the confidence gate: ${total}${total > 0 ? ` (${entries.map(([r, c]) => `${r} ${c}`).join(', ')})` : ''}`;
}
