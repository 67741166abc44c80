/**
 * Syntax trees for open documents: one entry per document, keyed by uri, holding the tree of
 * its latest version. A new version is parsed incrementally from the previous tree (`tree.edit`
 * + reparse with the old tree), from explicit changes or, when the caller only has the new
 * text, from the changed span between the two texts. Bounded: least recently used documents
 * are dropped and their trees freed.
 */
import { Edit, type Point, type Tree } from 'web-tree-sitter';
import type { IDisposable } from '../common/lifecycle';
import type { GrammarRegistry, LoadedGrammar } from './grammarRegistry';
import { grammarFor } from './languages';
import { LineIndex } from './lineIndex';
import { changeKeepsEligible, DEFAULT_SYNTAX_LIMITS, syntaxEligible, type SyntaxLimits } from './syntaxLimits';
import type { DocumentSnapshot, TextChange } from './types';

/** The one edit that produced a version from the previous one (offsets in old/new text). */
export interface VersionChange {
  readonly fromVersion: number;
  readonly start: number;
  readonly oldEnd: number;
  readonly newEnd: number;
}

/**
 * A parsed document version. Its tree stays valid until the next version of the same document
 * is parsed twice, and never ends before the current turn does: a caller that awaited `parse`
 * uses it in a later microtask, after other queued parses may have replaced it.
 */
export interface SyntaxDocument extends DocumentSnapshot {
  readonly grammar: LoadedGrammar;
  readonly tree: Tree;
  readonly lines: LineIndex;
  /** Set when this version came from the previous one by a single change. */
  readonly change?: VersionChange;
}

export interface ParserServiceOptions {
  readonly maxDocuments?: number;
  readonly limits?: SyntaxLimits;
}

class Entry implements SyntaxDocument {
  private lineIndex: LineIndex | undefined;
  constructor(
    readonly uri: string,
    readonly languageId: string,
    readonly version: number,
    readonly text: string,
    readonly grammar: LoadedGrammar,
    readonly tree: Tree,
    readonly change?: VersionChange,
  ) {}
  get lines(): LineIndex {
    this.lineIndex ??= new LineIndex(this.text);
    return this.lineIndex;
  }
}

interface Slot {
  current: Entry;
  /** The tree replaced last: kept one more version so a caller holding it is not left with a freed tree. */
  retired?: Tree;
}

export class ParserService implements IDisposable {
  private readonly slots = new Map<string, Slot>();
  private readonly maxDocuments: number;
  /** Trees replaced or closed in this turn, freed in the next one (see SyntaxDocument). */
  private doomed: Tree[] = [];
  private freeing: NodeJS.Immediate | undefined;
  readonly limits: SyntaxLimits;

  constructor(
    readonly grammars: GrammarRegistry,
    options: ParserServiceOptions = {},
  ) {
    this.maxDocuments = options.maxDocuments ?? 32;
    this.limits = options.limits ?? DEFAULT_SYNTAX_LIMITS;
  }

  /** The grammar for a language, loading it on first use; undefined when unsupported or broken. */
  async grammarFor(languageId: string): Promise<LoadedGrammar | undefined> {
    const spec = grammarFor(languageId);
    return spec ? this.grammars.load(spec) : undefined;
  }

  /** The cached parse of this exact version, if any (no parsing). */
  peek(doc: Pick<DocumentSnapshot, 'uri' | 'version'>): SyntaxDocument | undefined {
    const slot = this.slots.get(doc.uri);
    return slot && slot.current.version === doc.version ? slot.current : undefined;
  }

  /**
   * The tree of `doc`, parsed incrementally from the cached previous version when there is
   * one. Undefined for unsupported languages, grammars that failed to load, and texts beyond
   * the syntax limits.
   */
  async parse(doc: DocumentSnapshot): Promise<SyntaxDocument | undefined> {
    const cached = this.slots.get(doc.uri);
    if (cached && cached.current.version === doc.version && cached.current.text === doc.text) {
      this.touch(doc.uri, cached);
      return cached.current;
    }
    const grammar = await this.grammarFor(doc.languageId);
    if (!grammar) {
      this.close(doc.uri);
      return undefined;
    }
    return this.parseSync(doc, grammar);
  }

  /** Like `parse` once the grammar is loaded: for synchronous callers on the typing path. */
  parseSync(doc: DocumentSnapshot, grammar: LoadedGrammar): SyntaxDocument | undefined {
    const slot = this.slots.get(doc.uri);
    if (slot && slot.current.grammar === grammar) {
      if (slot.current.version === doc.version && slot.current.text === doc.text) return slot.current;
      const change = diffChange(slot.current.text, doc.text);
      if (change && !changeKeepsEligible(doc.text, change.startOffset, change.startOffset + change.newText.length, this.limits)) {
        this.close(doc.uri);
        return undefined;
      }
      return this.reparse(doc.uri, slot, doc.version, change ? [change] : [], doc.text);
    }
    if (!syntaxEligible(doc.text, this.limits)) {
      if (slot) this.close(doc.uri);
      return undefined;
    }
    if (slot) this.close(doc.uri);
    const tree = grammar.parser.parse(doc.text);
    if (!tree) return undefined;
    const entry = new Entry(doc.uri, doc.languageId, doc.version, doc.text, grammar, tree);
    this.touch(doc.uri, { current: entry });
    this.evict();
    return entry;
  }

