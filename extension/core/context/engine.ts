/**
 * The context engine: one object the host and the CLI hold. It tracks open documents
 * (incremental trees, recent files, recent edits), the workspace tags index, and answers
 * context, completion-shape and truncation requests. Core only: plain data in, plain data out.
 */
import { Disposable, toDisposable } from '../common/lifecycle';
import type { Logger } from '../common/logger';
import { assemble, DEFAULT_BUDGET, planWindows, type AssembledContext, type ContextBudget } from './assemble';
import type { ContextAssets } from './assets';
import { completionShape, type CompletionShape } from './completionShape';
import { identifiersNear, resolveDefinitions } from './definitions';
import { GrammarRegistry } from './grammarRegistry';
import { ImportsTracker } from './imports';
import { grammarFor } from './languages';
import { LineIndex } from './lineIndex';
import { diffChange, ParserService, type SyntaxDocument } from './parserService';
import { relativeTo, uriToPath } from './paths';
import type { PieceCandidate } from './pieces';
import { RecentEdits } from './recentEdits';
import { enclosingScopes } from './scopes';
import { SimilarSnippetFinder } from './similarSnippets';
import { DEFAULT_SYNTAX_LIMITS, type SyntaxLimits } from './syntaxLimits';
import { TagsIndex, type IndexBuildStats, type TagsIndexOptions } from './tagsIndex';
import { approximateTokenCounter, memoizedCounter } from '../models/tokenCounter';
import { truncateCompletion, type TruncationOptions, type TruncationResult } from './truncation';
import type { DocumentSnapshot, TextChange } from './types';
import type { TokenCounter } from '../models/tokenCounter';
import type { WorkspaceSource } from './workspaceSource';

export interface ContextEngineOptions {
  readonly assets: ContextAssets;
  readonly log: Logger;
  /** Labels context pieces with paths relative to this folder. */
  readonly workspaceRoot?: string;
  readonly limits?: SyntaxLimits;
  readonly tags?: TagsIndexOptions;
  /** Open/recent documents kept for similar-snippet search and edit tracking. */
  readonly maxRecentDocuments?: number;
  /** Delay before an edited open document's definitions are re-indexed. */
  readonly reindexDelayMs?: number;
}

export interface ContextRequest {
  readonly doc: DocumentSnapshot;
  /** Cursor offset in `doc.text` (UTF-16 code units). */
  readonly offset: number;
  readonly counter?: TokenCounter;
  readonly budget?: Partial<ContextBudget>;
}

export interface ContextResult extends AssembledContext {
  readonly timings: { readonly parseMs: number; readonly assembleMs: number };
}

/** Lines before the cursor whose identifiers pick definitions and similar code. */
const NEARBY_LINES = 30;
const SIMILAR_QUERY_LINES = 12;

export class ContextEngine extends Disposable {
  readonly grammars: GrammarRegistry;
  readonly parsers: ParserService;
  readonly tags: TagsIndex;
  readonly edits = new RecentEdits();
  private readonly similar = new SimilarSnippetFinder();
  private readonly imports = new ImportsTracker();
  private readonly recent = new Map<string, DocumentSnapshot>();
  private readonly maxRecent: number;
  private readonly log: Logger;
  private readonly root: string | undefined;
  private readonly reindexDelayMs: number;
  private readonly reindexTimers = new Map<string, NodeJS.Timeout>();
  /** Per document, the definition order of the previous request: kept stable for the KV cache. */
  private readonly definitionOrder = new Map<string, string[]>();
  private plainLines: LineIndex | undefined;
  private readonly counters = new WeakMap<TokenCounter, TokenCounter>();

