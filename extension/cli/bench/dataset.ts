/**
 * `lathe bench dataset --rows N --json`: times lint, dedup and PII scanning over a generated
 * chat dataset of N rows (written to a temp file, removed afterwards).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { intFlag, parseFlags } from '../args';
import type { CliCommand } from '../command';
import { lintFile } from '../../core/curation/lint/file';
import type { Example } from '../../core/curation/formats/types';
import { findDefaultTokenizer, modelTokenCounter } from '../../core/curation/lint/modelCounter';
import { approximateCounter, exampleTokens } from '../../core/curation/lint/tokens';
import { readRows } from '../../core/curation/tasks/rows';
import { dedupFiles } from '../../core/curation/tasks/dedupFiles';
import { scanFile } from '../../core/curation/tasks/piiFile';
import { writeChatDataset } from './datasetGen';

const HELP = 'usage: lathe bench dataset [--rows N] [--json]';

/** Wall time and this process's CPU time (user + system): on a busy machine the CPU time is the steadier number. */
async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const value = await fn();
  const c = process.cpuUsage(c0);
  return { ms: Math.round(performance.now() - t0), cpuMs: Math.round((c.user + c.system) / 1000), value };
}

/** Milliseconds per 1,000 rows of token counting with the default model tokenizer (on a 1,000-row sample). */
async function tokenizerCost(file: string): Promise<{ tokenizer: string; ms_per_1k_rows: number } | null> {
  const dir = findDefaultTokenizer([process.cwd(), join(__dirname, '..'), join(__dirname, '..', '..')]);
  if (!dir) return null;
  const counter = modelTokenCounter(dir);
  const rows: Example[] = [];
  for await (const row of readRows(file)) {
    if (row.analysis.example) rows.push(row.analysis.example);
    if (rows.length === 1000) break;
  }
  const t0 = performance.now();
  for (const ex of rows) exampleTokens(ex, counter);
  return { tokenizer: counter.name, ms_per_1k_rows: Math.round(((performance.now() - t0) * 1000) / Math.max(1, rows.length)) };
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
      const tokenizer = await tokenizerCost(file);
      const nearFound = planted.nearDuplicates.filter(([a, b]) => dedup.value.groups.some((g) => g.rows.some((r) => r.line === a) && g.rows.some((r) => r.line === b))).length;
      const result = {
        rows,
        bytes: statSync(file).size,
        lint_ms: lint.ms,
        dedup_ms: dedup.ms,
        pii_ms: pii.ms,
        lint_plus_dedup_ms: lint.ms + dedup.ms,
        lint_cpu_ms: lint.cpuMs,
        dedup_cpu_ms: dedup.cpuMs,
        pii_cpu_ms: pii.cpuMs,
        lint_tokens: 'estimate counter; model tokenizer cost below',
        model_tokenizer: tokenizer,
        lint_errors: lint.value.errors,
        duplicate_groups: dedup.value.groups.length,
        planted_near_duplicates: planted.nearDuplicates.length,
        near_duplicate_recall: planted.nearDuplicates.length ? nearFound / planted.nearDuplicates.length : 1,
        pii_rows: pii.value.rowsWithFindings,
        planted_pii_rows: planted.piiLines.length,
        node: process.version,
        cpus: cpus().length,
        load_average_1m: Number(loadavg()[0].toFixed(2)),
      };
      console.log(parsed.values.json ? JSON.stringify(result) : JSON.stringify(result, null, 2));
      return 0;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