  /**
   * Applies editor changes to the cached tree of `uri` and reparses incrementally. Undefined
   * when the document is not cached (call `parse` with the full text instead).
   */
  applyChanges(uri: string, version: number, changes: readonly TextChange[]): SyntaxDocument | undefined {
    const slot = this.slots.get(uri);
    if (!slot) return undefined;
    let text = slot.current.text;
    let eligible = true;
    for (const c of changes) {
      text = text.slice(0, c.startOffset) + c.newText + text.slice(c.oldEndOffset);
      eligible &&= changeKeepsEligible(text, c.startOffset, c.startOffset + c.newText.length, this.limits);
    }
    if (!eligible) {
      this.close(uri);
      return undefined;
    }
    return this.reparse(uri, slot, version, changes, text);
  }

  private reparse(uri: string, slot: Slot, version: number, changes: readonly TextChange[], newText: string): SyntaxDocument | undefined {
    const old = slot.current;
    const edited = old.tree.copy();
    let text = old.text;
    for (const c of changes) {
      edited.edit(toEdit(text, c));
      text = text.slice(0, c.startOffset) + c.newText + text.slice(c.oldEndOffset);
    }
    const tree = old.grammar.parser.parse(newText, edited);
    edited.delete();
    if (!tree) return undefined;
    if (slot.retired) this.free(slot.retired);
    slot.retired = old.tree;
    const only = changes.length === 1 ? changes[0] : undefined;
    const change = only && {
      fromVersion: old.version,
      start: only.startOffset,
      oldEnd: only.oldEndOffset,
      newEnd: only.startOffset + only.newText.length,
    };
    slot.current = new Entry(uri, old.languageId, version, newText, old.grammar, tree, change);
    this.touch(uri, slot);
    return slot.current;
  }

  close(uri: string): void {
    const slot = this.slots.get(uri);
    if (!slot) return;
    this.slots.delete(uri);
    if (slot.retired) this.free(slot.retired);
    this.free(slot.current.tree);
  }

  /**
   * Frees `tree` once the current turn is over. Four edits reported in one burst each await
   * their parse; the first caller resumes after the third has replaced its version twice, so
   * freeing at once left it a tree whose root node was null.
   */
  private free(tree: Tree): void {
    this.doomed.push(tree);
    this.freeing ??= setImmediate(() => this.freeDoomed());
  }

  private freeDoomed(): void {
    if (this.freeing) clearImmediate(this.freeing);
    this.freeing = undefined;
    const trees = this.doomed;
    this.doomed = [];
    for (const t of trees) t.delete();
  }

  get size(): number {
    return this.slots.size;
  }

  private touch(uri: string, slot: Slot): void {
    this.slots.delete(uri);
    this.slots.set(uri, slot);
  }

  private evict(): void {
    while (this.slots.size > this.maxDocuments) {
      const oldest = this.slots.keys().next().value;
      if (oldest === undefined) return;
      this.close(oldest);
    }
  }

  dispose(): void {
    for (const uri of [...this.slots.keys()]) this.close(uri);
    this.freeDoomed();
  }
}

/** Row/column of `offset` in `text` (columns in UTF-16 code units, as web-tree-sitter uses). */
export function pointAt(text: string, offset: number): Point {
  let row = 0;
  let lineStart = 0;
  let i = text.indexOf('\n');
  while (i !== -1 && i < offset) {
    row++;
    lineStart = i + 1;
    i = text.indexOf('\n', lineStart);
  }
  return { row, column: offset - lineStart };
}

/** The tree-sitter edit for one change applied to `text`. */
export function toEdit(text: string, change: TextChange): Edit {
  const startPosition = pointAt(text, change.startOffset);
  const oldEndPosition = pointAt(text, change.oldEndOffset);
  const lastNl = change.newText.lastIndexOf('\n');
  let newEndPosition: Point;
  if (lastNl === -1) {
    newEndPosition = { row: startPosition.row, column: startPosition.column + change.newText.length };
  } else {
    let rows = 0;
    for (let i = change.newText.indexOf('\n'); i !== -1; i = change.newText.indexOf('\n', i + 1)) rows++;
    newEndPosition = { row: startPosition.row + rows, column: change.newText.length - lastNl - 1 };
  }
  return new Edit({
    startIndex: change.startOffset,
    oldEndIndex: change.oldEndOffset,
    newEndIndex: change.startOffset + change.newText.length,
    startPosition,
    oldEndPosition,
    newEndPosition,
  });
}

/** The single change that turns `before` into `after` (common prefix and suffix kept); undefined if equal. */
export function diffChange(before: string, after: string): TextChange | undefined {
  if (before === after) return undefined;
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before.charCodeAt(endB - 1) === after.charCodeAt(endA - 1)) {
    endB--;
    endA--;
  }
  return { startOffset: start, oldEndOffset: endB, newText: after.slice(start, endA) };
}
