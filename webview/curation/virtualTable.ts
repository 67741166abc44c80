/**
 * A virtualized row table: only the rows in view (plus a small margin) exist in the DOM, and
 * rows come from the host a page at a time as the user scrolls. 100k rows cost 100k × row
 * height of empty scroll space, nothing more.
 */
import { h } from '../components/toolkit';
import { PAGE_SIZE, type RowSummary } from '../../extension/protocol/curation';

export const ROW_HEIGHT = 28;
const OVERSCAN = 8;

export interface Column {
  readonly key: string;
  readonly title: string;
  readonly render: (row: RowSummary) => Node | string;
}

export type PageFetcher = (start: number, count: number) => Promise<{ total: number; rows: readonly RowSummary[] }>;

export class VirtualTable {
  readonly element: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly body: HTMLElement;
  private readonly pages = new Map<number, readonly RowSummary[] | 'loading'>();
  private generation = 0;
  total = 0;
  selectedIndex = -1;
  private frame = 0;
  /** Called after each render with the number of rows the filter matches. */
  onRender: ((total: number) => void) | undefined;

  constructor(
    private readonly columns: readonly Column[],
    private readonly fetchPage: PageFetcher,
    private readonly onSelect: (row: RowSummary, index: number) => void,
    private readonly onDelete: (row: RowSummary, index: number) => void,
  ) {
    const header = h('div', { class: 'dt-row dt-header', role: 'row' }, ...columns.map((c) => h('div', { class: `dt-cell dt-${c.key}`, role: 'columnheader' }, c.title)));
    this.spacer = h('div', { class: 'dt-spacer' });
    this.body = h('div', { class: 'dt-body', role: 'rowgroup' });
    this.viewport = h('div', { class: 'dt-viewport', tabindex: '0', role: 'grid', 'aria-label': 'dataset rows' }, this.spacer, this.body);
    this.element = h('div', { class: 'dt-table' }, header, this.viewport);
    this.viewport.addEventListener('scroll', () => this.schedule());
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    new ResizeObserver(() => this.schedule()).observe(this.viewport);
  }

  /** Forgets every cached page (filter changed or the document changed) and reloads what is in view. */
  async reset(keepScroll: boolean): Promise<void> {
    this.generation++;
    this.pages.clear();
    if (!keepScroll) {
      this.viewport.scrollTop = 0;
      this.selectedIndex = -1;
    }
    await this.load(Math.floor(this.firstVisible() / PAGE_SIZE));
    this.render();
  }

  private firstVisible(): number {
    return Math.max(0, Math.floor(this.viewport.scrollTop / ROW_HEIGHT));
  }

  private async load(page: number): Promise<void> {
    if (this.pages.has(page)) return;
    this.pages.set(page, 'loading');
    const gen = this.generation;
    try {
      const res = await this.fetchPage(page * PAGE_SIZE, PAGE_SIZE);
      if (gen !== this.generation) return;
      this.total = res.total;
      this.pages.set(page, res.rows);
    } catch (err) {
      if (gen === this.generation) this.pages.delete(page);
      throw err;
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  rowAt(index: number): RowSummary | undefined {
    const page = this.pages.get(Math.floor(index / PAGE_SIZE));
    return page !== undefined && page !== 'loading' ? page[index % PAGE_SIZE] : undefined;
  }

  private render(): void {
    this.spacer.style.height = `${this.total * ROW_HEIGHT}px`;
    const height = this.viewport.clientHeight || 600;
    const first = Math.max(0, this.firstVisible() - OVERSCAN);
    const last = Math.min(this.total, this.firstVisible() + Math.ceil(height / ROW_HEIGHT) + OVERSCAN);
    for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(Math.max(first, last - 1) / PAGE_SIZE); p++) {
      if (!this.pages.has(p) && p * PAGE_SIZE < Math.max(this.total, 1)) void this.load(p).catch((e: unknown) => console.error(e));
    }
    const nodes: HTMLElement[] = [];
    for (let i = first; i < last; i++) {
      const row = this.rowAt(i);
      const el = row
        ? h('div', { class: 'dt-row', role: 'row', 'data-index': String(i), 'data-id': String(row.id), 'aria-selected': String(i === this.selectedIndex) }, ...this.columns.map((c) => h('div', { class: `dt-cell dt-${c.key}`, role: 'gridcell' }, c.render(row))))
        : h('div', { class: 'dt-row dt-loading', role: 'row' }, h('div', { class: 'dt-cell' }, '…'));
      if (row && this.isProblem(row)) el.classList.add('dt-has-error');
      el.style.transform = `translateY(${i * ROW_HEIGHT}px)`;
      if (row) el.addEventListener('click', () => void this.select(i));
      nodes.push(el);
    }
    this.body.replaceChildren(...nodes);
    this.element.dataset.total = String(this.total);
    this.onRender?.(this.total);
    this.element.dataset.rendered = String(nodes.length);
  }

  private isProblem(row: RowSummary): boolean {
    return row.problems.some((p) => p.severity === 'error');
  }

  /** Selects a row by position, loading its page first, and scrolls it into view. */
  async select(index: number): Promise<void> {
    if (index < 0 || index >= this.total) return;
    this.selectedIndex = index;
    const top = index * ROW_HEIGHT;
    if (top < this.viewport.scrollTop) this.viewport.scrollTop = top;
    else if (top + ROW_HEIGHT > this.viewport.scrollTop + this.viewport.clientHeight) this.viewport.scrollTop = top + ROW_HEIGHT - this.viewport.clientHeight;
    await this.load(Math.floor(index / PAGE_SIZE));
    this.render();
    const row = this.rowAt(index);
    if (row && this.selectedIndex === index) this.onSelect(row, index);
  }

  /** Asks `find` for the next position to show (e.g. the next row with problems) and selects it. */
  onNext: ((after: number, backwards: boolean) => void) | undefined;

  private onKey(e: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.viewport.clientHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (e.key in moves) {
      e.preventDefault();
      void this.select(Math.min(this.total - 1, Math.max(0, (this.selectedIndex < 0 ? 0 : this.selectedIndex) + moves[e.key])));
    } else if (e.key === 'F8') {
      e.preventDefault();
      this.onNext?.(this.selectedIndex, e.shiftKey);
    } else if (e.key === 'Delete' && this.selectedIndex >= 0) {
      const row = this.rowAt(this.selectedIndex);
      if (row) {
        e.preventDefault();
        this.onDelete(row, this.selectedIndex);
      }
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      void this.select(e.key === 'Home' ? 0 : this.total - 1);
    }
  }

  focus(): void {
    this.viewport.focus();
  }
}
