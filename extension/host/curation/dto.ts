/** The dataset session's core results as the dataset editor's protocol carries them (exactly its fields). */
import type { Problem } from '../../core/curation/lint/problems';
import type { DatasetSummary, RowDetail, RowPage, RowSummary } from '../../core/curation/document/views';
import type * as wire from '../../protocol/curation';

function problemView(p: Problem): wire.ProblemView {
  return { code: p.code, severity: p.severity, message: p.message };
}

export function rowSummaryDto(r: RowSummary): wire.RowSummary {
  return {
    id: r.id,
    line: r.line,
    index: r.index,
    format: r.format,
    prompt: r.prompt,
    answer: r.answer,
    problems: r.problems.map(problemView),
    tags: r.tags,
    rating: r.rating,
    tokens: r.tokens,
    edited: r.edited,
  };
}

export function rowPageDto(p: RowPage): { total: number; version: number; rows: wire.RowSummary[] } {
  return { total: p.total, version: p.version, rows: p.rows.map(rowSummaryDto) };
}

export function rowDetailDto(r: RowDetail | null): wire.RowDetail | null {
  if (!r) return null;
  return { ...rowSummaryDto(r), text: r.text, segments: r.segments && r.segments.map((s) => ({ role: s.role, text: s.text })) };
}

export function summaryDto(s: DatasetSummary): wire.DatasetSummary {
  const t = s.tokens;
  const d = s.duplicates;
  return {
    fileName: s.fileName,
    lines: s.lines,
    validRows: s.validRows,
    format: s.format,
    formatLabel: s.formatLabel,
    problemRows: s.problemRows,
    errorRows: s.errorRows,
    tags: s.tags,
    tokens: t && { counter: t.counter, min: t.min, mean: t.mean, p5: t.p5, p50: t.p50, p95: t.p95, max: t.max, limit: t.limit, overLimit: t.overLimit },
    duplicates: d && { groups: d.groups, redundant: d.redundant, leaking: d.leaking, threshold: d.threshold },
    analyzing: s.analyzing,
  };
}
