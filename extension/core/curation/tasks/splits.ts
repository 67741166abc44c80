/**
 * Exporting train/validation/test files. The assignment comes from `assignSplits`; rows are
 * written as they are (or converted to another format), one file per split, each atomically.
 * Lines that are not valid rows are not exported, and the result says how many.
 */
import { basename, dirname, extname, join } from 'node:path';
import { exampleText } from '../formats/convert';
import { writeExample } from '../formats/write';
import { FormatError, type Example, type FormatId } from '../formats/types';
import { exactKey } from '../dedup/normalize';
import { rowKey, readSidecar } from '../document/sidecar';
import { atomicWrite } from '../../common/fs/atomicWrite';
import { assignSplits, SPLITS, type SplitItem, type SplitName, type SplitRatios } from '../split/split';
import type { RowLimits } from '../jsonl/parse';
import { readRows } from './rows';

export interface SplitSourceRow {
  readonly id: number;
  readonly bytes: Buffer;
  readonly example?: Example;
  readonly tags?: readonly string[];
}

export interface SplitExportOptions {
  readonly seed: string;
  readonly ratios?: SplitRatios;
  /** Stratify by each row's first tag. */
  readonly stratified?: boolean;
  readonly convertTo?: FormatId;
  /** Row size and depth caps (defaults: DEFAULT_ROW_LIMITS). */
  readonly limits?: RowLimits;
}

export interface SplitExportResult {
  readonly files: Record<SplitName, { readonly path: string; readonly rows: number }>;
  /** Lines that were not valid rows and were left out. */
  readonly skipped: number;
  readonly failed: ReadonlyArray<{ readonly id: number; readonly error: string }>;
}

export function splitPaths(file: string, outDir?: string): Record<SplitName, string> {
  const ext = extname(file);
  const base = basename(file, ext);
  const dir = outDir ?? dirname(file);
  return { train: join(dir, `${base}.train${ext || '.jsonl'}`), validation: join(dir, `${base}.validation${ext || '.jsonl'}`), test: join(dir, `${base}.test${ext || '.jsonl'}`) };
}

export function splitItem(row: SplitSourceRow): SplitItem | undefined {
  if (!row.example) return undefined;
  return { id: row.id, key: exactKey(exampleText(row.example)), stratum: row.tags?.[0] };
}

type Source = () => AsyncIterable<SplitSourceRow> | Iterable<SplitSourceRow>;

/** Writes the three split files from `source` (called once per file). */
export async function writeSplits(source: Source, assignment: ReadonlyMap<number, SplitName>, paths: Record<SplitName, string>, convertTo?: FormatId): Promise<Omit<SplitExportResult, 'skipped'>> {
  const failed: Array<{ id: number; error: string }> = [];
  const files = {} as Record<SplitName, { path: string; rows: number }>;
  for (const split of SPLITS) {
    let rows = 0;
    async function* chunks(): AsyncGenerator<Buffer> {
      for await (const row of source()) {
        if (assignment.get(row.id) !== split || !row.example) continue;
        let bytes = row.bytes;
        if (convertTo) {
          try {
            bytes = Buffer.from(JSON.stringify(writeExample(convertTo, row.example).value));
          } catch (err) {
            if (!(err instanceof FormatError)) throw err;
            failed.push({ id: row.id, error: err.message });
            continue;
          }
        }
        rows++;
        yield bytes;
        yield Buffer.from('\n');
      }
    }
    await atomicWrite(paths[split], chunks());
    files[split] = { path: paths[split], rows };
  }
  return { files, failed };
}

/** `lathe dataset split`: assigns and writes splits of a file (tags for stratifying come from its sidecar). */
export async function splitFile(file: string, options: SplitExportOptions & { outDir?: string }): Promise<SplitExportResult> {
  const meta = options.stratified ? await readSidecar(file) : new Map<string, never>();
  async function* source(): AsyncGenerator<SplitSourceRow> {
    for await (const row of readRows(file, { limits: options.limits })) {
      yield { id: row.line, bytes: row.bytes, example: row.analysis.example, tags: meta.get(rowKey(row.bytes))?.tags };
    }
  }
  const items: SplitItem[] = [];
  let skipped = 0;
  for await (const row of source()) {
    const item = splitItem(row);
    if (item) items.push(item);
    else skipped++;
  }
  const assignment = assignSplits(items, options);
  const written = await writeSplits(source, assignment, splitPaths(file, options.outDir), options.convertTo);
  return { ...written, skipped };
}
