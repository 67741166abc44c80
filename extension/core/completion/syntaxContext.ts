/**
 * The tree-sitter context engine behind the completion pipeline's ContextBuilder seam:
 * budgeted, cache-friendly context pieces, the multi-line decision and syntax-aware
 * truncation for the cursor.
 */
import type { ContextBudget } from '../context/assemble';
import type { ContextEngine } from '../context/engine';
import type { DocumentSnapshot } from '../context/types';
import type { TokenCounter } from '../models/tokenCounter';
import type { CompletionContext, CompletionDocument, ContextBuilder, ContextLimits } from './context';
import { COPY_OPEN_DOCUMENTS } from './copySources';

export class SyntaxContextBuilder implements ContextBuilder {
  constructor(
    private readonly engine: ContextEngine,
    private readonly counter: () => TokenCounter | undefined,
    private readonly budget?: Partial<ContextBudget>,
  ) {}

  async build(doc: CompletionDocument, limits: ContextLimits, signal?: AbortSignal): Promise<CompletionContext> {
    const snapshot: DocumentSnapshot = { uri: doc.uri, languageId: doc.languageId, version: doc.version, text: doc.text };
    const assembled = await this.engine.assemble({ doc: snapshot, offset: doc.offset, counter: this.counter(), budget: { ...this.budget, maxTokens: Math.min(this.budget?.maxTokens ?? limits.maxTokens, limits.maxTokens) } });
    signal?.throwIfAborted();
    const shape = await this.engine.completionShape(snapshot, doc.offset);
    return {
      prefix: assembled.prefix,
      suffix: assembled.suffix,
      extra: assembled.context,
      pieces: assembled.pieces.flatMap((p) => (p.kind !== 'prefix' && p.kind !== 'suffix' && p.body !== undefined ? [{ path: p.path ?? p.uri, code: p.body }] : [])),
      multiline: shape.multiline,
      openTexts: this.engine.relatedDocuments(doc.uri, doc.languageId, COPY_OPEN_DOCUMENTS).map((d) => d.text),
      sources: assembled.pieces.map((p) => ({ kind: p.kind, file: p.uri, startLine: p.range.startLine, endLine: p.range.endLine, tokens: p.tokens })),
      knows: (name) => this.engine.tags.lookup(name).length > 0,
      truncate: async (completion) => (await this.engine.truncate(snapshot, doc.offset, completion, { multiline: shape.multiline, mayLeaveOpen: true })).text,
    };
  }
}
