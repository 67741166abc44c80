/** Run and Stop, the streamed output with its heatmap, run statistics and the CoT answer. */
import type { RunSummaryDto, TokenDto } from '../../extension/protocol/promptlab';
import { button, message, setDisabled } from '../components/form';
import { h } from '../components/toolkit';
import { TokenStream } from '../components/tokenStream';

const HEAT_LEVELS = ['p ≥ 90%', '60–90%', '30–60%', '10–30%', 'p < 10%'];

/** Swatches explaining the heatmap colours, most to least likely. */
function heatLegend(): HTMLElement {
  return h(
    'span',
    { class: 'pl-legend', title: 'Token probability under the model; hover a token for its top alternatives' },
    'likely',
    ...HEAT_LEVELS.map((label, i) => h('span', { class: `pl-swatch lk-heat-${i}`, title: label })),
    'unlikely',
  );
}

export class RunPanel {
  readonly element: HTMLElement;
  readonly stream = new TokenStream();
  private readonly runButton: HTMLElement;
  private readonly stopButton: HTMLElement;
  private readonly stats = h('div', { id: 'run-stats', class: 'pl-meta' });
  private readonly answer = h('div', { id: 'answer', class: 'pl-answer' });
  private readonly error = h('div', { id: 'run-error', class: 'lk-message', role: 'alert' });
  private runId: string | undefined;

  constructor(onRun: () => void, onStop: (runId: string) => void) {
    this.runButton = button('Run', { id: 'run', onClick: onRun, title: 'Run the prompt (streams the output)' });
    this.stopButton = button('Stop', { id: 'stop', appearance: 'secondary', onClick: () => this.runId && onStop(this.runId) });
    setDisabled(this.stopButton, true);
    const heat = h('vscode-checkbox', { id: 'heatmap', checked: '' }, 'Heatmap');
    heat.addEventListener('change', () => this.stream.setHeatmap((heat as HTMLElement & { checked: boolean }).checked));
    this.answer.hidden = true;
    this.error.hidden = true;
    this.element = h(
      'div',
      { class: 'pl-run' },
      h('div', { class: 'pl-toolbar' }, this.runButton, this.stopButton, h('span', { class: 'pl-spacer' }), heatLegend(), heat),
      this.error,
      this.answer,
      h('div', { id: 'output', class: 'pl-output' }, this.stream.element),
      this.stats,
    );
  }

  get running(): boolean {
    return this.runId !== undefined;
  }

  setRunnable(ok: boolean): void {
    if (!this.running) setDisabled(this.runButton, !ok);
  }

  start(runId: string): void {
    this.runId = runId;
    this.stream.reset();
    this.answer.hidden = true;
    message(this.error, 'error', '');
    this.stats.textContent = 'Generating…';
    this.element.dataset.state = 'running';
    setDisabled(this.runButton, true);
    setDisabled(this.stopButton, false);
  }

  tokens(runId: string, tokens: readonly TokenDto[]): void {
    if (runId === this.runId) this.stream.push(tokens);
  }

  finish(s: RunSummaryDto): void {
    this.end();
    this.stream.flush();
    const rate = s.tokensPerSecond > 0 ? ` · ${s.tokensPerSecond.toFixed(1)} tok/s` : '';
    this.stats.textContent = `${s.promptTokens} prompt + ${s.completionTokens} output tokens · ${(s.totalMs / 1000).toFixed(2)} s${rate} · finished: ${s.finishReason}`;
    if (s.contextWarning) this.stats.append(h('span', { class: 'pl-warning' }, ` ⚠ ${s.contextWarning}`));
    if (s.answer !== undefined || s.vote) {
      this.answer.hidden = false;
      this.answer.replaceChildren(h('span', { class: 'pl-answer-label' }, 'Answer'), h('strong', {}, s.answer ?? '(none extracted)'));
      if (s.vote) {
        const pct = s.vote.total > 0 ? Math.round((100 * s.vote.count) / s.vote.total) : 0;
        this.answer.append(
          h('span', { class: 'pl-agreement', title: s.vote.tally.map((t) => `${t.answer}: ${t.count}`).join('\n') }, `${s.vote.count}/${s.vote.total} samples agree (${pct}%)`),
        );
      }
    }
    this.element.dataset.state = 'done';
  }

  /** Empties the output for another document (ignored while a run is streaming). */
  clear(): void {
    if (this.running) return;
    this.stream.reset();
    this.answer.hidden = true;
    this.stats.textContent = '';
    message(this.error, 'error', '');
    delete this.element.dataset.state;
  }

  fail(text: string): void {
    this.end();
    this.stream.flush();
    this.stats.textContent = '';
    message(this.error, 'error', text);
    this.element.dataset.state = 'error';
  }

  private end(): void {
    this.runId = undefined;
    setDisabled(this.runButton, false);
    setDisabled(this.stopButton, true);
  }
}
