/**
 * The lines of an open dataset and the edits made to them. Unedited lines keep the exact bytes
 * and line endings read from disk, so saving writes them back byte for byte (invalid UTF-8 and
 * non-JSON lines included, in place). Every edit returns its inverse, which is what the editor's
 * undo stack runs.
 */
import type { Eol, RawLine } from '../jsonl/lines';

export interface RowMeta {
  readonly tags: readonly string[];
  /** 1..5, or 0 for unrated. */
  readonly rating: number;
}

export const NO_META: RowMeta = { tags: [], rating: 0 };

export interface DatasetLine {
  /** Stable within this open document; survives deletes and undo. */
  readonly id: number;
  /** 0-based line index in the file as loaded, or null for rows added since. */
  readonly origin: number | null;
  readonly bytes: Buffer;
  readonly eol: Eol;
  readonly edited: boolean;
}

export type DatasetEdit =
  | { readonly kind: 'replace'; readonly line: DatasetLine }
  | { readonly kind: 'delete'; readonly ids: readonly number[] }
  | { readonly kind: 'insert'; readonly entries: ReadonlyArray<{ readonly index: number; readonly line: DatasetLine }> }
  | { readonly kind: 'meta'; readonly id: number; readonly meta: RowMeta }
  | { readonly kind: 'batch'; readonly edits: readonly DatasetEdit[] };

export class DatasetModel {
  private lines: DatasetLine[];
  private readonly meta = new Map<number, RowMeta>();
  private idIndex: Map<number, number> | undefined;
  private nextId: number;
  /** Increments on every applied edit; caches compare against it. */
  version = 0;

  constructor(raw: readonly RawLine[]) {
    this.lines = raw.map((l, i) => ({ id: i, origin: l.index, bytes: l.bytes, eol: l.eol, edited: false }));
    this.nextId = raw.length;
  }

  get lineCount(): number {
    return this.lines.length;
  }

  lineAt(index: number): DatasetLine {
    const l = this.lines[index];
    if (!l) throw new RangeError(`no line ${index}`);
    return l;
  }

  allLines(): readonly DatasetLine[] {
    return this.lines;
  }

  indexOf(id: number): number {
    this.idIndex ??= new Map(this.lines.map((l, i) => [l.id, i]));
    return this.idIndex.get(id) ?? -1;
  }

  byId(id: number): DatasetLine | undefined {
    const i = this.indexOf(id);
    return i < 0 ? undefined : this.lines[i];
  }

  metaOf(id: number): RowMeta {
    return this.meta.get(id) ?? NO_META;
  }

  /** Sets meta without an undo entry (loading the sidecar). */
  loadMeta(id: number, meta: RowMeta): void {
    this.meta.set(id, meta);
  }

  /** A replacement line for `id` with new text (the line ending is kept). */
  replacement(id: number, text: string): DatasetEdit {
    const old = this.byId(id);
    if (!old) throw new RangeError(`no row with id ${id}`);
    return { kind: 'replace', line: { ...old, bytes: Buffer.from(text, 'utf8'), edited: true } };
  }

  /** New rows appended at the end, each with a fresh id. */
  appendition(texts: readonly string[]): DatasetEdit {
    const entries: Array<{ index: number; line: DatasetLine }> = [];
    let index = this.lines.length;
    // The current last line may lack a newline; appended rows need one before them.
    const last = this.lines.at(-1);
    const fixes: DatasetEdit[] = last && last.eol === '' ? [{ kind: 'replace', line: { ...last, eol: '\n' } }] : [];
    for (const text of texts) entries.push({ index: index++, line: { id: this.nextId++, origin: null, bytes: Buffer.from(text, 'utf8'), eol: '\n', edited: true } });
    return fixes.length ? { kind: 'batch', edits: [...fixes, { kind: 'insert', entries }] } : { kind: 'insert', entries };
  }

  /** Applies an edit and returns the edit that undoes it. */
  apply(edit: DatasetEdit): DatasetEdit {
    this.version++;
    switch (edit.kind) {
      case 'replace': {
        const i = this.indexOf(edit.line.id);
        if (i < 0) throw new RangeError(`no row with id ${edit.line.id}`);
        const old = this.lines[i];
        this.lines[i] = edit.line;
        return { kind: 'replace', line: old };
      }
      case 'delete': {
        const gone = new Set(edit.ids);
        const entries: Array<{ index: number; line: DatasetLine }> = [];
        this.lines.forEach((line, index) => {
          if (gone.has(line.id)) entries.push({ index, line });
        });
        this.lines = this.lines.filter((l) => !gone.has(l.id));
        this.idIndex = undefined;
        return { kind: 'insert', entries };
      }
      case 'insert': {
        // Entries hold final indices in ascending order: inserting in that order restores them.
        for (const { index, line } of [...edit.entries].sort((a, b) => a.index - b.index)) this.lines.splice(index, 0, line);
        this.idIndex = undefined;
        return { kind: 'delete', ids: edit.entries.map((e) => e.line.id) };
      }
      case 'meta': {
        const old = this.metaOf(edit.id);
        if (edit.meta.tags.length === 0 && edit.meta.rating === 0) this.meta.delete(edit.id);
        else this.meta.set(edit.id, edit.meta);
        return { kind: 'meta', id: edit.id, meta: old };
      }
      case 'batch': {
        const inverses = edit.edits.map((e) => this.apply(e));
        this.version -= edit.edits.length - 1;
        return { kind: 'batch', edits: inverses.reverse() };
      }
    }
  }

  /** Whether any line differs from what was loaded (meta is saved separately). */
  get linesChanged(): boolean {
    return this.lines.some((l, i) => l.edited || l.origin !== i);
  }

  /** The file's new content, chunk by chunk: each line's bytes then its line ending. */
  *serialize(): Generator<Buffer> {
    const eols: Record<Eol, Buffer> = { '\n': Buffer.from('\n'), '\r\n': Buffer.from('\r\n'), '': Buffer.alloc(0) };
    const n = this.lines.length;
    for (let i = 0; i < n; i++) {
      const l = this.lines[i];
      yield l.bytes;
      // A line that was last but no longer is needs a line ending to stay a separate line.
      const eol = l.eol === '' && i < n - 1 ? '\n' : l.eol;
      if (eol !== '') yield eols[eol];
    }
  }

  /** Replaces every line with freshly read ones (revert, or reload after an outside change). */
  reset(raw: readonly RawLine[]): void {
    this.lines = raw.map((l, i) => ({ id: this.nextId + i, origin: l.index, bytes: l.bytes, eol: l.eol, edited: false }));
    this.nextId += raw.length;
    this.meta.clear();
    this.idIndex = undefined;
    this.version++;
  }

  /** After a save, the saved state is the new baseline: origins follow the current order. */
  markSaved(): void {
    this.lines = this.lines.map((l, i) => ({ ...l, origin: i, edited: false }));
  }
}