  constructor(options: ContextEngineOptions) {
    super();
    this.log = options.log;
    this.grammars = this.register(new GrammarRegistry(options.assets, options.log.child('grammars')));
    this.parsers = this.register(new ParserService(this.grammars, { limits: options.limits ?? DEFAULT_SYNTAX_LIMITS }));
    this.tags = new TagsIndex(this.parsers, options.log.child('tags'), options.tags);
    this.maxRecent = options.maxRecentDocuments ?? 12;
    this.root = options.workspaceRoot ? uriToPath(options.workspaceRoot) : undefined;
    this.reindexDelayMs = options.reindexDelayMs ?? 750;
    this.register(toDisposable(() => {
      for (const t of this.reindexTimers.values()) clearTimeout(t);
      this.reindexTimers.clear();
    }));
  }

  /** A document became visible or active: parse it, remember it, index its definitions. */
  async openDocument(doc: DocumentSnapshot): Promise<void> {
    this.remember(doc);
    const syntax = await this.parsers.parse(doc);
    if (syntax) this.tags.indexTree(syntax.uri, syntax.grammar, syntax.tree, syntax.text);
  }

  /**
   * A document changed. With `changes` (VS Code's contentChanges, converted) the tree is
   * edited and reparsed incrementally; without, the changed span is found by comparing texts.
   */
  async updateDocument(doc: DocumentSnapshot, changes?: readonly TextChange[]): Promise<SyntaxDocument | undefined> {
    const previous = this.recent.get(doc.uri);
    let syntax: SyntaxDocument | undefined;
    // The cached tree must be of the previous text itself, not of a variant parsed at its version (see assemble).
    const cached = previous && this.parsers.peek(previous);
    if (changes && cached && cached.text === previous.text) {
      syntax = this.parsers.applyChanges(doc.uri, doc.version, changes);
      if (syntax && syntax.text !== doc.text) syntax = await this.parsers.parse(doc);
    } else {
      syntax = await this.parsers.parse(doc);
    }
    if (previous && previous.text !== doc.text) {
      const lines = syntax?.lines ?? new LineIndex(doc.text);
      const applied = changes ?? [];
      if (applied.length > 0) this.edits.record(doc.uri, doc.languageId, previous.text, applied, lines);
      else {
        const change = diffChange(previous.text, doc.text);
        if (change) this.edits.record(doc.uri, doc.languageId, previous.text, [change], lines);
      }
    }
    this.remember(doc);
    if (syntax) {
      // Keep the import bindings current edit by edit (cheap), so the next request needs no full query.
      this.imports.of(syntax);
      this.scheduleReindex(doc);
    }
    return syntax;
  }

  closeDocument(uri: string): void {
    this.parsers.close(uri);
    this.recent.delete(uri);
    this.similar.forget(uri);
    this.imports.forget(uri);
    this.definitionOrder.delete(uri);
  }

  /** A file changed on disk (watcher): re-index it from `text`. */
  async fileChanged(uri: string, languageId: string, text: string): Promise<void> {
    await this.tags.indexText(uri, languageId, text);
  }

  fileDeleted(uri: string): void {
    this.tags.removeFile(uri);
    this.closeDocument(uri);
    this.edits.forget(uri);
  }

  /** Builds the tags index from `source` in the background; rejects with the abort reason. */
  indexWorkspace(source: WorkspaceSource, signal: AbortSignal): Promise<IndexBuildStats> {
    return this.tags.build(source, signal);
  }

  /**
   * The other open documents whose language shares `languageId`'s grammar family (TypeScript and
   * TSX, C and C++), most recently seen first, at most `max`.
   */
  relatedDocuments(uri: string, languageId: string, max: number): DocumentSnapshot[] {
    const family = grammarFor(languageId)?.queries;
    if (family === undefined || max <= 0) return [];
    const out: DocumentSnapshot[] = [];
    for (const d of [...this.recent.values()].reverse()) {
      if (out.length >= max) break;
      if (d.uri !== uri && grammarFor(d.languageId)?.queries === family) out.push(d);
    }
    return out;
  }

  /** The parsed document (incrementally from its previous version), or undefined for plain text. */
  syntaxOf(doc: DocumentSnapshot): Promise<SyntaxDocument | undefined> {
    return this.parsers.parse(doc);
  }

