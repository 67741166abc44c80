/**
 * `lathe dataset lint|dedup|pii|split|convert FILE … [--json]`: the curation core from the
 * command line. Exit code 1 when the report finds errors (lint errors, PII, leakage,
 * rows that could not be converted).
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isFormatId, FORMATS, type FormatId } from '../../core/curation/formats/types';
import { lintFile, type LintReport } from '../../core/curation/lint/file';
import { findDefaultTokenizer, modelContextLength, modelTokenCounter } from '../../core/curation/lint/modelCounter';
import { approximateCounter } from '../../core/curation/lint/tokens';
import type { TokenCounter } from '../../core/models/tokenCounter';
import { isPiiKind, PII_KINDS, type PiiKind } from '../../core/curation/pii/detect';
import { DEFAULT_MAX_ROW_BYTES, DEFAULT_ROW_LIMITS, formatBytes, type RowLimits } from '../../core/curation/jsonl/parse';
import { DEFAULT_RATIOS, type SplitRatios } from '../../core/curation/split/split';
import { convertFile } from '../../core/curation/tasks/convertFile';
import { dedupFiles } from '../../core/curation/tasks/dedupFiles';
import { redactFile, scanFile } from '../../core/curation/tasks/piiFile';
import { splitFile } from '../../core/curation/tasks/splits';
import { intFlag, numberFlag, parseFlags, requireFlag } from '../args';
import type { CliCommand } from '../command';
import { CliError } from '../errors';
import { errorMessage } from '../../base/errorText';

const HELP = `usage: lathe dataset <command> FILE… [options]

commands:
  lint FILE      format errors (OpenAI classes, roles, last turn), token statistics
                 --model DIR   tokenizer folder (default: the embedded model, else the test fixture)
                 --max-tokens N  rows over N tokens are problems (default: the model's context length)
  dedup FILE…    exact and near duplicates; several files are splits, checked for leakage
                 --threshold T  near-duplicate Jaccard threshold, 0..1 (default 0.8)
  pii FILE       emails, phones, IPs, cards, IBANs, API keys, private keys, secrets
                 --redact OUT  write a copy with typed placeholders (<EMAIL>, …)
                 --kinds a,b   only these kinds (${PII_KINDS.join(', ')})
  split FILE     seeded, stable train/validation/test files next to FILE (or --out DIR)
                 --seed S  --ratios 0.8,0.1,0.1  --stratify (by first tag)  --to FORMAT
  convert FILE   --to FORMAT (${FORMATS.join(', ')}) --out FILE

common: --json prints one JSON object
        --max-row-bytes N  rows longer than N bytes (suffixes k, m) are reported and not parsed,
                           tokenized or scanned (default ${formatBytes(DEFAULT_MAX_ROW_BYTES)})`;

const FLAGS = {
  json: { type: 'boolean' },
  model: { type: 'string' },
  'max-tokens': { type: 'string' },
  threshold: { type: 'string' },
  redact: { type: 'string' },
  kinds: { type: 'string' },
  seed: { type: 'string' },
  ratios: { type: 'string' },
  stratify: { type: 'boolean' },
  to: { type: 'string' },
  out: { type: 'string' },
  'max-row-bytes': { type: 'string' },
} as const;

function print(json: boolean, value: unknown, text: () => string): void {
  console.log(json ? JSON.stringify(value, null, 2) : text());
}

/** The tokenizer to count with and the row limit: the model's context length unless --max-tokens says otherwise. */
function counterFor(model: string | undefined, maxTokens: string | undefined): { counter: TokenCounter; maxTokens: number } {
  const dir = model ?? findDefaultTokenizer([join(__dirname, '..'), join(__dirname, '..', '..', '..'), process.cwd()]);
  let counter = approximateCounter;
  if (dir) {
    try {
      counter = modelTokenCounter(dir);
    } catch (err) {
      if (model) throw new CliError(`cannot load the tokenizer of ${model}: ${errorMessage(err)}`);
    }
  }
  const context = dir && counter !== approximateCounter ? modelContextLength(dir) : undefined;
  return { counter, maxTokens: intFlag(maxTokens, 'max-tokens', context ?? 4096, 1) };
}

