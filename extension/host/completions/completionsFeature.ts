import * as vscode from 'vscode';
import { errorMessage } from '../../base/errorText';
import { appendJsonl } from '../../core/common/fs/appendJsonl';
import { Disposable } from '../../core/common/lifecycle';
import type { Logger } from '../../core/common/logger';
import { systemClock } from '../../core/completion/clock';
import type { CompletionPipeline, DocumentKey } from '../../core/completion/pipeline';
import { isPartialAccept } from '../../core/completion/acceptance';
import { CompletionPolicy } from '../../core/completion/policy';
import { createCompletionPipeline } from '../../core/completion/stack';
import { StatsStore, type StatsStorage } from '../../core/completion/statsStore';
import { levelThreshold } from '../../core/completion/calibration';
import { SCORE_VERSION } from '../../core/completion/confidence';
import type { GateVerdict } from '../../core/completion/confidenceGate';
import type { ContextEngine } from '../../core/context/engine';
import { CommandIds } from '../commands/ids';
import { completionsOnFor, onSettingsChanged, readSettings, SettingKeys, updateSetting, type LatheSettings } from '../config';
import type { ModelSource, ModelView } from '../modelRuntime';
import type { StatusBar } from '../status';
import { InlineProvider, type AcceptedCompletion } from './inlineProvider';
import { StatsCommands } from './statsCommands';
import { ColdStart } from './coldStart';

/**
 * Inline completions: the completion stack for the model in use (rebuilt when the model or
 * the completion settings change), the provider, typing-speed tracking, accept/partial-accept
 * counting, the enable/snooze switches and the stats (kept per workspace, see StatsStore).
 */
export class CompletionsFeature extends Disposable {
  private readonly statsStore: StatsStore;
  private readonly statsCommands: StatsCommands;
  private readonly policy: CompletionPolicy<DocumentKey>;
  private readonly provider: InlineProvider;
  private snoozedUntil = 0;
  private snoozeTimer: NodeJS.Timeout | undefined;
  private captureWarned = false;
  private stack: { readonly key: string; readonly model: ModelView; readonly pipeline: CompletionPipeline | undefined } | undefined;

