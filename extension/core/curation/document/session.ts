/**
 * An open dataset as the editor sees it: the lines (DatasetModel), cached per-line facts,
 * the latest duplicate analysis, and the queries the webview makes (filtered pages, one row's
 * detail, the summary). No VS Code here: the host adapter turns requests into calls.
 */
import { exampleSegments } from '../formats/convert';
import { FormatTally } from '../formats/detect';
import { FORMAT_LABELS, type Example, type FormatId } from '../formats/types';
import { scanLines, type RawLine } from '../jsonl/lines';
import type { RowLimits } from '../jsonl/parse';
import { datasetProblems } from '../lint/analyze';
import { problem, PROBLEM_CODES, type Problem } from '../lint/problems';
import { tokensFromCounts, tokenStats } from '../lint/tokens';
import type { TokenCounter } from '../../models/tokenCounter';
import { assignSplits, DEFAULT_RATIOS, type SplitItem, type SplitName, type SplitRatios } from '../split/split';
import { findLeakage } from '../dedup/report';
import { analyzeDuplicates, type DuplicateAnalysis } from './duplicates';
import { LineCache } from './lineCache';
import { Slicer } from './slicer';
import type { BatchTokenCounter } from './workerCounter';
import { DatasetModel, type DatasetLine } from './model';
import type { DatasetSummary, RowDetail, RowFilter, RowPage } from './views';
import { splitItem } from '../tasks/splits';
import { errorMessage } from '../../../base/errorText';

export interface SessionOptions {
  readonly counter: TokenCounter;
  /** Rows over this many tokens get a `too_long` problem. */
  readonly maxTokens: number;
  /** Counts for the whole dataset off this thread; `counter` still serves single rows. */
  readonly batchCounter?: BatchTokenCounter;
  /** Row size and depth caps (defaults: DEFAULT_ROW_LIMITS). */
  readonly limits?: RowLimits;
}

export interface SplitSettings {
  readonly seed: string;
  readonly ratios: SplitRatios;
  readonly stratified: boolean;
}

export type Progress = (phase: string, done: number, total: number) => void;

const PREVIEW = 160;

function shorten(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > PREVIEW ? `${one.slice(0, PREVIEW - 1)}…` : one;
}

export async function readAllLines(file: string, onProgress?: Progress, signal?: AbortSignal): Promise<RawLine[]> {
  const lines: RawLine[] = [];
  await scanLines(file, (l) => lines.push(l), { signal, onProgress: (done, total) => onProgress?.('reading', done, total) });
  return lines;
}

export class DatasetSession {
  readonly model: DatasetModel;
  readonly cache: LineCache;
  threshold = 0.8;
  splits: SplitSettings = { seed: 'lathe', ratios: DEFAULT_RATIOS, stratified: false };
  analyzing = false;
  private duplicates: DuplicateAnalysis | undefined;
  private analysisVersion = 0;
  private formatMemo = { version: -1, format: undefined as FormatId | undefined };
  private queryMemo = { key: '', indices: [] as number[] };

  constructor(lines: readonly RawLine[], readonly options: SessionOptions) {
    this.model = new DatasetModel(lines);
    this.cache = new LineCache(options.counter, options.limits);
  }

  /** Lints every line once (with progress), so that filters and the summary are complete. */
  async lintAll(onProgress?: Progress, signal?: AbortSignal): Promise<void> {
    const lines = this.model.allLines();
    const slicer = new Slicer(12, signal);
    for (let i = 0; i < lines.length; i++) {
      if (i % 5000 === 0) onProgress?.('linting', i, lines.length);
      await slicer.tick();
      this.cache.info(lines[i], i === 0);
    }
  }

  reset(lines: readonly RawLine[]): void {
    this.model.reset(lines);
    this.duplicates = undefined;
    this.analysisVersion++;
  }

  datasetFormat(): FormatId | undefined {
    if (this.formatMemo.version !== this.model.version) {
      const tally = new FormatTally();
      this.model.allLines().forEach((l, i) => {
        const info = this.cache.info(l, i === 0);
        if (info.status === 'json') tally.add(info.format);
      });
      this.formatMemo = { version: this.model.version, format: tally.best };
    }
    return this.formatMemo.format;
  }

  /** A line's problems: lint, dataset rules, token limit, and (once computed) PII and duplicates. */
  problemsAt(index: number, computeAll = false): Problem[] {
    const line = this.model.lineAt(index);
    const first = index === 0;
    const out = [...datasetProblems(this.cache.info(line, first), this.datasetFormat())];
    if (computeAll || this.cache.hasTokens(line)) {
      const n = this.cache.tokens(line, first);
      const count = this.cache.info(line, first).status === 'too-large' ? `about ${n} tokens (estimated from its size)` : `${n} tokens`;
      if (n !== null && n > this.options.maxTokens) out.push(problem('too_long', `${count}, over the limit of ${this.options.maxTokens} (${this.cache.counterName})`));
    }
    if (computeAll || this.cache.hasPii(line)) out.push(...this.cache.pii(line, first));
    const dup = this.duplicates?.problems.get(line.id);
    if (dup) out.push(...dup);
    return out;
  }

