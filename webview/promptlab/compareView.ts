/**
 * Side by side: N columns, each a variant of the prompt (template × parameters) on the model;
 * "Run all" streams every column, then each output is shown as a word diff against column 1.
 * Picking a winner appends a DPO pair or an SFT row to a dataset file.
 */
import { MAX_COLUMNS, type ColumnResultDto, type DraftDto, type PreferenceDto, type TokenDto } from '../../extension/protocol/promptlab';
import { renderDiff } from '../components/diffView';
import { button, dropdown, field, message, setDisabled, textArea, textField, type ValueElement } from '../components/form';
import { h } from '../components/toolkit';
import { TokenStream } from '../components/tokenStream';
import { ParamsForm } from './paramsForm';
import { errorMessage } from '../../extension/base/errorText';

interface Column {
  readonly element: HTMLElement;
  readonly label: ValueElement;
  readonly model: ValueElement;
  readonly body: ValueElement;
  readonly params: ParamsForm;
  readonly stream: TokenStream;
  readonly result: HTMLElement;
  readonly stats: HTMLElement;
  readonly prefer: HTMLElement;
  output?: string;
}

export interface CompareActions {
  /** The main editor's draft: columns start from it and inherit its inputs and parameters. */
  readonly baseDraft: () => DraftDto;
  readonly run: (runId: string, columns: ReadonlyArray<{ draft: DraftDto; label: string }>) => Promise<readonly ColumnResultDto[]>;
  readonly stop: (runId: string) => void;
  readonly prefer: (p: PreferenceDto) => Promise<string | null>;
}

export class CompareView {
  readonly element: HTMLElement;
  private readonly columns: Column[] = [];
  private readonly grid = h('div', { id: 'columns', class: 'pl-columns' });
  private readonly status = h('div', { id: 'compare-status', class: 'lk-message' });
  private readonly runAll: HTMLElement;
  private readonly stopAll: HTMLElement;
  private readonly addButton: HTMLElement;
  private readonly format: ValueElement;
  private runId: string | undefined;
  private seq = 0;

  constructor(private readonly actions: CompareActions) {
    this.runAll = button('Run all', { id: 'run-all', onClick: () => void this.run() });
    this.stopAll = button('Stop', { id: 'stop-all', appearance: 'secondary', onClick: () => this.runId && actions.stop(this.runId) });
    this.addButton = button('Add column', { id: 'add-column', appearance: 'secondary', onClick: () => this.addColumn() });
    this.format = dropdown([{ value: 'dpo', label: 'Save pick as DPO pair' }, { value: 'sft', label: 'Save pick as SFT row' }], { id: 'pick-format', value: 'dpo' });
    setDisabled(this.stopAll, true);
    this.status.hidden = true;
    this.element = h('div', { class: 'pl-compare' }, h('div', { class: 'pl-toolbar' }, this.runAll, this.stopAll, this.addButton, h('span', { class: 'pl-spacer' }), this.format), this.status, this.grid);
  }

  /** Starts with two columns from the current draft when empty. */
  ensureColumns(): void {
    while (this.columns.length < 2) this.addColumn();
  }

