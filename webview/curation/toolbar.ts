/**
 * The filter bar (problem, tag, rating, search), the duplicate threshold, and the summary
 * strip with the dataset's format, counts, token statistics and analysis progress.
 */
import { h } from '../components/toolkit';
import type { BulkAction, DatasetSummary, ProblemLabel, RowFilter } from '../../extension/protocol/curation';

export interface ToolbarHandlers {
  onFilter(filter: RowFilter): void;
  onBulk(action: BulkAction): void;
  onThreshold(threshold: number): void;
  onExport(): void;
  onNextProblem(): void;
}

function option(value: string, label: string, selected: boolean): HTMLOptionElement {
  const o = h('option', { value }, label);
  o.selected = selected;
  return o;
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

export class Toolbar {
  readonly element: HTMLElement;
  private readonly problem = h('select', { id: 'filter-problem', class: 'select', 'aria-label': 'filter by problem' });
  private readonly tag = h('select', { id: 'filter-tag', class: 'select', 'aria-label': 'filter by tag' });
  private readonly rating = h('select', { id: 'filter-rating', class: 'select', 'aria-label': 'filter by rating' });
  private readonly search = h('input', { id: 'filter-search', class: 'input', type: 'search', placeholder: 'Search rows', 'aria-label': 'search rows' });
  private readonly threshold = h('input', { id: 'dup-threshold', class: 'input num', type: 'number', min: '0.3', max: '1', step: '0.05', value: '0.8', title: 'Near-duplicate similarity threshold (MinHash Jaccard)' });
  readonly summaryEl = h('div', { class: 'summary', id: 'summary', role: 'status' });
  readonly progressEl = h('div', { class: 'progress', id: 'progress' });
  private readonly bulk = h('span', { class: 'bulk', hidden: '' });
  private readonly count = h('span', { class: 'count', id: 'row-count' });
  private searchTimer = 0;
  filter: RowFilter;

  constructor(private readonly labels: readonly ProblemLabel[], initial: RowFilter, private readonly handlers: ToolbarHandlers) {
    this.filter = initial;
    this.search.value = initial.search;
    for (const sel of [this.problem, this.tag, this.rating]) sel.addEventListener('change', () => this.emit());
    this.search.addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = window.setTimeout(() => this.emit(), 250);
    });
    const recheck = h('button', { class: 'btn secondary', id: 'recheck', title: 'Find duplicates again with this threshold' }, 'Re-check');
    recheck.addEventListener('click', () => {
      const t = Number(this.threshold.value);
      if (t > 0 && t <= 1) this.handlers.onThreshold(t);
    });
    const bulkDelete = h('button', { class: 'btn secondary', id: 'bulk-delete', title: 'Delete every row the filter shows (one undo step)' }, 'Delete Matching…');
    bulkDelete.addEventListener('click', () => this.handlers.onBulk('delete'));
    const bulkRedact = h('button', { class: 'btn secondary', id: 'bulk-redact', title: 'Replace PII and secrets with typed placeholders in every row the filter shows' }, 'Redact Matching');
    bulkRedact.addEventListener('click', () => this.handlers.onBulk('redact'));
    this.bulk.append(bulkDelete, bulkRedact);
    const next = h('button', { class: 'btn secondary', id: 'next-problem', title: 'Select the next row with problems (F8; Shift+F8 goes back)' }, 'Next Problem');
    next.addEventListener('click', () => this.handlers.onNextProblem());
    const exportBtn = h('button', { class: 'btn', id: 'export-splits' }, 'Export Splits…');
    exportBtn.addEventListener('click', () => this.handlers.onExport());
    this.element = h(
      'div',
      { class: 'toolbar' },
      h('div', { class: 'filters' },
        h('label', {}, 'Problems ', this.problem),
        h('label', {}, 'Tag ', this.tag),
        h('label', {}, 'Rating ', this.rating),
        this.search,
        this.count,
        this.bulk,
      ),
      h('div', { class: 'tools' }, next, h('label', {}, 'Near-duplicate ≥ ', this.threshold), recheck, exportBtn),
    );
  }

  private emit(): void {
    this.filter = { problem: this.problem.value, tag: this.tag.value, rating: Number(this.rating.value), search: this.search.value };
    this.showBulk();
    this.handlers.onFilter(this.filter);
  }

  private showBulk(): void {
    const f = this.filter;
    this.bulk.hidden = f.problem === '' && f.tag === '' && f.rating === -1 && f.search === '';
  }

  update(s: DatasetSummary): void {
    const f = this.filter;
    this.showBulk();
    const counted = this.labels.filter((l) => s.problemRows[l.code]);
    this.problem.replaceChildren(
      option('', `All rows (${s.lines})`, f.problem === ''),
      option('problems', 'With problems', f.problem === 'problems'),
      option('errors', `With errors (${s.errorRows})`, f.problem === 'errors'),
      option('clean', 'Without problems', f.problem === 'clean'),
      ...counted.map((l) => option(l.code, `${l.label} (${s.problemRows[l.code]})`, f.problem === l.code)),
    );
    if (f.problem !== '' && !['problems', 'errors', 'clean'].includes(f.problem) && !counted.some((l) => l.code === f.problem)) {
      this.problem.append(option(f.problem, `${this.labels.find((l) => l.code === f.problem)?.label ?? f.problem} (0)`, true));
    }
    const tags = s.tags.includes(f.tag) || f.tag === '' ? s.tags : [...s.tags, f.tag];
    this.tag.replaceChildren(option('', 'Any', f.tag === ''), ...tags.map((t) => option(t, t, f.tag === t)));
    this.rating.replaceChildren(
      option('-1', 'Any', f.rating === -1),
      option('0', 'Unrated', f.rating === 0),
      ...[1, 2, 3, 4, 5].map((n) => option(String(n), `${'★'.repeat(n)}${n < 5 ? ' or more' : ''}`, f.rating === n)),
    );
    const parts: Array<Node | string> = [h('strong', {}, s.fileName), ` · ${s.lines} lines · ${s.validRows} valid rows · ${s.formatLabel}`];
    if (s.errorRows > 0) parts.push(' · ', h('span', { class: 'sum-error' }, `${s.errorRows} rows with errors`));
    if (s.tokens) {
      const t = s.tokens;
      parts.push(
        h('span', { class: 'sum-tokens', title: `token counts with ${t.counter}; percentiles interpolate between ranks` }, ` · tokens min ${t.min} · mean ${fmt(t.mean)} · p5 ${fmt(t.p5)} · p50 ${fmt(t.p50)} · p95 ${fmt(t.p95)} · max ${t.max}`),
      );
      if (t.overLimit > 0) parts.push(' · ', h('span', { class: 'sum-warn' }, `${t.overLimit} over ${t.limit}`));
    }
    if (s.duplicates) {
      const d = s.duplicates;
      parts.push(` · ${d.groups} duplicate groups (${d.redundant} redundant rows)`);
      if (d.leaking > 0) parts.push(' · ', h('span', { class: 'sum-error' }, `${d.leaking} leaking across splits`));
    }
    this.summaryEl.replaceChildren(...parts);
    this.threshold.value = String(s.duplicates?.threshold ?? Number(this.threshold.value));
    if (!s.analyzing && this.progressEl.dataset.phase !== 'done') this.progressEl.textContent = '';
  }

  /** "12 of 16 rows" next to the filters. */
  showCount(shown: number, lines: number): void {
    this.count.textContent = shown === lines ? `${lines} rows` : `${shown} of ${lines} rows`;
  }

  progress(phase: string, done: number, total: number): void {
    this.progressEl.dataset.phase = phase;
    this.progressEl.textContent = phase === 'done' ? '' : `${phase}… ${total > 0 ? Math.floor((done / total) * 100) : 0}%`;
  }
}