  private matches(index: number, f: RowFilter, search: string): boolean {
    const line = this.model.lineAt(index);
    const meta = this.model.metaOf(line.id);
    if (f.tag !== '' && !meta.tags.includes(f.tag)) return false;
    if (f.rating === 0 && meta.rating !== 0) return false;
    if (f.rating > 0 && meta.rating < f.rating) return false;
    if (f.problem !== '') {
      const problems = this.problemsAt(index);
      if (f.problem === 'clean' && problems.length > 0) return false;
      if (f.problem === 'problems' && problems.length === 0) return false;
      if (f.problem === 'errors' && !problems.some((p) => p.severity === 'error')) return false;
      if (!['clean', 'problems', 'errors'].includes(f.problem) && !problems.some((p) => p.code === f.problem)) return false;
    }
    if (search !== '' && !line.bytes.toString('utf8').toLowerCase().includes(search)) return false;
    return true;
  }

  /** Indices of the lines matching `filter`, memoized until the next edit or analysis. */
  query(filter: RowFilter): number[] {
    const key = `${this.model.version}/${this.analysisVersion}/${JSON.stringify(filter)}`;
    if (this.queryMemo.key === key) return this.queryMemo.indices;
    const search = filter.search.toLowerCase();
    const all = filter.problem === '' && filter.tag === '' && filter.rating === -1 && search === '';
    const indices: number[] = [];
    for (let i = 0; i < this.model.lineCount; i++) if (all || this.matches(i, filter, search)) indices.push(i);
    this.queryMemo = { key, indices };
    return indices;
  }

  /** Position in the filtered list of the next (or previous) row with problems, wrapping around. */
  nextProblem(filter: RowFilter, after: number, backwards = false): number | null {
    const indices = this.query(filter);
    const n = indices.length;
    for (let step = 1; step <= n; step++) {
      const k = (((backwards ? after - step : after + step) % n) + n) % n;
      if (this.problemsAt(indices[k]).length > 0) return k;
    }
    return null;
  }

  page(filter: RowFilter, start: number, count: number): RowPage {
    const indices = this.query(filter);
    return { total: indices.length, version: this.model.version, rows: indices.slice(start, start + count).map((i) => this.summaryAt(i)) };
  }

  private summaryAt(index: number, computeAll = false): RowDetail {
    const line = this.model.lineAt(index);
    const a = this.cache.analyze(line, index === 0);
    const meta = this.model.metaOf(line.id);
    const segments = a.example ? exampleSegments(a.example) : null;
    const isAnswer = (role: string) => /assistant|completion|middle|preferred/.test(role) && !role.startsWith('rejected');
    const prompt = segments ? (segments.find((s) => !isAnswer(s.role) && s.role !== 'system') ?? segments[0]) : undefined;
    const answer = segments ? [...segments].reverse().find((s) => isAnswer(s.role)) : undefined;
    return {
      id: line.id,
      line: line.origin === null ? null : line.origin + 1,
      index,
      format: a.format ? FORMAT_LABELS[a.format] : a.status === 'json' ? 'unknown' : a.status,
      prompt: shorten(prompt ? prompt.text : a.parsed.text),
      answer: shorten(answer?.text ?? ''),
      problems: this.problemsAt(index, computeAll),
      tags: meta.tags,
      rating: meta.rating,
      tokens: this.cache.tokens(line, index === 0, a.example),
      edited: line.edited,
      segments,
      text: a.parsed.text,
    };
  }

  detail(id: number): RowDetail | null {
    const index = this.model.indexOf(id);
    return index < 0 ? null : this.summaryAt(index, true);
  }

  summary(fileName: string): DatasetSummary {
    const problemRows: Record<string, number> = {};
    let errorRows = 0;
    let valid = 0;
    const tags = new Set<string>();
    const counts: number[] = [];
    for (let i = 0; i < this.model.lineCount; i++) {
      const line = this.model.lineAt(i);
      const problems = this.problemsAt(i);
      const seen = new Set<string>();
      for (const p of problems) seen.add(p.code);
      for (const c of seen) problemRows[c] = (problemRows[c] ?? 0) + 1;
      if (problems.some((p) => p.severity === 'error')) errorRows++;
      if (this.cache.info(line, i === 0).isRow) valid++;
      for (const t of this.model.metaOf(line.id).tags) tags.add(t);
      if (this.cache.hasTokens(line)) {
        const n = this.cache.tokens(line, i === 0);
        if (n !== null) counts.push(n);
      }
    }
    const format = this.datasetFormat();
    const ordered = Object.fromEntries(PROBLEM_CODES.filter((c) => problemRows[c]).map((c) => [c, problemRows[c]]));
    return {
      fileName,
      lines: this.model.lineCount,
      validRows: valid,
      format: format ?? null,
      formatLabel: format ? FORMAT_LABELS[format] : 'unknown format',
      problemRows: ordered,
      errorRows,
      tags: [...tags].sort(),
      tokens: counts.length > 0 ? tokenStats(counts, this.options.maxTokens, this.cache.counterName) : null,
      duplicates: this.duplicates
        ? { groups: this.duplicates.report.groups.length, redundant: this.duplicates.report.redundant, leaking: this.duplicates.leaking, threshold: this.duplicates.threshold }
        : null,
      analyzing: this.analyzing,
    };
  }

