/**
 * One completion, end to end and editor-agnostic: context → FIM prompt → streamed generation
 * (first line reported as soon as it is final) → post-processing. Used by the VS Code
 * provider through the request policy, by `lathe complete` and by the benchmarks.
 */
import type { TextGenerator } from '../engine/shared/generator';
import type { CompletionDocument, ContextBuilder, ContextSourceInfo } from './context';
import type { FimTemplate } from './fimTemplates';
import type { CompletionKey } from './policy';
import { healPrefix } from './healing';
import { cutRepetitionLoop, postprocess } from './postprocess';

export interface PipelineOptions {
  readonly maxTokensSingleLine?: number;
  readonly maxTokensMultiLine?: number;
  readonly maxTimeMs?: number;
  /** 'auto' follows the context engine's decision. */
  readonly multiline?: 'auto' | 'always' | 'never';
  /** Most prompt tokens for context, even when the model's window allows more. */
  readonly maxPromptTokens?: number;
  /** Token healing when the generator supports it (default true). */
  readonly tokenHealing?: boolean;
}

export interface CompletionResult {
  readonly completion: string;
  readonly raw: string;
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
  readonly fetch = async (key: DocumentKey, signal: AbortSignal, onFirst: (text: string) => void): Promise<string> =>
    (await this.complete(key.doc, signal, onFirst)).completion;

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
    const clean = (text: string, multi: boolean) =>
      postprocess({ completion: text, prefix: ctx.prefix, suffix: ctx.suffix, multiline: multi, insertSpaces: doc.insertSpaces, tabSize: doc.tabSize });
    // Syntax-aware truncation parses, so it runs once on the final text, then the cheap checks again.
    const finish = async (text: string, multi: boolean) => {
      const cleaned = clean(text, multi);
      return cleaned && ctx.truncate ? clean(await ctx.truncate(cleaned), multi) : cleaned;
    };

    let streamed = '';
    let firstSent = false;
    // A model caught in a loop ("state.state.state…") is stopped at once: post-processing would
    // cut the loop anyway, and the rest of its tokens are wasted time.
    let line = '';
    const loopStop = new AbortController();
    const result = await this.generator.generate(
      {
        prompt,
        maxTokens: multiline ? (this.options.maxTokensMultiLine ?? 128) : (this.options.maxTokensSingleLine ?? 48),
        temperature: 0,
        stop: multiline ? this.template.stop : [...this.template.stop, '\n'],
        maxTimeMs: this.options.maxTimeMs ?? 3000,
        forcePrefix: healed.forcePrefix,
        onToken: (ev) => {
          line = (line + ev.text).slice(-200);
          const nl = line.lastIndexOf('\n');
          if (nl >= 0) line = line.slice(nl + 1);
          if (cutRepetitionLoop(line) !== line) loopStop.abort();
          if (!multiline || firstSent || !onFirst) return;
          streamed += ev.text;
          const end = streamed.indexOf('\n');
          if (end > 0 && streamed.slice(0, end).trim() !== '') {
            firstSent = true;
            const first = clean(streamed.slice(0, end), false);
            if (first) onFirst(first);
          }
        },
      },
      signal ? AbortSignal.any([signal, loopStop.signal]) : loopStop.signal,
    );
    return {
      completion: await finish(result.text, multiline),
      raw: result.text,
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