  /** Assembles prompt context for the cursor at `request.offset`. */
  async assemble(request: ContextRequest): Promise<ContextResult> {
    const t0 = performance.now();
    const { doc } = request;
    const offset = Math.max(0, Math.min(request.offset, doc.text.length));
    // A request at a version the host already reported may be for a variant of that text (the
    // suggest widget's selected item inserted): it is not the document, so it is not remembered
    // (recent edits are diffs against the remembered text).
    const known = this.recent.get(doc.uri);
    if (!known || known.version !== doc.version || known.text === doc.text) this.remember(doc);
    const syntax = await this.parsers.parse(doc);
    const t1 = performance.now();
    const assembled = this.assembleWith(doc, offset, syntax, this.memoized(request.counter ?? approximateTokenCounter), {
      ...DEFAULT_BUDGET,
      ...request.budget,
    });
    return { ...assembled, timings: { parseMs: t1 - t0, assembleMs: performance.now() - t1 } };
  }

  private assembleWith(
    doc: DocumentSnapshot,
    offset: number,
    syntax: SyntaxDocument | undefined,
    counter: TokenCounter,
    budget: ContextBudget,
  ): AssembledContext {
    const lines = syntax?.lines ?? this.linesOf(doc.text);
    const label = (uri: string) => relativeTo(this.root, uriToPath(uri));
    const base = { uri: doc.uri, lines, counter, budget, label, syntax: syntax !== undefined };
    if (!syntax) {
      const plan = planWindows(doc.text, offset, budget, counter, lines, false);
      return assemble({ ...base, plan, candidates: [], lineComment: '//' });
    }
    let plan = planWindows(doc.text, offset, budget, counter, lines, true);
    const candidates = this.candidates(syntax, offset, plan.prefix.start, plan.suffix.end);
    if (candidates.length === 0) plan = planWindows(doc.text, offset, budget, counter, lines, false);
    return assemble({ ...base, plan, candidates, lineComment: syntax.grammar.spec.lineComment });
  }

  private candidates(syntax: SyntaxDocument, offset: number, visibleStart: number, visibleEnd: number): PieceCandidate[] {
    const { lines, text } = syntax;
    const out: PieceCandidate[] = [];
    const visible = { startLine: lines.positionAt(visibleStart).line, endLine: lines.positionAt(visibleEnd).line };
    const docPath = uriToPath(syntax.uri);

    for (const h of this.edits.all()) {
      if (h.uri === syntax.uri && h.endLine >= visible.startLine && h.startLine <= visible.endLine) continue;
      out.push({
        kind: 'recent-edit',
        uri: h.uri,
        range: { startLine: h.startLine, startCharacter: 0, endLine: h.endLine, endCharacter: 0 },
        body: h.text,
      });
    }
    for (const s of enclosingScopes(syntax, offset)) {
      if (s.startOffset >= visibleStart) continue;
      out.push({ kind: 'scope', uri: syntax.uri, range: s.range, body: s.signature, detail: s.name });
    }

    const cursorLine = lines.positionAt(offset).line;
    const nearStart = lines.lineStart(Math.max(0, cursorLine - NEARBY_LINES));
    // Identifiers before the cursor (nearest first), then those just after it on the next lines.
    const afterEnd = lines.lineEnd(Math.min(lines.lineCount - 1, cursorLine + 2));
    const names = [
      ...new Set([
        ...identifiersNear(text.slice(Math.max(nearStart, offset - 4_000), offset)),
        ...identifiersNear(text.slice(offset, Math.min(afterEnd, offset + 400)), 12).reverse(),
      ]),
    ];
    const resolved = resolveDefinitions(syntax, this.imports.of(syntax), names, this.tags, visible);
    const previousOrder = this.definitionOrder.get(syntax.uri) ?? [];
    const key = (t: { uri: string; range: { startLine: number } }) => `${t.uri}:${t.range.startLine}`;
    resolved.sort((a, b) => rank(previousOrder, key(a.tag)) - rank(previousOrder, key(b.tag)));
    this.definitionOrder.delete(syntax.uri);
    this.definitionOrder.set(syntax.uri, resolved.map((d) => key(d.tag)));
    if (this.definitionOrder.size > this.maxRecent * 4) {
      const oldest = this.definitionOrder.keys().next().value;
      if (oldest !== undefined) this.definitionOrder.delete(oldest);
    }
    for (const d of resolved) {
      if (d.tag.uri === docPath && d.tag.range.startLine <= visible.endLine && d.tag.range.endLine >= visible.startLine) continue;
      out.push({ kind: 'definition', uri: d.tag.uri, range: d.tag.range, body: d.tag.snippet ?? d.tag.signature, detail: d.name });
    }

    const queryStart = lines.lineStart(Math.max(0, cursorLine - SIMILAR_QUERY_LINES));
    const others = [...this.recent.values()].filter((d) => d.uri !== syntax.uri && grammarFor(d.languageId) !== undefined);
    for (const s of this.similar.find(text.slice(queryStart, lines.lineStart(cursorLine)), others)) {
      out.push({
        kind: 'similar',
        uri: s.uri,
        range: { startLine: s.startLine, startCharacter: 0, endLine: s.endLine + 1, endCharacter: 0 },
        body: s.text,
        detail: s.score.toFixed(2),
      });
    }
    return out;
  }