  /** Split of each valid row under the current split settings. */
  splitAssignment(): Map<number, SplitName> {
    const items = [];
    for (let i = 0; i < this.model.lineCount; i++) {
      const item = this.splitItemAt(i);
      if (item) items.push(item);
    }
    return assignSplits(items, this.splits);
  }

  /** PII for every row, duplicates and split leakage (then `onResults`), then token counts. */
  async analyze(onProgress?: Progress, signal?: AbortSignal, onResults?: () => void): Promise<void> {
    this.analyzing = true;
    try {
      const lines = [...this.model.allLines()];
      const slicer = new Slicer(12, signal);
      for (let i = 0; i < lines.length; i++) {
        if (i % 500 === 0) onProgress?.('PII', i, lines.length);
        await slicer.tick();
        this.cache.pii(lines[i], i === 0);
      }
      const split = await this.splitAssignmentSliced(slicer);
      this.duplicates = await analyzeDuplicates(this.model, this.cache, this.threshold, (id) => split.get(id), {
        signal,
        onProgress: (d, t) => onProgress?.('duplicates', d, t),
      });
      this.analysisVersion++;
      onResults?.();
      onProgress?.('tokens', 0, lines.length);
      // Token counting with a real tokenizer is the slowest part: it goes last, and the
      // summary's statistics fill in when it is done.
      let counted = false;
      if (this.options.batchCounter) {
        try {
          await this.countInBatches(lines, this.options.batchCounter, slicer, onProgress);
          counted = true;
        } catch (err) {
          signal?.throwIfAborted();
          // The worker failed: count in this thread instead (slower, same numbers).
          onProgress?.(`tokens (worker failed: ${errorMessage(err)})`, 0, lines.length);
        }
      }
      if (!counted) {
        for (let i = 0; i < lines.length; i++) {
          if (i % 500 === 0) onProgress?.('tokens', i, lines.length);
          await slicer.tick();
          this.cache.tokens(lines[i], i === 0);
        }
      }
      this.analysisVersion++;
    } finally {
      this.analyzing = false;
    }
  }

  private async countInBatches(lines: readonly DatasetLine[], counter: BatchTokenCounter, slicer: Slicer, onProgress?: Progress): Promise<void> {
    const BATCH = 256;
    for (let start = 0; start < lines.length; start += BATCH) {
      onProgress?.('tokens', start, lines.length);
      const rows: Array<{ line: DatasetLine; first: boolean; example?: Example; segments: number }> = [];
      const texts: string[] = [];
      for (let i = start; i < Math.min(lines.length, start + BATCH); i++) {
        await slicer.tick();
        if (this.cache.hasTokens(lines[i])) continue;
        const example = this.cache.analyze(lines[i], i === 0).example;
        const segments = example ? exampleSegments(example).map((s) => s.text) : [];
        rows.push({ line: lines[i], first: i === 0, example, segments: segments.length });
        texts.push(...segments);
      }
      const counts = texts.length > 0 ? await counter.countMany(texts) : [];
      let at = 0;
      for (const r of rows) {
        this.cache.setTokens(r.line, r.first, r.example ? tokensFromCounts(r.example, counts.slice(at, at + r.segments)) : null);
        at += r.segments;
      }
    }
  }

  private async splitAssignmentSliced(slicer: Slicer): Promise<Map<number, SplitName>> {
    const items = [];
    for (let i = 0; i < this.model.lineCount; i++) {
      await slicer.tick();
      const item = this.splitItemAt(i);
      if (item) items.push(item);
    }
    return assignSplits(items, this.splits);
  }

  private splitItemAt(i: number): SplitItem | undefined {
    const line = this.model.lineAt(i);
    const a = this.cache.analyze(line, i === 0);
    return splitItem({ id: line.id, bytes: line.bytes, example: a.example, tags: this.model.metaOf(line.id).tags });
  }

  /** Duplicate groups that would straddle splits under `assignment` (null before analysis). */
  leakCount(assignment: ReadonlyMap<number, SplitName>): number | null {
    return this.duplicates ? findLeakage(this.duplicates.report, (id) => assignment.get(id)).length : null;
  }

  lineById(id: number): DatasetLine | undefined {
    return this.model.byId(id);
  }
}
