/**
 * Code in other open or recently used files that looks like the code before the cursor:
 * Jaccard similarity of identifier sets over sliding line windows. Window sets are cached
 * per file version.
 */
import type { DocumentSnapshot } from './types';

export interface SimilarSnippet {
  readonly uri: string;
  readonly startLine: number;
  /** Inclusive. */
  readonly endLine: number;
  readonly text: string;
  readonly score: number;
}

export interface SimilarityOptions {
  readonly windowLines?: number;
  readonly stride?: number;
  readonly topK?: number;
  readonly minScore?: number;
  /** Files longer than this are scanned only up to it. */
  readonly maxFileChars?: number;
}

interface WindowSet {
  readonly startLine: number;
  readonly endLine: number;
  readonly start: number;
  readonly end: number;
  readonly words: ReadonlySet<string>;
}

const WORD = /[A-Za-z_$][\w$]*/g;

export function wordSet(text: string): Set<string> {
  return new Set(text.match(WORD) ?? []);
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let inter = 0;
  for (const w of small) if (large.has(w)) inter++;
  return inter / (a.size + b.size - inter);
}

export class SimilarSnippetFinder {
  private readonly cache = new Map<string, { version: number; windows: readonly WindowSet[]; text: string }>();
  private readonly windowLines: number;
  private readonly stride: number;
  private readonly topK: number;
  private readonly minScore: number;
  private readonly maxFileChars: number;

  constructor(options: SimilarityOptions = {}, private readonly maxCachedFiles = 16) {
    this.windowLines = options.windowLines ?? 12;
    this.stride = options.stride ?? 6;
    this.topK = options.topK ?? 3;
    this.minScore = options.minScore ?? 0.2;
    this.maxFileChars = options.maxFileChars ?? 200_000;
  }

  /** The best non-overlapping windows of `files` for the code `query`, best first. */
  find(query: string, files: readonly DocumentSnapshot[]): SimilarSnippet[] {
    const q = wordSet(query);
    if (q.size < 3) return [];
    const scored: SimilarSnippet[] = [];
    for (const f of files) {
      const { windows, text } = this.windowsOf(f);
      let best: WindowSet | undefined;
      let bestScore = this.minScore;
      for (const w of windows) {
        const s = jaccard(q, w.words);
        if (s > bestScore) {
          best = w;
          bestScore = s;
        }
      }
      if (best) scored.push({ uri: f.uri, startLine: best.startLine, endLine: best.endLine, text: text.slice(best.start, best.end), score: bestScore });
    }
    scored.sort((a, b) => b.score - a.score);
    return scored.slice(0, this.topK);
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  private windowsOf(doc: DocumentSnapshot): { windows: readonly WindowSet[]; text: string } {
    const hit = this.cache.get(doc.uri);
    if (hit && hit.version === doc.version) return hit;
    const text = doc.text.length > this.maxFileChars ? doc.text.slice(0, this.maxFileChars) : doc.text;
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    const windows: WindowSet[] = [];
    for (let line = 0; line < starts.length; line += this.stride) {
      const endLine = Math.min(line + this.windowLines, starts.length) - 1;
      const start = starts[line];
      const end = endLine + 1 < starts.length ? starts[endLine + 1] - 1 : text.length;
      const words = wordSet(text.slice(start, end));
      if (words.size >= 3) windows.push({ startLine: line, endLine, start, end, words });
      if (endLine === starts.length - 1) break;
    }
    const entry = { version: doc.version, windows, text };
    this.cache.delete(doc.uri);
    this.cache.set(doc.uri, entry);
    while (this.cache.size > this.maxCachedFiles) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    return entry;
  }
}
