/**
 * `lathe dataset convert`: every valid row rewritten in the target format; lines that are not
 * valid rows, and rows that cannot be converted, are kept verbatim in place and reported.
 */
import { writeExample } from '../formats/write';
import { FormatError, type FormatId } from '../formats/types';
import { atomicWrite } from '../../common/fs/atomicWrite';
import type { RowLimits } from '../jsonl/parse';
import { lineBytes, readRows } from './rows';

export interface ConvertReport {
  readonly converted: number;
  readonly keptInvalid: ReadonlyArray<{ readonly line: number; readonly reason: string }>;
  readonly failed: ReadonlyArray<{ readonly line: number; readonly error: string }>;
  readonly warnings: ReadonlyArray<{ readonly line: number; readonly warning: string }>;
}

export async function convertFile(file: string, out: string, to: FormatId, signal?: AbortSignal, limits?: RowLimits): Promise<ConvertReport> {
  let converted = 0;
  const keptInvalid: Array<{ line: number; reason: string }> = [];
  const failed: Array<{ line: number; error: string }> = [];
  const warnings: Array<{ line: number; warning: string }> = [];
  async function* chunks(): AsyncGenerator<Buffer> {
    for await (const row of readRows(file, { signal, limits })) {
      const { example } = row.analysis;
      if (example) {
        try {
          const written = writeExample(to, example);
          for (const w of written.warnings) warnings.push({ line: row.line, warning: w });
          converted++;
          yield* lineBytes(Buffer.from(JSON.stringify(written.value)), row.eol);
          continue;
        } catch (err) {
          if (!(err instanceof FormatError)) throw err;
          failed.push({ line: row.line, error: err.message });
        }
      } else {
        keptInvalid.push({ line: row.line, reason: row.analysis.problems[0]?.message ?? 'not a row' });
      }
      yield* lineBytes(row.bytes, row.eol);
    }
  }
  await atomicWrite(out, chunks());
  return { converted, keptInvalid, failed, warnings };
}