/** `--max-row-bytes 600000`, `512k`, `4m`. */
export function rowLimitsFlag(value: string | undefined): RowLimits {
  if (value === undefined) return DEFAULT_ROW_LIMITS;
  const m = /^(\d+(?:\.\d+)?)([km]?)(i?b)?$/i.exec(value.trim());
  const bytes = m ? Math.round(Number(m[1]) * (m[2].toLowerCase() === 'm' ? 1 << 20 : m[2].toLowerCase() === 'k' ? 1 << 10 : 1)) : NaN;
  if (!(bytes >= 1)) throw new CliError(`--max-row-bytes must be a size like 600000, 512k or 4m, got '${value}'`);
  return { ...DEFAULT_ROW_LIMITS, maxRowBytes: bytes };
}

function formatFlag(value: string | undefined, name: string): FormatId | undefined {
  if (value === undefined) return undefined;
  if (!isFormatId(value)) throw new CliError(`--${name} must be one of ${FORMATS.join(', ')}, got '${value}'`);
  return value;
}

function ratiosFlag(value: string | undefined): SplitRatios {
  if (value === undefined) return DEFAULT_RATIOS;
  const parts = value.split(',').map(Number);
  if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p) || p < 0) || parts[0] + parts[1] + parts[2] <= 0) {
    throw new CliError(`--ratios must be three non-negative numbers like 0.8,0.1,0.1, got '${value}'`);
  }
  return { train: parts[0], validation: parts[1], test: parts[2] };
}

function kindsFlag(value: string | undefined): readonly PiiKind[] {
  if (value === undefined) return PII_KINDS;
  const kinds = value.split(',').map((k) => k.trim());
  const bad = kinds.filter((k) => !isPiiKind(k));
  if (bad.length) throw new CliError(`unknown PII kinds ${bad.join(', ')} (have: ${PII_KINDS.join(', ')})`);
  return kinds as PiiKind[];
}

