/**
 * `lathe bench dataset --rows N --json`: times lint, dedup and PII scanning over a generated
 * chat dataset of N rows (written to a temp file, removed afterwards).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { intFlag, parseFlags } from '../../extension/cli/args';
import type { CliCommand } from '../../extension/cli/command';
import { lintFile } from '../../extension/core/curation/lint/file';
import { approximateCounter } from '../../extension/core/curation/lint/tokens';
import { dedupFiles } from '../../extension/core/curation/tasks/dedupFiles';
import { scanFile } from '../../extension/core/curation/tasks/piiFile';
import { writeChatDataset } from './datasetGen';

const HELP = 'usage: lathe bench dataset [--rows N] [--json]';

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: Math.round(performance.now() - t0), value };
}

export const datasetBench: CliCommand = {
  summary: 'lint, dedup and PII timings on a generated dataset',
  async run(args, signal) {
    const parsed = parseFlags(args, { rows: { type: 'string' }, json: { type: 'boolean' } }, HELP);
    if (!parsed) return 0;
    const rows = intFlag(parsed.values.rows, 'rows', 100_000, 1);
    const dir = mkdtempSync(join(tmpdir(), 'lathe-bench-dataset-'));
    try {
      const file = join(dir, 'bench.jsonl');
      const planted = await writeChatDataset(file, rows);
      const lint = await timed(() => lintFile(file, { counter: approximateCounter, maxTokens: 4096, signal }));
      const dedup = await timed(() => dedupFiles([file], { threshold: 0.8, signal }));
      const pii = await timed(() => scanFile(file, undefined, signal));
      const nearFound = planted.nearDuplicates.filter(([a, b]) => dedup.value.groups.some((g) => g.rows.some((r) => r.line === a) && g.rows.some((r) => r.line === b))).length;
      const result = {
        rows,
        bytes: statSync(file).size,
        lint_ms: lint.ms,
        dedup_ms: dedup.ms,
        pii_ms: pii.ms,
        lint_plus_dedup_ms: lint.ms + dedup.ms,
        lint_errors: lint.value.errors,
        duplicate_groups: dedup.value.groups.length,
        planted_near_duplicates: planted.nearDuplicates.length,
        near_duplicate_recall: planted.nearDuplicates.length ? nearFound / planted.nearDuplicates.length : 1,
        pii_rows: pii.value.rowsWithFindings,
        planted_pii_rows: planted.piiLines.length,
        node: process.version,
      };
      console.log(parsed.values.json ? JSON.stringify(result) : JSON.stringify(result, null, 2));
      return 0;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