  /** The completion shape at `offset` (multi-line or single-line, and why). */
  async completionShape(doc: DocumentSnapshot, offset: number): Promise<CompletionShape> {
    const syntax = await this.parsers.parse(doc);
    return completionShape(doc.text, offset, syntax, grammarFor(doc.languageId));
  }

  /** Truncates a completion for `doc` at `offset` (see truncateCompletion). */
  async truncate(doc: DocumentSnapshot, offset: number, completion: string, options?: TruncationOptions): Promise<TruncationResult> {
    const syntax = await this.parsers.parse(doc);
    return truncateCompletion(syntax, offset, completion, options);
  }

  private remember(doc: DocumentSnapshot): void {
    this.recent.delete(doc.uri);
    this.recent.set(doc.uri, doc);
    while (this.recent.size > this.maxRecent) {
      const oldest = this.recent.keys().next().value;
      if (oldest === undefined) break;
      this.recent.delete(oldest);
      this.similar.forget(oldest);
    }
  }

  private scheduleReindex(doc: DocumentSnapshot): void {
    const existing = this.reindexTimers.get(doc.uri);
    if (existing) clearTimeout(existing);
    const timer = setTimeout(() => {
      this.reindexTimers.delete(doc.uri);
      const latest = this.recent.get(doc.uri) ?? doc;
      // The open document's incremental tree serves; parse afresh only when it is not cached.
      const syntax = this.parsers.peek(latest);
      if (syntax) this.tags.indexTree(syntax.uri, syntax.grammar, syntax.tree, syntax.text);
      else this.tags.indexText(latest.uri, latest.languageId, latest.text).catch((err: unknown) => this.log.error(`re-index of ${doc.uri} failed`, err));
    }, this.reindexDelayMs);
    timer.unref?.();
    this.reindexTimers.set(doc.uri, timer);
  }

  /** One memo per counter object, so repeated lines are counted once across requests. */
  private memoized(counter: TokenCounter): TokenCounter {
    let memo = this.counters.get(counter);
    if (!memo) {
      memo = memoizedCounter(counter);
      this.counters.set(counter, memo);
    }
    return memo;
  }

  private linesOf(text: string): LineIndex {
    if (this.plainLines?.text !== text) this.plainLines = new LineIndex(text);
    return this.plainLines;
  }
}

function rank(order: readonly string[], key: string): number {
  const i = order.indexOf(key);
  return i === -1 ? order.length : i;
}
