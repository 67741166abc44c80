/**
 * Evaluation datasets: JSONL (one object per line) or CSV (header row, RFC 4180 quoting).
 * A row that cannot be read is kept as an error naming its line, so the run continues.
 */
import { MAX_JSON_DEPTH, tooDeep } from '../../common/json/depth';
import { PromptLabError } from '../errors';
import { errorMessage } from '../../../base/errorText';

export type DatasetRow =
  | { readonly index: number; readonly line: number; readonly values: Readonly<Record<string, unknown>> }
  | { readonly index: number; readonly line: number; readonly error: string };

export function parseJsonlDataset(text: string): DatasetRow[] {
  const rows: DatasetRow[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const index = rows.length;
    try {
      const value = JSON.parse(line) as unknown;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) rows.push({ index, line: i + 1, error: 'row is not a JSON object' });
      else if (tooDeep(value)) rows.push({ index, line: i + 1, error: `row nests more than ${MAX_JSON_DEPTH} levels deep` });
      else rows.push({ index, line: i + 1, values: value as Record<string, unknown> });
    } catch (err) {
      rows.push({ index, line: i + 1, error: `invalid JSON: ${errorMessage(err)}` });
    }
  });
  return rows;
}

/** Splits CSV into records of fields, tracking the line each record starts on. */
export function parseCsvRecords(text: string): Array<{ line: number; fields: string[] }> {
  const records: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let any = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      any = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      any = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      if (any || field !== '') records.push({ line: start, fields: [...fields, field] });
      fields = [];
      field = '';
      any = false;
      line++;
      start = line;
    } else {
      field += ch;
      any = true;
    }
  }
  if (quoted) throw new PromptLabError('a quoted field is never closed', { file: '', line: start });
  if (any || field !== '') records.push({ line: start, fields: [...fields, field] });
  return records;
}

export function parseCsvDataset(text: string, file: string): DatasetRow[] {
  let records;
  try {
    records = parseCsvRecords(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    if (err instanceof PromptLabError) throw new PromptLabError(err.reason, { ...err.location, file });
    throw err;
  }
  const [header, ...body] = records;
  if (!header) return [];
  const names = header.fields.map((f) => f.trim());
  return body.map((r, index) =>
    r.fields.length !== names.length
      ? { index, line: r.line, error: `has ${r.fields.length} fields, the header has ${names.length}` }
      : { index, line: r.line, values: Object.fromEntries(names.map((n, i) => [n, r.fields[i]])) },
  );
}

export function parseDataset(text: string, file: string): DatasetRow[] {
  return file.toLowerCase().endsWith('.csv') ? parseCsvDataset(text, file) : parseJsonlDataset(text);
}
