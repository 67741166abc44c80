/** The words an evaluation's results are shown with (no DOM here: unit-tested in node). */
import type { EvalRowDto, EvalSummaryDto } from '../../extension/protocol/promptlab';

export const pct = (x: number): string => `${Math.round(x * 100)}%`;

export const STATUS_TEXT: Readonly<Record<EvalRowDto['status'], string>> = { pass: 'pass', fail: 'fail', error: 'error', unchecked: 'no checks' };

/** "Pass rate 67% (2/3)", or "No checks" when nothing checked any row: a run that checked nothing has no pass rate. */
export function passRateText(r: Pick<EvalSummaryDto, 'passRate' | 'checkedRows'> & { readonly rows: ReadonlyArray<Pick<EvalRowDto, 'status'>> }): string {
  if (r.passRate === null) return `No checks: none of the ${r.rows.length} rows has an assertion or an "expected" field, so nothing was checked`;
  const passed = r.rows.filter((x) => x.status === 'pass').length;
  const unchecked = r.rows.length - r.checkedRows;
  return `Pass rate ${pct(r.passRate)} (${passed}/${r.checkedRows})${unchecked > 0 ? ` · ${unchecked} row${unchecked > 1 ? 's' : ''} not checked` : ''}`;
}