  constructor(
    private readonly log: Logger,
    private readonly status: StatusBar | undefined,
    private readonly models: ModelSource,
    /** Where the stats are kept between windows: the workspace's storage. */
    statsStorage: StatsStorage,
    /** The tree-sitter context engine; plain prefix/suffix windows without one. */
    private readonly contextEngine: ContextEngine | undefined,
    /** Where accepted completions are captured now (undefined: nowhere); asks when a workspace chose a file outside it. */
    private readonly captureFile: () => Promise<string | undefined> = () => Promise.resolve(undefined),
  ) {
    super();
    this.statsStore = this.register(new StatsStore(statsStorage, systemClock, { onProblem: (message, err) => log.warn(err ? `${message}: ${errorMessage(err)}` : message) }));
    this.statsCommands = this.register(new StatsCommands(this.statsStore, log));
    this.register(models.onDidChange(() => this.rebuild()));
    this.register(onSettingsChanged(() => this.rebuild()));
    this.policy = new CompletionPolicy<DocumentKey>(
      (key, signal, onFirst) => {
        const p = this.pipeline();
        if (!p) throw new Error('no model is loaded');
        return p.fetch(key, signal, onFirst);
      },
      systemClock,
      { onBackgroundComplete: (key) => this.retriggerIfStillThere(key) },
    );
    this.provider = new InlineProvider({
      policy: this.policy,
      stats: this.statsStore.stats,
      log,
      pipeline: () => this.pipeline(),
      enabledFor: (languageId) => this.enabledFor(languageId),
      onServed: (ms, fromModel, source) => {
        if (fromModel) status?.setLatency(ms);
        coldStart.noteShown(ms, source);
      },
    });
    const coldStart = this.register(new ColdStart({ models, policy: this.policy, enabledFor: (languageId) => this.enabledFor(languageId), log }));
    this.register(vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, this.provider));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e)));
    this.register(vscode.window.onDidChangeActiveTextEditor(() => this.renderStatus()));
    this.register(vscode.commands.registerCommand(CommandIds.completionAccepted, (accepted?: AcceptedCompletion) => this.onAccepted(accepted)));
    this.register(vscode.commands.registerCommand(CommandIds.statusMenu, () => this.menu()));
    this.register(
      vscode.commands.registerCommand(CommandIds.toggleCompletions, async () => {
        await updateSetting(SettingKeys.completionsEnabled, !readSettings().completionsEnabled);
        this.renderStatus();
      }),
    );
    this.register(vscode.commands.registerCommand(CommandIds.snoozeCompletions, () => this.snooze()));
    this.register({ dispose: () => clearTimeout(this.snoozeTimer) });
    this.renderStatus();
  }

  /** The pipeline of the model in use, while it works and has fill-in-the-middle support. */
  private pipeline(): CompletionPipeline | undefined {
    return (this.stack ??= this.build(this.models.current, readSettings())).pipeline;
  }

  private build(model: ModelView, s: LatheSettings): NonNullable<CompletionsFeature['stack']> {
    const key = JSON.stringify([s.completionsMultiline, s.completionsMaxTokens, s.completionsFimOrder, s.completionsMaxLines, s.completionsBeams, s.completionsPromptCopy, s.completionsTimeLimitMs, s.completionsConfidence]);
    if (model.state === 'error' || !model.generator || !model.fim) return { key, model, pipeline: undefined };
    const pipeline = createCompletionPipeline(
      { generator: model.generator, fim: model.fim, counter: model.counter },
      {
        contextEngine: this.contextEngine,
        fimOrder: s.completionsFimOrder === 'auto' ? undefined : s.completionsFimOrder,
        multiline: s.completionsMultiline,
        maxTokensMultiLine: s.completionsMaxTokens,
        maxLines: s.completionsMaxLines,
        beams: s.completionsBeams,
        promptCopy: s.completionsPromptCopy,
        maxTimeMs: s.completionsTimeLimitMs,
        gate: { threshold: levelThreshold(s.completionsConfidence, SCORE_VERSION, model.folder?.calibration) },
        onHidden: (verdict) => this.noteHidden(verdict),
      },
    );
    if (model.folder?.calibrationProblem) this.log.warn(`${model.name}: the confidence gate uses its default thresholds: ${model.folder.calibrationProblem}`);
    return { key, model, pipeline };
  }

  /** Counted by reason for the stats; the detail goes to the log at debug level (one line per hidden suggestion). */
  private noteHidden(verdict: GateVerdict): void {
    const reason = verdict.reason ?? 'low-confidence';
    this.statsStore.stats.recordHidden(reason);
    this.log.debug(`suggestion hidden (${reason}): ${verdict.detail ?? ''}`);
  }

  /** The model or the completion settings changed: a new stack, and cached answers are stale. */
  private rebuild(): void {
    const model = this.models.current;
    const settings = readSettings();
    const old = this.stack;
    const next = this.build(model, settings);
    // A state change of the same backend (loading → ready) keeps the stack and its answers.
    if (old && old.key === next.key && old.model.generator === model.generator && old.model.fim === model.fim && (old.pipeline !== undefined) === (next.pipeline !== undefined)) return;
    this.stack = next;
    this.policy.clear();
    if (model.generator && !model.fim && model.state !== 'error') this.log.warn(`${model.name} has no fill-in-the-middle tokens: inline completions are off for this model`);
  }

  enabledFor(languageId: string): boolean {
    return Date.now() >= this.snoozedUntil && completionsOnFor(readSettings(), languageId);
  }

  renderStatus(): void {
    if (!this.status) return;
    const settings = readSettings();
    const lang = vscode.window.activeTextEditor?.document.languageId;
    if (Date.now() < this.snoozedUntil) this.status.setCompletions({ snoozedUntil: this.snoozedUntil });
    else if (!settings.completionsEnabled) this.status.setCompletions('off');
    else if (lang && !completionsOnFor(settings, lang)) this.status.setCompletions('off-for-language');
    else this.status.setCompletions('on');
  }

  private onEdit(e: vscode.TextDocumentChangeEvent): void {
    if (e.document !== vscode.window.activeTextEditor?.document || e.contentChanges.length === 0) return;
    this.policy.noteKeystroke();
    if (e.contentChanges.length !== 1) return;
    const change = e.contentChanges[0];
    if (isPartialAccept(this.provider.lastShown, { uri: e.document.uri.toString(), rangeOffset: change.rangeOffset, rangeLength: change.rangeLength, text: change.text })) {
      this.statsStore.stats.recordPartialAccept();
    }
  }

  /** Counts the accept and, when the user opted in, appends it as a FIM row to their dataset. */
  private onAccepted(accepted: AcceptedCompletion | undefined): void {
    this.statsStore.stats.recordAccepted();
    if (!accepted || !readSettings().completionsCaptureFile) return;
    const row = {
      prefix: accepted.prefix,
      suffix: accepted.suffix,
      middle: accepted.middle,
      language: accepted.languageId,
      path: vscode.workspace.asRelativePath(vscode.Uri.parse(accepted.uri), false),
      source: 'accepted-completion',
      captured_at: new Date().toISOString(),
    };
    const capture = async () => {
      const file = await this.captureFile();
      if (!file) return;
      await appendJsonl(file, [row]);
      this.log.debug(`captured an accepted completion into ${file}`);
    };
    capture().catch((err: unknown) => {
      this.log.error('capturing an accepted completion failed', err);
      // Said once per session (a full disk fails every accept): the row is not in the dataset.
      if (this.captureWarned) return;
      this.captureWarned = true;
      void vscode.window.showWarningMessage(`Lathe could not capture the accepted completion: ${errorMessage(err)}`);
    });
  }

  private retriggerIfStillThere(key: DocumentKey): void {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.uri.toString() !== key.doc.uri || editor.document.version !== key.doc.version) return;
    if (editor.document.offsetAt(editor.selection.active) !== key.doc.offset) return;
    void vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
  }

  private async menu(): Promise<void> {
    const settings = readSettings();
    const lang = vscode.window.activeTextEditor?.document.languageId;
    type Pick = vscode.QuickPickItem & { run: () => Thenable<unknown> | void };
    const items: Pick[] = [
      {
        label: settings.completionsEnabled ? '$(circle-slash) Disable inline completions' : '$(check) Enable inline completions',
        run: () => updateSetting(SettingKeys.completionsEnabled, !settings.completionsEnabled),
      },
    ];
    if (lang) {
      const on = completionsOnFor({ ...settings, completionsEnabled: true }, lang);
      items.push({
        label: on ? `$(circle-slash) Disable for ${lang}` : `$(check) Enable for ${lang}`,
        run: () => updateSetting(SettingKeys.completionsLanguages, { ...settings.completionsLanguages, [lang]: !on }),
      });
    }
    if (Date.now() < this.snoozedUntil) items.push({ label: '$(bell) Resume now', run: () => this.setSnooze(0) });
    items.push(
      { label: '$(layers) Select Model…', run: () => vscode.commands.executeCommand(CommandIds.selectModel) },
      { label: '$(clock) Snooze…', run: () => this.snooze() },
      { label: '$(graph) Show completion stats', run: () => this.statsCommands.show() },
      { label: '$(beaker) Open Prompt Lab', run: () => vscode.commands.executeCommand(CommandIds.openPromptLab) },
      { label: '$(output) Show logs', run: () => vscode.commands.executeCommand(CommandIds.showLogs) },
    );
    const choice = await vscode.window.showQuickPick(items, { title: 'Lathe' });
    await choice?.run();
    this.renderStatus();
  }

  private async snooze(): Promise<void> {
    const choice = await vscode.window.showQuickPick(
      [5, 15, 30, 60].map((m) => ({ label: `${m} minutes`, minutes: m })),
      { title: 'Snooze Lathe inline completions for' },
    );
    if (choice) this.setSnooze(choice.minutes);
  }

  private setSnooze(minutes: number): void {
    clearTimeout(this.snoozeTimer);
    this.snoozedUntil = minutes > 0 ? Date.now() + minutes * 60_000 : 0;
    if (minutes > 0) this.snoozeTimer = setTimeout(() => this.renderStatus(), minutes * 60_000 + 50);
    this.log.info(minutes > 0 ? `inline completions snoozed for ${minutes} minutes` : 'inline completions resumed');
    this.renderStatus();
  }
}
