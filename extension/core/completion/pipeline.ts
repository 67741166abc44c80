/**
 * One completion, end to end and editor-agnostic: context → FIM prompt → streamed generation
 * (first line reported as soon as it is final) → post-processing. Used by the VS Code
 * provider through the request policy, by `lathe complete` and by the benchmarks.
 */
import type { TextGenerator, TokenEvent } from '../engine/shared/generator';
import type { CompletionDocument, ContextBuilder, ContextSourceInfo } from './context';
import type { FimTemplate } from './fimTemplates';
import type { CompletionKey, Fetched } from './policy';
import { judgeSuggestion, type GateOptions, type GateVerdict } from './confidenceGate';
import { healPrefix } from './healing';
import { namesIn } from './inventedNames';
import { cutAtDedent, cutRepetitionLoop, postprocessDetailed, type Postprocessed } from './postprocess';
import { findRunaway } from './runaway';
import { copySources } from './copySources';

/**
 * Beams of an inline completion's first line: the most likely whole line rather than the greedy
 * one. Measured on the embedded model (bench quality, held-out packages): see the README.
 */
export const DEFAULT_COMPLETION_BEAMS = 3;

export interface PipelineOptions {
  readonly maxTokensSingleLine?: number;
  readonly maxTokensMultiLine?: number;
  readonly maxTimeMs?: number;
  /** 'auto' follows the context engine's decision. */
  readonly multiline?: 'auto' | 'always' | 'never';
  /** Most prompt tokens for context, even when the model's window allows more. */
  readonly maxPromptTokens?: number;
  /**
   * Beam search over the first line, with this many beams, on generators that support it (the
   * local engine); 1 is greedy. Default DEFAULT_COMPLETION_BEAMS.
   */
  readonly beams?: number;
  /**
   * Prompt copy on generators that support it (the local engine): the tokens that followed the
   * text before the cursor where it occurs earlier in the prompt, or in the document beyond the
   * prompt's windows, gain probability (default true).
   */
  readonly promptCopy?: boolean;
  /** Token healing when the generator supports it (default true). */
  readonly tokenHealing?: boolean;
  /** Most lines of a multi-line suggestion (default 8). */
  readonly maxLines?: number;
  /** The confidence gate; without it every suggestion is shown (its score is still reported). */
  readonly gate?: GateOptions;
  /** Called when the gate hides a suggestion. */
  readonly onHidden?: (verdict: GateVerdict) => void;
}

export interface CompletionResult {
  /** What to show: '' when nothing is worth showing or the gate hid it. */
  readonly completion: string;
  /** The post-processed suggestion before the gate. */
  readonly candidate: string;
  /** The gate's verdict on `candidate` (score undefined when the generator gave no log-probabilities). */
  readonly verdict: GateVerdict;
  readonly raw: string;
  /** The model hit its token or time limit before it ended the answer (the last line may go on). */
  readonly cut: boolean;
  /** The prompt text sent to the model, and the text its answer was forced to begin with (token healing). */
  readonly prompt: string;
  readonly forcePrefix: string;
  readonly multiline: boolean;
  readonly ttftMs: number;
  readonly totalMs: number;
  readonly promptTokens: number;
  readonly cachedTokens: number;
  readonly contextMs: number;
  readonly sources: readonly ContextSourceInfo[];
}

/** A policy key that carries the document snapshot the pipeline needs. */
export interface DocumentKey extends CompletionKey {
  readonly doc: CompletionDocument;
}

export function documentKey(doc: CompletionDocument): DocumentKey {
  return { languageId: doc.languageId, prefix: doc.text.slice(0, doc.offset), suffix: doc.text.slice(doc.offset), doc };
}

export class CompletionPipeline {
  constructor(
    private readonly generator: TextGenerator,
    private readonly template: FimTemplate,
    private readonly contexts: ContextBuilder,
    private readonly options: PipelineOptions = {},
  ) {}

  /** Adapter for the request policy. */
  readonly fetch = async (key: DocumentKey, signal: AbortSignal, onFirst: (text: string) => void): Promise<Fetched> => {
    const r = await this.complete(key.doc, signal, onFirst);
    return { text: r.completion, cut: r.cut };
  };

  private model: { readonly contextLength: number; readonly tokenHealing: boolean } | undefined;

