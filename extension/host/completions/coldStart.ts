import * as vscode from 'vscode';
import { Disposable } from '../../core/common/lifecycle';
import type { Logger } from '../../core/common/logger';
import { documentKey, type DocumentKey } from '../../core/completion/pipeline';
import type { CompletionPolicy } from '../../core/completion/policy';
import type { TextGenerator } from '../../core/engine/shared/generator';
import type { ModelSource } from '../modelRuntime';
import { toCompletionDocument } from './documentSnapshot';

export interface ColdStartDeps {
  readonly models: ModelSource;
  readonly policy: CompletionPolicy<DocumentKey>;
  readonly enabledFor: (languageId: string) => boolean;
  readonly log: Logger;
}

/**
 * The first suggestion of a window. The model itself loads in the background from activation
 * (the model runtime starts it); once it is ready, and whenever another editor becomes active,
 * this asks for a completion at the cursor of the active editor, through the request policy,
 * when nothing else is in flight. That first model run pays for what a first run costs
 * (onnxruntime's first-run allocations, the file's parse, the prompt's KV in the prefix cache),
 * so the user's first request finds a warm engine, and the answer is cached for that position.
 * It also logs how long the model took to be ready and when the first suggestion was shown.
 */
export class ColdStart extends Disposable {
  private readonly startedAt = performance.now();
  private warmed: TextGenerator | undefined;
  private firstShownLogged = false;
  private firstWarmLogged = false;
  private readonly abort = new AbortController();

  constructor(private readonly deps: ColdStartDeps) {
    super();
    this.register({ dispose: () => this.abort.abort(new Error('disposed')) });
    this.register(deps.models.onDidChange(() => this.modelChanged()));
    this.register(vscode.window.onDidChangeActiveTextEditor((editor) => editor && this.ready() && this.warm(editor)));
    this.modelChanged();
  }

  /** A suggestion was shown: the first one of the window is logged with its time since activation. */
  noteShown(latencyMs: number, source: string): void {
    if (this.firstShownLogged) return;
    this.firstShownLogged = true;
    this.deps.log.info(`first suggestion shown ${Math.round(performance.now() - this.startedAt)} ms after activation (${Math.round(latencyMs)} ms, ${source})`);
  }

  private ready(): boolean {
    const m = this.deps.models.current;
    return m.state === 'ready' && m.generator !== undefined && m.fim !== undefined;
  }

  private modelChanged(): void {
    const m = this.deps.models.current;
    if (!this.ready() || m.generator === this.warmed) return;
    this.warmed = m.generator;
    this.deps.log.info(`${m.name} ready ${Math.round(performance.now() - this.startedAt)} ms after activation`);
    const editor = vscode.window.activeTextEditor;
    if (editor) this.warm(editor);
  }

  private warm(editor: vscode.TextEditor): void {
    const document = editor.document;
    // Never in the way of a request the user is waiting for.
    if (!this.deps.policy.idle || !this.deps.enabledFor(document.languageId) || document.uri.scheme === 'output') return;
    const t0 = performance.now();
    const key = documentKey(toCompletionDocument(document, editor.selection.active, editor.options));
    this.deps.policy.provide(key, this.abort.signal).then(
      (out) => {
        if (!out) return;
        const line = `warm-up completion for ${document.uri.path.split('/').pop()} in ${Math.round(performance.now() - t0)} ms`;
        if (this.firstWarmLogged) return this.deps.log.debug(line);
        this.firstWarmLogged = true;
        this.deps.log.info(`first ${line}, ${Math.round(performance.now() - this.startedAt)} ms after activation`);
      },
      (err: unknown) => this.deps.log.debug(`warm-up completion failed: ${String(err)}`),
    );
  }
}
