/** Batch evaluation: pick a JSONL/CSV dataset, see pass rates per assertion and a results grid. */
import type { EvalSummaryDto } from '../../extension/protocol/promptlab';
import { button, message, setDisabled } from '../components/form';
import { h } from '../components/toolkit';
import { passRateText, pct, STATUS_TEXT } from './evalSummary';
import { errorMessage } from '../../extension/base/errorText';

export class EvalView {
  readonly element: HTMLElement;
  private readonly start: HTMLElement;
  private readonly stop: HTMLElement;
  private readonly status = h('div', { id: 'eval-status', class: 'lk-message' });
  private readonly summary = h('div', { id: 'eval-summary', class: 'pl-eval-summary' });
  private readonly table = h('div', { class: 'pl-eval-grid' });

  constructor(run: () => Promise<EvalSummaryDto | null>, stop: () => void) {
    this.start = button('Evaluate on dataset…', {
      id: 'evaluate',
      title: 'Runs the prompt on every row of a JSONL or CSV file and checks the lathe.assert assertions',
      onClick: () => void this.evaluate(run),
    });
    this.stop = button('Stop', { appearance: 'secondary', onClick: stop });
    setDisabled(this.stop, true);
    this.status.hidden = true;
    this.element = h(
      'div',
      { class: 'pl-eval' },
      h('div', { class: 'pl-toolbar' }, this.start, this.stop),
      h('div', { class: 'pl-meta' }, 'Assertions come from the prompt\'s lathe.assert list and each row\'s "assert" field; a row with neither is checked against its "expected" field (the output must contain it), and a row with nothing to check never counts as passed. Every run is saved in <name>.runs/ next to the prompt.'),
      this.status,
      this.summary,
      this.table,
    );
  }

  progress(text: string): void {
    message(this.status, 'info', text);
  }

  private async evaluate(run: () => Promise<EvalSummaryDto | null>): Promise<void> {
    setDisabled(this.start, true);
    setDisabled(this.stop, false);
    message(this.status, 'info', 'Evaluating…');
    try {
      const result = await run();
      if (result) this.show(result);
      else message(this.status, 'info', '');
    } catch (err) {
      message(this.status, 'error', errorMessage(err));
    } finally {
      setDisabled(this.start, false);
      setDisabled(this.stop, true);
    }
  }

  private show(r: EvalSummaryDto): void {
    message(this.status, 'info', `Saved ${r.runFile}`);
    const cmp = r.comparison ? ` · vs ${r.comparison.against.split(/[\\/]/).pop()}: ${r.comparison.improved} improved, ${r.comparison.regressed} regressed, ${r.comparison.changedOutputs} outputs changed` : '';
    this.summary.dataset.result = r.passRate === null ? 'no-checks' : 'checked';
    this.summary.replaceChildren(
      h('strong', { id: 'eval-pass-rate' }, passRateText(r)),
      ...r.byAssertion.map((a) => h('vscode-tag', { title: a.type }, `${a.type} ${pct(a.passRate)}`)),
      cmp,
    );
    const head = h('tr', {}, h('th', {}, '#'), h('th', {}, 'Result'), h('th', {}, 'Output'), h('th', {}, 'Checks'));
    const rows = r.rows.map((row) =>
      h(
        'tr',
        { class: `pl-${row.status === 'pass' ? 'pass' : row.status === 'unchecked' ? 'unchecked' : 'fail'}`, 'data-status': row.status },
        h('td', {}, String(row.index + 1)),
        h('td', { class: 'pl-cell-status' }, STATUS_TEXT[row.status]),
        h('td', { class: 'pl-cell-output', title: row.error ?? row.output }, row.error ?? row.output),
        h(
          'td',
          {},
          ...row.checks.map((c) =>
            h('span', { class: c.pass ? 'pl-check-pass' : 'pl-check-fail', title: c.message ?? '' }, `${c.pass ? '✓' : '✗'} ${c.label}${c.score !== undefined ? ` ${c.score.toFixed(2)}` : ''} `),
          ),
        ),
      ),
    );
    this.table.replaceChildren(h('table', {}, h('thead', {}, head), h('tbody', {}, ...rows)));
  }
}