  addColumn(): void {
    if (this.columns.length >= MAX_COLUMNS) return;
    const base = this.actions.baseDraft();
    const n = this.columns.length + 1;
    const params = new ParamsForm(() => {}, { keys: ['temperature', 'topP', 'seed', 'maxTokens'], withStop: false, idPrefix: `col${n}` });
    // Each new column samples with the next seed, so variants differ unless the user pins them.
    params.load({ ...base.parameters, seed: (base.parameters.seed ?? 0) + n - 1 });
    const col: Column = {
      label: textField({ value: `Variant ${String.fromCharCode(64 + n)}`, size: 14 }),
      model: textField({ id: `col${n}-model`, placeholder: 'the current model', title: 'Model folder for this column (empty: the model Lathe uses)' }),
      body: textArea({ value: base.body, rows: 6, monospace: true }),
      params,
      stream: new TokenStream(2000),
      result: h('div', { class: 'pl-col-output' }),
      stats: h('div', { class: 'pl-meta' }),
      prefer: button('Prefer', { appearance: 'secondary', title: 'Save this output as the preferred one', onClick: () => void this.pick(col) }),
      element: h('div', { class: 'pl-column', 'data-column': String(n - 1) }),
    };
    setDisabled(col.prefer, true);
    const remove = button('✕', { appearance: 'icon', title: 'Remove column', onClick: () => this.removeColumn(col) });
    col.result.append(col.stream.element);
    col.element.append(h('div', { class: 'pl-col-head' }, col.label, remove), field('Template', col.body), field('Model folder', col.model), col.params.element, col.result, h('div', { class: 'pl-col-foot' }, col.stats, col.prefer));
    this.columns.push(col);
    this.grid.append(col.element);
    setDisabled(this.addButton, this.columns.length >= MAX_COLUMNS);
  }

  private removeColumn(col: Column): void {
    if (this.columns.length <= 1 || this.runId) return;
    this.columns.splice(this.columns.indexOf(col), 1);
    col.element.remove();
    setDisabled(this.addButton, false);
  }

  tokens(runId: string, column: number, tokens: readonly TokenDto[]): void {
    if (runId === this.runId) this.columns[column]?.stream.push(tokens);
  }

  private async run(): Promise<void> {
    if (this.runId) return;
    const base = this.actions.baseDraft();
    const runId = `compare-${++this.seq}`;
    this.runId = runId;
    setDisabled(this.runAll, true);
    setDisabled(this.stopAll, false);
    message(this.status, 'info', '');
    for (const c of this.columns) {
      c.stream.reset();
      c.result.replaceChildren(c.stream.element);
      c.stats.textContent = 'waiting…';
      c.output = undefined;
      setDisabled(c.prefer, true);
    }
    const columns = this.columns.map((c) => ({ label: c.label.value, model: c.model.value.trim() || undefined, draft: { body: c.body.value, values: base.values, parameters: { ...base.parameters, ...c.params.read() } } }));
    try {
      const results = await this.actions.run(runId, columns);
      results.forEach((r, i) => this.showResult(this.columns[i], r, i));
      this.element.dataset.state = 'done';
    } catch (err) {
      message(this.status, 'error', errorMessage(err));
    } finally {
      this.runId = undefined;
      setDisabled(this.runAll, false);
      setDisabled(this.stopAll, true);
    }
  }

  private showResult(col: Column | undefined, r: ColumnResultDto, index: number): void {
    if (!col) return;
    col.stream.flush();
    if (!r.summary) {
      col.stats.textContent = r.error?.message ?? 'failed';
      return;
    }
    col.output = r.summary.text;
    if (index > 0) col.result.replaceChildren(renderDiff(r.diff));
    col.stats.textContent = `${r.summary.model.split(/[\\/]/).pop()} · ${r.summary.completionTokens} tokens · ${(r.summary.totalMs / 1000).toFixed(2)} s · ${r.summary.finishReason}${r.summary.answer !== undefined ? ` · answer: ${r.summary.answer}` : ''}`;
    setDisabled(col.prefer, false);
  }

  private async pick(winner: Column): Promise<void> {
    if (winner.output === undefined) return;
    const base = this.actions.baseDraft();
    const rejected = this.columns.filter((c) => c !== winner && c.output !== undefined).map((c) => c.output!);
    const draft = { body: winner.body.value, values: base.values, parameters: base.parameters };
    try {
      const path = await this.actions.prefer({ format: this.format.value === 'sft' ? 'sft' : 'dpo', draft, preferred: winner.output, rejected });
      if (path) message(this.status, 'info', `Saved "${winner.label.value}" as ${this.format.value.toUpperCase()} to ${path}`);
    } catch (err) {
      message(this.status, 'error', errorMessage(err));
    }
  }
}
