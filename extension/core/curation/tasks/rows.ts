/** Streaming analyzed rows of a JSONL file, for the file-level tasks (CLI, benchmarks). */
import { analyzeLine, type LineAnalysis } from '../lint/analyze';
import { detectRowFormat } from '../formats/detect';
import { readExample } from '../formats/read';
import { FormatError, type Example } from '../formats/types';
import { readLines, type Eol, type ScanOptions } from '../jsonl/lines';
import { decodeLine, type ParsedLine, type RowLimits } from '../jsonl/parse';

export interface FileRow {
  /** 1-based line number. */
  readonly line: number;
  readonly bytes: Buffer;
  readonly eol: Eol;
  readonly analysis: LineAnalysis;
}

export interface RowScanOptions extends ScanOptions {
  /** Row size and depth caps (defaults: DEFAULT_ROW_LIMITS). */
  readonly limits?: RowLimits;
}

export async function* readRows(file: string, options: RowScanOptions = {}): AsyncGenerator<FileRow> {
  for await (const raw of readLines(file, options)) {
    yield { line: raw.index + 1, bytes: raw.bytes, eol: raw.eol, analysis: analyzeLine(raw.bytes, raw.index === 0, options.limits) };
  }
}

export interface FileExample {
  readonly line: number;
  readonly parsed: ParsedLine;
  /** The row as an example, when it reads as one of the formats. */
  readonly example?: Example;
}

/** Like `readRows` without linting: for tasks that only need the parsed value and example. */
export async function* readExamples(file: string, options: RowScanOptions = {}): AsyncGenerator<FileExample> {
  for await (const raw of readLines(file, options)) {
    const parsed = decodeLine(raw.bytes, raw.index === 0, options.limits);
    let example: Example | undefined;
    if (parsed.status === 'json') {
      const format = detectRowFormat(parsed.value);
      if (format) {
        try {
          example = readExample(format, parsed.value);
        } catch (err) {
          if (!(err instanceof FormatError)) throw err;
        }
      }
    }
    yield { line: raw.index + 1, parsed, example };
  }
}

/** `bytes + eol` for a row written to an output file (a last line without one gets '\n'). */
export function lineBytes(bytes: Buffer, eol: Eol): Buffer[] {
  return [bytes, Buffer.from(eol === '' ? '\n' : eol)];
}
