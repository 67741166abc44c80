/**
 * Duplicates across one or more files. With several files (train.jsonl, valid.jsonl, …) each
 * file is a split, and a duplicate group spanning files is leakage.
 */
import { basename } from 'node:path';
import { exampleText } from '../formats/convert';
import type { NearDuplicateOptions } from '../dedup/lsh';
import { Deduplicator, findLeakage, type DuplicateGroup } from '../dedup/report';
import type { RowLimits } from '../jsonl/parse';
import { readExamples } from './rows';

export interface RowRef {
  readonly file: string;
  readonly line: number;
}

export interface FileDuplicateGroup {
  readonly kind: DuplicateGroup['kind'];
  readonly similarity: number;
  readonly rows: readonly RowRef[];
}

export interface FilesDedupReport {
  readonly rows: number;
  readonly groups: readonly FileDuplicateGroup[];
  readonly redundant: number;
  readonly leaks: readonly FileDuplicateGroup[];
  readonly threshold: number;
  readonly banding: { readonly bands: number; readonly rows: number };
}

export async function dedupFiles(files: readonly string[], options: NearDuplicateOptions & { signal?: AbortSignal; limits?: RowLimits } = {}): Promise<FilesDedupReport> {
  const d = new Deduplicator(options);
  const refs: RowRef[] = [];
  for (const file of files) {
    for await (const row of readExamples(file, { signal: options.signal, limits: options.limits })) {
      if (!row.example) continue;
      d.add({ id: refs.length, text: exampleText(row.example) });
      refs.push({ file, line: row.line });
    }
  }
  const report = d.finish();
  const toFile = (g: DuplicateGroup): FileDuplicateGroup => ({ kind: g.kind, similarity: g.similarity, rows: g.ids.map((id) => refs[id]) });
  const leaks = files.length > 1 ? findLeakage(report, (id) => basename(refs[id].file)).map((l) => toFile(l.group)) : [];
  return {
    rows: refs.length,
    groups: report.groups.map(toFile),
    redundant: report.redundant,
    leaks,
    threshold: options.threshold ?? 0.8,
    banding: report.banding,
  };
}
