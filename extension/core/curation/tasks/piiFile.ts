/** PII over a file: a findings report, and a redacted copy that changes only rows with findings. */
import { atomicWrite } from '../../common/fs/atomicWrite';
import { PII_KINDS, type PiiKind } from '../pii/detect';
import { redactValue, scanValue, type ValueFinding } from '../pii/value';
import type { RowLimits } from '../jsonl/parse';
import { lineBytes, readExamples, readRows } from './rows';

export interface LineFindings {
  readonly line: number;
  readonly findings: readonly ValueFinding[];
}

export interface PiiReport {
  readonly rows: number;
  readonly rowsWithFindings: number;
  readonly counts: Partial<Record<PiiKind, number>>;
  readonly lines: readonly LineFindings[];
  /** Lines that are JSON-like but were not scanned: over the size cap or nested too deep. */
  readonly notScanned: readonly NotScanned[];
}

export interface NotScanned {
  readonly line: number;
  readonly reason: string;
}

function notScannedReason(parsed: { status: string; error?: string }): string | undefined {
  return parsed.status === 'too-large' || parsed.status === 'too-deep' ? parsed.error : undefined;
}

export async function scanFile(file: string, kinds: readonly PiiKind[] = PII_KINDS, signal?: AbortSignal, limits?: RowLimits): Promise<PiiReport> {
  const lines: LineFindings[] = [];
  const counts: Partial<Record<PiiKind, number>> = {};
  const notScanned: NotScanned[] = [];
  let rows = 0;
  for await (const row of readExamples(file, { signal, limits })) {
    const skipped = notScannedReason(row.parsed);
    if (skipped) notScanned.push({ line: row.line, reason: skipped });
    if (row.parsed.status !== 'json') continue;
    rows++;
    const findings = scanValue(row.parsed.value, kinds);
    if (findings.length === 0) continue;
    lines.push({ line: row.line, findings });
    for (const f of findings) counts[f.kind] = (counts[f.kind] ?? 0) + 1;
  }
  return { rows, rowsWithFindings: lines.length, counts, lines, notScanned };
}

/** Writes `out` (atomically): rows with findings re-serialized with placeholders, every other line byte for byte. */
export async function redactFile(
  file: string,
  out: string,
  kinds: readonly PiiKind[] = PII_KINDS,
  signal?: AbortSignal,
  limits?: RowLimits,
): Promise<{ redactedRows: number; replacements: number; notScanned: NotScanned[] }> {
  let redactedRows = 0;
  let replacements = 0;
  const notScanned: NotScanned[] = [];
  async function* chunks(): AsyncGenerator<Buffer> {
    for await (const row of readRows(file, { signal, limits })) {
      const parsed = row.analysis.parsed;
      const skipped = notScannedReason(parsed);
      if (skipped) notScanned.push({ line: row.line, reason: skipped });
      if (parsed.status === 'json') {
        const r = redactValue(parsed.value, kinds);
        if (r.count > 0) {
          redactedRows++;
          replacements += r.count;
          yield* lineBytes(Buffer.from(JSON.stringify(r.value)), row.eol);
          continue;
        }
      }
      yield row.bytes;
      if (row.eol !== '') yield Buffer.from(row.eol);
    }
  }
  await atomicWrite(out, chunks());
  return { redactedRows, replacements, notScanned };
}
