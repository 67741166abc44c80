/**
 * Fits the context pieces and the cursor windows into a token budget and orders them for
 * KV-cache reuse: the pieces least likely to change between keystrokes come first (edits
 * elsewhere, enclosing scopes, definitions, similar code), then the prefix window, then the
 * suffix, so consecutive requests share the longest possible token prefix.
 */
import type { LineIndex } from './lineIndex';
import { renderPiece, type ContextPiece, type PieceCandidate } from './pieces';
import { offsetRange } from './ranges';
import type { TokenCounter } from '../models/tokenCounter';
import { prefixWindow, suffixWindow, type TextWindow } from './windows';

export interface ContextBudget {
  /** Tokens for everything: context pieces, prefix and suffix. */
  readonly maxTokens: number;
  /** Share of `maxTokens` for the suffix window (kept short). */
  readonly suffixShare: number;
  /** Share of `maxTokens` for context pieces; the prefix gets the rest (and this share when there are no pieces). */
  readonly contextShare: number;
}

export const DEFAULT_BUDGET: ContextBudget = { maxTokens: 1536, suffixShare: 0.15, contextShare: 0.25 };

/** Output order, stable first. */
const ORDER: readonly PieceCandidate['kind'][] = ['recent-edit', 'scope', 'definition', 'similar'];
/** Fill priority when the budget is short. */
const PRIORITY: readonly PieceCandidate['kind'][] = ['scope', 'definition', 'recent-edit', 'similar'];

export interface AssembledContext {
  /** Prompt order: context pieces, then the prefix window, then the suffix window. */
  readonly pieces: readonly ContextPiece[];
  /** The context pieces' text joined, to place before the prefix. */
  readonly context: string;
  readonly prefix: string;
  readonly suffix: string;
  readonly tokens: { readonly context: number; readonly prefix: number; readonly suffix: number; readonly total: number };
  readonly budget: ContextBudget;
  /** Whether a syntax tree informed the context (false: plain prefix/suffix). */
  readonly syntax: boolean;
}

export interface WindowPlan {
  readonly prefix: TextWindow;
  readonly suffix: TextWindow;
  /** Token budget left for context pieces. */
  readonly contextBudget: number;
}

/** The cursor windows for a budget; `withContext` false gives the prefix the context share too. */
export function planWindows(
  text: string,
  offset: number,
  budget: ContextBudget,
  counter: TokenCounter,
  lines: LineIndex | undefined,
  withContext: boolean,
): WindowPlan {
  const suffixBudget = Math.floor(budget.maxTokens * budget.suffixShare);
  const contextBudget = withContext ? Math.floor(budget.maxTokens * budget.contextShare) : 0;
  const suffix = suffixWindow(text, offset, suffixBudget, counter);
  const prefixBudget = budget.maxTokens - contextBudget - suffix.tokens;
  const prefix = prefixWindow(text, offset, prefixBudget, counter, lines);
  return { prefix, suffix, contextBudget };
}

export interface AssemblyInput {
  readonly uri: string;
  readonly lines: LineIndex;
  readonly plan: WindowPlan;
  readonly candidates: readonly PieceCandidate[];
  readonly counter: TokenCounter;
  readonly budget: ContextBudget;
  readonly lineComment: string;
  readonly label: (uri: string) => string;
  readonly syntax: boolean;
}

export function assemble(input: AssemblyInput): AssembledContext {
  const { plan, counter } = input;
  const rendered = input.candidates.map((c, i) => {
    const text = renderPiece(c, input.lineComment, input.label);
    return { c, i, text, tokens: counter.count(text) };
  });
  const chosen = new Set<number>();
  let left = plan.contextBudget;
  for (const kind of PRIORITY) {
    for (const r of rendered) {
      if (r.c.kind !== kind || r.tokens > left) continue;
      chosen.add(r.i);
      left -= r.tokens;
    }
  }
  const pieces: ContextPiece[] = [];
  for (const kind of ORDER) {
    for (const r of rendered) {
      if (r.c.kind !== kind || !chosen.has(r.i)) continue;
      pieces.push({ kind, uri: r.c.uri, range: r.c.range, text: r.text, tokens: r.tokens, path: input.label(r.c.uri), body: r.c.body, ...(r.c.detail ? { detail: r.c.detail } : {}) });
    }
  }
  const context = pieces.map((p) => p.text).join('');
  const contextTokens = pieces.reduce((n, p) => n + p.tokens, 0);
  const { prefix, suffix } = plan;
  pieces.push({ kind: 'prefix', uri: input.uri, range: offsetRange(input.lines, prefix.start, prefix.end), text: prefix.text, tokens: prefix.tokens });
  pieces.push({ kind: 'suffix', uri: input.uri, range: offsetRange(input.lines, suffix.start, suffix.end), text: suffix.text, tokens: suffix.tokens });
  return {
    pieces,
    context,
    prefix: prefix.text,
    suffix: suffix.text,
    tokens: { context: contextTokens, prefix: prefix.tokens, suffix: suffix.tokens, total: contextTokens + prefix.tokens + suffix.tokens },
    budget: input.budget,
    syntax: input.syntax,
  };
}
