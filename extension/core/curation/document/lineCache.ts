/**
 * Per-line facts the editor needs over and over (lint result, token count, PII findings),
 * cached by the line's bytes object: an edit makes new bytes and so a fresh entry, and undo
 * brings the old bytes, and their cached facts, back.
 */
import { exampleText } from '../formats/convert';
import type { Example } from '../formats/types';
import { DEFAULT_ROW_LIMITS, type RowLimits } from '../jsonl/parse';
import { analyzeLine, type LineAnalysis, type LineInfo } from '../lint/analyze';
import { problem, type Problem } from '../lint/problems';
import { estimateTokensFromBytes, exampleTokens } from '../lint/tokens';
import type { TokenCounter } from '../../models/tokenCounter';
import { PII_PLACEHOLDERS } from '../pii/detect';
import { scanValue } from '../pii/value';
import type { DatasetLine } from './model';

interface Entry {
  info: LineInfo;
  tokens?: number | null;
  pii?: readonly Problem[];
}

export class LineCache {
  private readonly entries = new WeakMap<Buffer, Entry>();

  constructor(
    private readonly counter: TokenCounter,
    private readonly limits: RowLimits = DEFAULT_ROW_LIMITS,
  ) {}

  get counterName(): string {
    return this.counter.name;
  }

  /** Full analysis (with the parsed value and example); not cached, for the few rows shown. */
  analyze(line: DatasetLine, isFirst: boolean): LineAnalysis {
    return analyzeLine(line.bytes, isFirst && line.origin === 0, this.limits);
  }

  private entry(line: DatasetLine, isFirst: boolean): Entry {
    let e = this.entries.get(line.bytes);
    if (!e) {
      const a = this.analyze(line, isFirst);
      e = { info: { status: a.status, isRow: a.isRow, format: a.format, problems: a.problems } };
      // A row over the size cap is never tokenized: its count is an estimate from its size.
      if (a.parsed.status === 'too-large') e.tokens = estimateTokensFromBytes(a.parsed.bytes);
      this.entries.set(line.bytes, e);
    }
    return e;
  }

  info(line: DatasetLine, isFirst: boolean): LineInfo {
    return this.entry(line, isFirst).info;
  }

  /** Token count of a valid row (null for lines that are not rows). */
  tokens(line: DatasetLine, isFirst: boolean, example?: Example): number | null {
    const e = this.entry(line, isFirst);
    if (e.tokens === undefined) {
      const ex = example ?? (e.info.format ? this.analyze(line, isFirst).example : undefined);
      e.tokens = ex ? exampleTokens(ex, this.counter) : null;
    }
    return e.tokens;
  }

  /** Records a count made elsewhere (the token worker). */
  setTokens(line: DatasetLine, isFirst: boolean, tokens: number | null): void {
    this.entry(line, isFirst).tokens = tokens;
  }

  hasTokens(line: DatasetLine): boolean {
    return this.entries.get(line.bytes)?.tokens !== undefined;
  }

  /** PII problems of a JSON row, one per kind found. */
  pii(line: DatasetLine, isFirst: boolean): readonly Problem[] {
    const e = this.entry(line, isFirst);
    if (e.pii === undefined) {
      const a = this.analyze(line, isFirst);
      if (a.parsed.status !== 'json') e.pii = [];
      else {
        const byKind = new Map<string, string[]>();
        for (const f of scanValue(a.parsed.value)) byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), `${f.preview} in ${f.path}`]);
        e.pii = [...byKind].map(([kind, where]) => problem('pii', `${PII_PLACEHOLDERS[kind as keyof typeof PII_PLACEHOLDERS]} ${where.join('; ')}`));
      }
    }
    return e.pii;
  }

  hasPii(line: DatasetLine): boolean {
    return this.entries.get(line.bytes)?.pii !== undefined;
  }

  /** The text dedup compares (all of the example's text), or undefined for non-rows. */
  text(line: DatasetLine, isFirst: boolean): string | undefined {
    const a = this.analyze(line, isFirst);
    return a.example ? exampleText(a.example) : undefined;
  }
}
