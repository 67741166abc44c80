/** The "Export Splits" form: seed, ratios, stratify by tag, optional format conversion. */
import { h } from '../components/toolkit';
import type { SplitRequest, SplitResult } from '../../extension/protocol/curation';
import { errorMessage } from '../../extension/base/errorText';

export class ExportPanel {
  readonly element = h('div', { class: 'export-panel', id: 'export-panel', hidden: '' });

  constructor(formats: ReadonlyArray<{ id: string; label: string }>, private readonly run: (req: SplitRequest) => Promise<SplitResult | null>) {
    const field = (id: string, value: string, type = 'number') => h('input', { class: 'input num', id, value, type, step: '0.05', min: '0' });
    const seed = h('input', { class: 'input', id: 'split-seed', value: 'lathe', 'aria-label': 'seed' });
    const train = field('split-train', '0.8');
    const validation = field('split-validation', '0.1');
    const test = field('split-test', '0.1');
    const stratified = h('input', { type: 'checkbox', id: 'split-stratified' });
    const format = h('select', { class: 'select', id: 'split-format' }, h('option', { value: '' }, 'as they are'), ...formats.map((f) => h('option', { value: f.id }, f.label)));
    const result = h('div', { class: 'export-result', id: 'export-result', role: 'status' });
    const go = h('button', { class: 'btn', id: 'split-run' }, 'Export…');
    const close = h('button', { class: 'btn secondary' }, 'Close');
    close.addEventListener('click', () => this.toggle(false));
    const exportSplits = async (): Promise<void> => {
      result.textContent = 'Exporting…';
      try {
        const r = await this.run({ seed: seed.value, train: Number(train.value), validation: Number(validation.value), test: Number(test.value), stratified: stratified.checked, format: format.value });
        if (!r) {
          result.textContent = 'Cancelled.';
          return;
        }
        result.replaceChildren(
          h('ul', {}, ...r.files.map((f) => h('li', { 'data-split': f.split }, `${f.split}: ${f.rows} ${f.rows === 1 ? 'row' : 'rows'} → ${f.path}`))),
          `${r.skipped} lines that are not valid rows were left out${r.failed ? `; ${r.failed} rows could not be converted` : ''}.`,
          r.leaking > 0 ? h('div', { class: 'sum-error' }, `${r.leaking} duplicate groups straddle these splits (see the Split leakage filter).`) : '',
        );
      } catch (err) {
        result.textContent = `Export failed: ${errorMessage(err)}`;
      }
    };
    go.addEventListener('click', () => void exportSplits());
    this.element.append(
      h('h3', {}, 'Export train / validation / test'),
      h('div', { class: 'export-grid' },
        h('label', {}, 'Seed ', seed),
        h('label', {}, 'Train ', train),
        h('label', {}, 'Validation ', validation),
        h('label', {}, 'Test ', test),
        h('label', { title: 'Each tag gets its share of every split (first tag of a row)' }, stratified, ' Stratify by tag'),
        h('label', {}, 'Rows ', format),
      ),
      h('p', { class: 'hint' }, 'Rows are placed by a hash of the seed and their text: the same seed gives the same splits, and adding rows does not move the others.'),
      h('div', { class: 'export-actions' }, go, close),
      result,
    );
  }

  toggle(show = this.element.hidden): void {
    this.element.hidden = !show;
  }
}
