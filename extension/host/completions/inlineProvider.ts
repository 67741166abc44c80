import * as vscode from 'vscode';
import type { Logger } from '../../core/common/logger';
import type { CompletionPipeline, DocumentKey } from '../../core/completion/pipeline';
import { documentKey } from '../../core/completion/pipeline';
import type { CompletionPolicy } from '../../core/completion/policy';
import type { CompletionStats } from '../../core/completion/stats';
import { completeWithItem } from '../../core/completion/selectedItem';
import { CommandIds } from '../commands/ids';
import { toAbortSignal, toCompletionDocument } from './documentSnapshot';
import { errorMessage } from '../../base/errorText';
import type { ShownSuggestion as ShownText } from '../../core/completion/acceptance';

/** The suggestion last shown, with the document version it was shown in. */
export interface ShownSuggestion extends ShownText {
  readonly version: number;
}

/** What an accepted suggestion was, for opt-in capture as a FIM training row. */
export interface AcceptedCompletion {
  readonly uri: string;
  readonly languageId: string;
  readonly prefix: string;
  readonly suffix: string;
  readonly middle: string;
}

export interface InlineProviderDeps {
  readonly policy: CompletionPolicy<DocumentKey>;
  readonly stats: CompletionStats;
  readonly log: Logger;
  /** The pipeline of the loaded model, or undefined while none is ready. */
  readonly pipeline: () => CompletionPipeline | undefined;
  readonly enabledFor: (languageId: string) => boolean;
  /** A suggestion was served: `fromModel` false for answers from the cache (no model time). */
  readonly onServed: (latencyMs: number, fromModel: boolean, source: string) => void;
}

/**
 * VS Code's inline suggestions, answered by the request policy over the pipeline. While the
 * suggest widget is open, the suggestion continues its selected item (see selectedItem.ts).
 */
export class InlineProvider implements vscode.InlineCompletionItemProvider {
  lastShown: ShownSuggestion | undefined;
  private lastError: string | undefined;

  constructor(private readonly deps: InlineProviderDeps) {}

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    if (!this.deps.enabledFor(document.languageId) || !this.deps.pipeline()) return undefined;
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
    let doc = toCompletionDocument(document, position, editor?.options);
    let range = new vscode.Range(position, position);
    let suggestion = (answer: string) => answer;
    const selected = context.selectedCompletionInfo;
    if (selected) {
      const withItem = completeWithItem(doc, { start: document.offsetAt(selected.range.start), end: document.offsetAt(selected.range.end), text: selected.text });
      if (!withItem) return undefined;
      ({ doc, suggestion } = withItem);
      range = selected.range;
    }
    const key = documentKey(doc);
    const abort = toAbortSignal(token);
    try {
      const out = await this.deps.policy.provide(key, abort.signal);
      if (!out || out.text.length === 0 || token.isCancellationRequested) return undefined;
      const fromModel = out.source === 'model' || out.source === 'inflight';
      this.deps.stats.recordServed(out.latencyMs, fromModel);
      this.deps.stats.recordShown();
      this.deps.onServed(out.latencyMs, fromModel, out.source);
      this.lastError = undefined;
      const text = suggestion(out.text);
      this.lastShown = { uri: key.doc.uri, version: document.version, offset: document.offsetAt(range.start), text };
      const item = new vscode.InlineCompletionItem(text, range, {
        title: 'Lathe: completion accepted',
        command: CommandIds.completionAccepted,
        arguments: [
          {
            uri: key.doc.uri,
            languageId: key.doc.languageId,
            prefix: key.prefix.slice(-4000),
            suffix: key.suffix.slice(0, 1000),
            middle: out.text,
          } satisfies AcceptedCompletion,
        ],
      });
      return [item];
    } catch (err) {
      if (abort.signal.aborted) return undefined;
      this.deps.stats.recordError();
      const message = errorMessage(err);
      // Log a failure once, not on every keystroke while it persists.
      if (message !== this.lastError) this.deps.log.error('inline completion failed', err);
      this.lastError = message;
      return undefined;
    } finally {
      abort.dispose();
    }
  }
}
