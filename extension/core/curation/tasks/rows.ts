/** Streaming analyzed rows of a JSONL file, for the file-level tasks (CLI, benchmarks). */
import { analyzeLine, type LineAnalysis } from '../lint/analyze';
import { readLines, type Eol, type ScanOptions } from '../jsonl/lines';

export interface FileRow {
  /** 1-based line number. */
  readonly line: number;
  readonly bytes: Buffer;
  readonly eol: Eol;
  readonly analysis: LineAnalysis;
}

export async function* readRows(file: string, options: ScanOptions = {}): AsyncGenerator<FileRow> {
  for await (const raw of readLines(file, options)) {
    yield { line: raw.index + 1, bytes: raw.bytes, eol: raw.eol, analysis: analyzeLine(raw.bytes, raw.index === 0) };
  }
}

/** `bytes + eol` for a row written to an output file (a last line without one gets '\n'). */
export function lineBytes(bytes: Buffer, eol: Eol): Buffer[] {
  return [bytes, Buffer.from(eol === '' ? '\n' : eol)];
}