function lintText(r: LintReport): string {
  const out = [`${r.file}: ${r.lines} lines, ${r.validRows} valid rows, format ${r.format ?? 'unknown'}`];
  out.push(`${r.errors} errors, ${r.warnings} warnings${Object.keys(r.counts).length ? ` (${Object.entries(r.counts).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}`);
  if (r.tokens) {
    const t = r.tokens;
    out.push(`tokens (${t.counter}): min ${t.min}, mean ${t.mean.toFixed(1)}, p5 ${t.p5}, p50 ${t.p50}, p95 ${t.p95}, max ${t.max}; ${t.overLimit} over ${t.limit}`);
  }
  const shown = r.problems.slice(0, 50);
  for (const lp of shown) for (const p of lp.problems) out.push(`  line ${lp.line}: ${p.severity} ${p.code}: ${p.message}`);
  if (r.problems.length > shown.length) out.push(`  … and ${r.problems.length - shown.length} more lines with problems (--json lists all)`);
  return out.join('\n');
}

type Values = { [K in keyof typeof FLAGS]?: (typeof FLAGS)[K]['type'] extends 'boolean' ? boolean : string };

async function run(sub: string, files: string[], v: Values, signal: AbortSignal): Promise<number> {
  const json = v.json === true;
  const limits = rowLimitsFlag(v['max-row-bytes']);
  const file = files[0];
  if (!file) throw new CliError(`${sub} needs a FILE\n\n${HELP}`);
  for (const f of files) {
    if (!existsSync(f)) throw new CliError(`no such file: ${f}`);
    if (!statSync(f).isFile()) throw new CliError(`not a file: ${f}`);
  }
  switch (sub) {
    case 'lint': {
      const r = await lintFile(file, { ...counterFor(v.model, v['max-tokens']), limits, signal });
      print(json, r, () => lintText(r));
      return r.errors > 0 ? 1 : 0;
    }
    case 'dedup': {
      const threshold = numberFlag(v.threshold, 'threshold', 0.8);
      if (!(threshold > 0 && threshold <= 1)) throw new CliError(`--threshold must be in (0, 1], got ${threshold}`);
      const r = await dedupFiles(files, { threshold, signal, limits });
      print(json, r, () =>
        [
          `${r.rows} rows: ${r.groups.length} duplicate groups, ${r.redundant} redundant rows, ${r.leaks.length} leaking across files`,
          ...r.groups.slice(0, 50).map((g) => `  ${g.kind} (${g.similarity.toFixed(2)}): ${g.rows.map((x) => `${files.length > 1 ? `${x.file}:` : 'line '}${x.line}`).join(', ')}`),
        ].join('\n'),
      );
      return r.leaks.length > 0 ? 1 : 0;
    }
    case 'pii': {
      const kinds = kindsFlag(v.kinds);
      if (v.redact) {
        const r = await redactFile(file, v.redact, kinds, signal, limits);
        print(json, { out: v.redact, ...r }, () =>
          [`${v.redact}: ${r.replacements} replacements in ${r.redactedRows} rows`, ...r.notScanned.map((n) => `  line ${n.line}: kept as it is, not scanned: ${n.reason}`)].join('\n'),
        );
        return r.notScanned.length > 0 ? 1 : 0;
      }
      const r = await scanFile(file, kinds, signal, limits);
      print(json, r, () =>
        [
          `${r.rows} rows, ${r.rowsWithFindings} with findings${Object.keys(r.counts).length ? ` (${Object.entries(r.counts).map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}`,
          ...r.lines.slice(0, 50).flatMap((l) => l.findings.map((f) => `  line ${l.line}: ${f.kind}${f.detail ? ` (${f.detail})` : ''} in ${f.path}: ${f.preview}`)),
          ...r.notScanned.map((n) => `  line ${n.line}: not scanned: ${n.reason}`),
        ].join('\n'),
      );
      return r.rowsWithFindings > 0 || r.notScanned.length > 0 ? 1 : 0;
    }
    case 'split': {
      if (v.out) mkdirSync(v.out, { recursive: true });
      const r = await splitFile(file, { seed: v.seed ?? 'lathe', ratios: ratiosFlag(v.ratios), stratified: v.stratify === true, convertTo: formatFlag(v.to, 'to'), outDir: v.out, limits });
      print(json, r, () =>
        [...Object.entries(r.files).map(([s, f]) => `${s}: ${f.rows} ${f.rows === 1 ? 'row' : 'rows'} → ${f.path}`), `${r.skipped} lines not valid rows were left out`, ...r.failed.map((f) => `  row ${f.id}: ${f.error}`)].join('\n'),
      );
      return r.failed.length > 0 ? 1 : 0;
    }
    case 'convert': {
      const to = formatFlag(requireFlag(v.to, 'to'), 'to')!;
      const out = requireFlag(v.out, 'out');
      const r = await convertFile(file, out, to, signal, limits);
      print(json, { out, ...r }, () =>
        [
          `${out}: ${r.converted} rows as ${to}; ${r.keptInvalid.length} invalid lines and ${r.failed.length} unconvertible rows kept verbatim`,
          ...r.failed.map((f) => `  line ${f.line}: ${f.error}`),
          ...r.warnings.slice(0, 20).map((w) => `  line ${w.line}: ${w.warning}`),
        ].join('\n'),
      );
      return r.failed.length > 0 ? 1 : 0;
    }
    default:
      throw new CliError(`unknown dataset command '${sub}'\n\n${HELP}`);
  }
}

export const datasetCommand: CliCommand = {
  summary: 'lint, dedup, PII-scan, split and convert fine-tuning datasets (JSONL)',
  async run(args, signal) {
    const [sub, ...rest] = args;
    if (!sub || sub === '--help' || sub === '-h') {
      console.log(HELP);
      return sub ? 0 : 2;
    }
    const parsed = parseFlags(rest, FLAGS, HELP);
    if (!parsed) return 0;
    return run(sub, parsed.positionals, parsed.values, signal);
  },
};
