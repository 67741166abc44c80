/**
 * Duplicate analysis of an open dataset: runs over every valid row (yielding to the event loop
 * as it goes), then turns groups into per-row problems, and checks the groups against the
 * split assignment for leakage.
 */
import { Deduplicator, findLeakage, type DedupReport } from '../dedup/report';
import { problem, type Problem } from '../lint/problems';
import type { SplitName } from '../split/split';
import type { LineCache } from './lineCache';
import type { DatasetModel } from './model';
import { Slicer } from './slicer';

export interface DuplicateAnalysis {
  readonly threshold: number;
  readonly report: DedupReport;
  readonly problems: ReadonlyMap<number, readonly Problem[]>;
  readonly leaking: number;
}

export async function analyzeDuplicates(
  model: DatasetModel,
  cache: LineCache,
  threshold: number,
  splitOf: (id: number) => SplitName | undefined,
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<DuplicateAnalysis> {
  const d = new Deduplicator({ threshold });
  const lines = [...model.allLines()];
  const lineNo = new Map<number, string>();
  const slicer = new Slicer(12, options.signal);
  for (let i = 0; i < lines.length; i++) {
    if (i % 1000 === 0) options.onProgress?.(i, lines.length);
    await slicer.tick();
    const line = lines[i];
    lineNo.set(line.id, line.origin === null ? `new row ${i + 1}` : `line ${line.origin + 1}`);
    const text = cache.text(line, i === 0);
    if (text !== undefined) d.add({ id: line.id, text });
  }
  const report = d.finish();
  const problems = new Map<number, Problem[]>();
  const add = (id: number, p: Problem) => problems.set(id, [...(problems.get(id) ?? []), p]);
  for (const g of report.groups) {
    const [keep, ...rest] = g.ids;
    for (const id of rest) {
      add(id, g.kind === 'exact' ? problem('duplicate', `same text as ${lineNo.get(keep)}`) : problem('near_duplicate', `${Math.round(g.similarity * 100)}% similar to ${lineNo.get(keep)}`));
    }
  }
  const leaks = findLeakage(report, splitOf);
  for (const leak of leaks) {
    const names = Object.keys(leak.splits).join(', ');
    for (const id of leak.group.ids) add(id, problem('split_leakage', `a ${leak.group.kind} duplicate of this row is in another split (${names})`));
  }
  options.onProgress?.(lines.length, lines.length);
  return { threshold, report, problems, leaking: leaks.length };
}
