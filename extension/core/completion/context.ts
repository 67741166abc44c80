import type { ContextSnippet } from '../models/contextLayout';

/**
 * What the completion pipeline needs from the context engine, as plain data. The tree-sitter
 * context engine implements `ContextBuilder`; `PlainContextBuilder` is the fallback for
 * languages without a grammar (prefix/suffix windows only).
 */
import type { TokenCounter } from '../models/tokenCounter';

export interface CompletionDocument {
  readonly uri: string;
  readonly languageId: string;
  readonly text: string;
  readonly version: number;
  /** Cursor offset in `text` (UTF-16 code units). */
  readonly offset: number;
  /** Workspace-relative path, shown to models that take file names. */
  readonly relativePath?: string;
  readonly insertSpaces?: boolean;
  readonly tabSize?: number;
}

export interface ContextSourceInfo {
  readonly kind: string;
  readonly file: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly tokens?: number;
}

export interface CompletionContext {
  /** The text before the cursor that goes into the FIM prefix (a bounded window). */
  readonly prefix: string;
  /** The text after the cursor that goes into the FIM suffix (a bounded window). */
  readonly suffix: string;
  /** Other pieces (definitions, similar code, recent edits), stable ones first. */
  readonly extra: string;
  /** The same pieces as data (where each comes from and its code), for models with a context layout. */
  readonly pieces?: readonly ContextSnippet[];
  /** Whether a multi-line completion fits at the cursor. */
  readonly multiline: boolean;
  /** The text of other open documents of the same language, most recently seen first (prompt copy's sources). */
  readonly openTexts?: readonly string[];
  readonly sources: readonly ContextSourceInfo[];
  /** Whether the workspace's tags index defines this name (for the confidence gate's invented-name check). */
  readonly knows?: (name: string) => boolean;
  /** Syntax-aware truncation for a completion at this cursor. */
  readonly truncate?: (completion: string) => Promise<string>;
}

/** Token budget for prefix + suffix + context pieces, from the model's context window. */
export interface ContextLimits {
  readonly maxTokens: number;
}

export interface ContextBuilder {
  build(doc: CompletionDocument, limits: ContextLimits, signal?: AbortSignal): Promise<CompletionContext>;
}

/** Whether the cursor sits where a block body starts: an empty line after an opener. */
export function looksLikeBlockStart(prefix: string, suffix: string): boolean {
  const lineStart = prefix.lastIndexOf('\n');
  const currentLine = prefix.slice(lineStart + 1);
  const restOfLine = suffix.slice(0, suffix.indexOf('\n') < 0 ? suffix.length : suffix.indexOf('\n'));
  if (currentLine.trim() !== '' || restOfLine.trim() !== '') return false;
  const before = prefix.slice(0, Math.max(0, lineStart)).trimEnd();
  return /[{:([]$|=>$/.test(before);
}

export class PlainContextBuilder implements ContextBuilder {
  /** `suffixShare` of the budget goes to the text after the cursor, the rest before it. */
  constructor(private readonly counter?: () => TokenCounter | undefined, private readonly suffixShare = 0.15) {}

  build(doc: CompletionDocument, limits: ContextLimits): Promise<CompletionContext> {
    const counter = this.counter?.();
    const count = (t: string) => (counter ? counter.count(t) : Math.ceil(t.length / 3));
    const suffixBudget = Math.floor(limits.maxTokens * this.suffixShare);
    const suffix = fitWindow(doc.text.slice(doc.offset, doc.offset + suffixBudget * 8), suffixBudget, count, 'end');
    const prefix = fitWindow(doc.text.slice(Math.max(0, doc.offset - (limits.maxTokens - count(suffix)) * 8), doc.offset), limits.maxTokens - count(suffix), count, 'start');
    const start = doc.offset - prefix.length;
    const line = (o: number) => doc.text.slice(0, o).split('\n').length - 1;
    return Promise.resolve({
      prefix,
      suffix,
      extra: '',
      multiline: looksLikeBlockStart(prefix, suffix),
      sources: [
        { kind: 'prefix', file: doc.relativePath ?? doc.uri, startLine: line(start), endLine: line(doc.offset), tokens: count(prefix) },
        { kind: 'suffix', file: doc.relativePath ?? doc.uri, startLine: line(doc.offset), endLine: line(doc.offset + suffix.length), tokens: count(suffix) },
      ],
    });
  }
}

/**
 * Shrinks `text` to at most `budget` tokens, dropping from the start (a prefix window keeps
 * its end) or from the end (a suffix window keeps its start), preferring whole lines.
 */
export function fitWindow(text: string, budget: number, count: (t: string) => number, drop: 'start' | 'end'): string {
  if (budget <= 0) return '';
  let out = text;
  while (out.length > 0 && count(out) > budget) {
    const cut = Math.max(1, Math.floor(out.length * Math.min(0.5, 1 - budget / count(out) + 0.02)));
    if (drop === 'start') {
      const nl = out.indexOf('\n', cut);
      out = nl >= 0 && nl < out.length - 1 ? out.slice(nl + 1) : out.slice(cut);
    } else {
      const nl = out.lastIndexOf('\n', out.length - cut);
      out = nl > 0 ? out.slice(0, nl + 1) : out.slice(0, out.length - cut);
    }
  }
  return out;
}