  async complete(doc: CompletionDocument, signal?: AbortSignal, onFirst?: (text: string) => void): Promise<CompletionResult> {
    const t0 = performance.now();
    if (!this.model) {
      const info = await this.generator.info(signal);
      this.model = { contextLength: info.contextLength, tokenHealing: info.tokenHealing === true && this.options.tokenHealing !== false };
    }
    const { contextLength, tokenHealing } = this.model;
    // Room for the answer: a multi-line one in a big window; a small window (the embedded model's
    // 384 tokens) keeps a quarter, so single-line prompts are not starved of prefix. The engine
    // ends a multi-line answer at the window's end. The FIM markers and labels take a few tokens more.
    const single = this.options.maxTokensSingleLine ?? 48;
    const reserve = Math.min(Math.max(this.options.maxTokensMultiLine ?? 128, single), Math.max(single, Math.floor(contextLength / 4)));
    const maxTokens = Math.max(64, Math.min(this.options.maxPromptTokens ?? 1536, contextLength - reserve - 16));
    const ctx = await this.contexts.build(doc, { maxTokens }, signal);
    const contextMs = performance.now() - t0;
    const mode = this.options.multiline ?? 'auto';
    const multiline = mode === 'always' || (mode === 'auto' && ctx.multiline);
    // Token healing: the partial word before the cursor moves from the prompt into the forced output.
    const healed = healPrefix(ctx.prefix, tokenHealing);
    const prompt = this.template.build({
      prefix: healed.prefix,
      suffix: ctx.suffix,
      context: ctx.extra || undefined,
      filePath: doc.relativePath,
      pieces: ctx.pieces,
    });
    const maxLines = this.options.maxLines ?? 8;
    const promptCopy = this.options.promptCopy !== false;
    const clean = (text: string, multi: boolean): Postprocessed =>
      postprocessDetailed({ completion: text, prefix: ctx.prefix, suffix: ctx.suffix, multiline: multi, insertSpaces: doc.insertSpaces, tabSize: doc.tabSize, maxLines });
    // Syntax-aware truncation parses, so it runs once on the final text, then the cheap checks again.
    const finish = async (text: string, multi: boolean): Promise<Postprocessed> => {
      const cleaned = clean(text, multi);
      if (!cleaned.text || !ctx.truncate) return cleaned;
      const again = clean(await ctx.truncate(cleaned.text), multi);
      return { text: again.text, runaway: cleaned.runaway ?? again.runaway };
    };
    const knows = namesIn(doc.text, ctx.extra, ...(ctx.pieces ?? []).map((p) => p.code), ...(ctx.openTexts ?? []));
    const gateOptions = this.options.gate ?? { threshold: 0 };
    const judge = (raw: string, tokens: readonly TokenEvent[], cleaned: Postprocessed) =>
      judgeSuggestion({ raw, tokens, completion: cleaned.text, prefix: ctx.prefix, knows: (n) => knows(n) || ctx.knows?.(n) === true, runaway: cleaned.runaway }, gateOptions);

    let streamed = '';
    let verdict: GateVerdict | undefined;
    let judgeAtEnd = false;
    const events: TokenEvent[] = [];
    // A model caught in a loop ("state.state.state…"), repeating lines, leaving the block or
    // past the line limit is stopped at once: post-processing would cut there anyway, and the
    // rest of its tokens are wasted time. So is one whose first line the gate hides.
    const head = ctx.prefix.slice(ctx.prefix.lastIndexOf('\n') + 1);
    let line = '';
    const stop = new AbortController();
    const result = await this.generator.generate(
      {
        prompt,
        maxTokens: multiline ? (this.options.maxTokensMultiLine ?? 128) : (this.options.maxTokensSingleLine ?? 48),
        temperature: 0,
        stop: multiline ? this.template.stop : [...this.template.stop, '\n'],
        maxTimeMs: this.options.maxTimeMs ?? 3000,
        forcePrefix: healed.forcePrefix,
        beams: this.options.beams ?? DEFAULT_COMPLETION_BEAMS,
        promptCopy,
        copySources: promptCopy ? copySources(doc, ctx) : undefined,
        logprobs: 0,
        onToken: (ev) => {
          events.push(ev);
          line = (line + ev.text).slice(-200);
          const nl = line.lastIndexOf('\n');
          if (nl >= 0) line = line.slice(nl + 1);
          if (cutRepetitionLoop(line) !== line) stop.abort();
          if (!multiline) return;
          streamed += ev.text;
          if (!ev.text.includes('\n')) return;
          const done = streamed.slice(0, streamed.lastIndexOf('\n'));
          const lines = (head + done).split('\n');
          if (findRunaway(lines, maxLines, head.length) || cutAtDedent(done, ctx.prefix) !== done) stop.abort();
          // The first line, once it is final and has code: judged now, so the editor shows it early or nothing.
          const firstLine = streamed.slice(0, streamed.indexOf('\n'));
          if (verdict || judgeAtEnd) return;
          if (firstLine.trim() === '') {
            judgeAtEnd = true;
            return;
          }
          const first = clean(firstLine, false);
          verdict = judge(streamed, events, first);
          if (!verdict.show) stop.abort();
          else if (first.text && onFirst) onFirst(first.text);
        },
      },
      signal ? AbortSignal.any([signal, stop.signal]) : stop.signal,
    );
    const final = await finish(result.text, multiline);
    verdict ??= judge(result.text, result.tokens, final);
    if (!verdict.show && final.text) this.options.onHidden?.(verdict);
    return {
      completion: verdict.show ? final.text : '',
      candidate: final.text,
      verdict,
      raw: result.text,
      cut: result.finishReason === 'length' || result.finishReason === 'time',
      prompt,
      forcePrefix: healed.forcePrefix ?? '',
      multiline,
      ttftMs: contextMs + result.timings.ttftMs,
      totalMs: performance.now() - t0,
      promptTokens: result.promptTokens,
      cachedTokens: result.cachedTokens,
      contextMs,
      sources: ctx.sources,
    };
  }
}

