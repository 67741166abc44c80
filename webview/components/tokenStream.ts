/**
 * Streamed model output as text, optionally as a per-token heatmap of probabilities with the
 * top alternatives on hover. Tokens are queued and written to the DOM once per animation
 * frame; past `maxSpans` tokens the rest is appended as plain text, so a long output never
 * freezes the view.
 */
import { StreamBuffer, type FlushPlan } from './streamBuffer';
import { h } from './toolkit';

export interface StreamToken {
  readonly text: string;
  readonly logprob?: number;
  readonly top?: ReadonlyArray<{ readonly token: string; readonly logprob: number }>;
}

export const DEFAULT_MAX_SPANS = 4000;

/** Heat bucket 0 (likely) … 4 (unlikely) from a logprob. */
export function heatBucket(logprob: number): number {
  const p = Math.exp(logprob);
  if (p >= 0.9) return 0;
  if (p >= 0.6) return 1;
  if (p >= 0.3) return 2;
  if (p >= 0.1) return 3;
  return 4;
}

function visible(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

export class TokenStream {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly tooltip: HTMLElement;
  private readonly buffer: StreamBuffer<StreamToken>;
  private rendered: StreamToken[] = [];
  private plainTail: Text | undefined;
  private heatmap = true;

  constructor(maxSpans = DEFAULT_MAX_SPANS) {
    this.body = h('div', { class: 'lk-stream-body', role: 'log', 'aria-live': 'polite' });
    this.tooltip = h('div', { class: 'lk-tooltip', role: 'tooltip' });
    this.tooltip.hidden = true;
    this.element = h('div', { class: 'lk-stream' }, this.body, this.tooltip);
    this.buffer = new StreamBuffer<StreamToken>(maxSpans, (flush) => requestAnimationFrame(flush), (plan) => this.write(plan));
    this.body.addEventListener('mouseover', (e) => this.hover(e));
    this.body.addEventListener('mouseleave', () => (this.tooltip.hidden = true));
  }

  get text(): string {
    return this.body.textContent ?? '';
  }

  setHeatmap(on: boolean): void {
    this.heatmap = on;
    this.body.classList.toggle('lk-heat-off', !on);
  }

  reset(text = ''): void {
    this.buffer.reset();
    this.rendered = [];
    this.plainTail = undefined;
    this.body.replaceChildren(text);
    this.tooltip.hidden = true;
  }

  push(tokens: readonly StreamToken[]): void {
    this.buffer.push(tokens);
  }

  /** Writes everything queued now instead of at the next animation frame. */
  flush(): void {
    this.buffer.flush();
  }

  private write(plan: FlushPlan<StreamToken>): void {
    const fragment = document.createDocumentFragment();
    plan.spans.forEach((t, i) => {
      const attrs: Record<string, string> = { 'data-i': String(plan.firstIndex + i) };
      if (t.logprob !== undefined) attrs.class = `lk-tok lk-heat-${heatBucket(t.logprob)}`;
      fragment.append(h('span', attrs, t.text));
    });
    this.rendered.push(...plan.spans);
    if (plan.plain !== '') {
      this.plainTail ??= this.body.appendChild(document.createTextNode(''));
      this.plainTail.appendData(plan.plain);
    }
    this.body.insertBefore(fragment, this.plainTail ?? null);
    const scroller = this.element.parentElement;
    if (scroller && scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80) scroller.scrollTop = scroller.scrollHeight;
  }

  private hover(e: MouseEvent): void {
    const target = e.target instanceof HTMLElement ? e.target.closest<HTMLElement>('.lk-tok') : null;
    if (!target || !this.heatmap) {
      this.tooltip.hidden = true;
      return;
    }
    const token = this.rendered[Number(target.dataset.i)];
    if (!token || token.logprob === undefined) return;
    const pct = (lp: number) => `${(Math.exp(lp) * 100).toFixed(1)}%`;
    this.tooltip.replaceChildren(
      h('div', { class: 'lk-tooltip-title' }, `"${visible(token.text)}" ${pct(token.logprob)}`),
      ...(token.top ?? []).map((alt) =>
        h('div', { class: alt.token === token.text ? 'lk-alt lk-alt-chosen' : 'lk-alt' }, h('code', {}, visible(alt.token)), h('span', {}, pct(alt.logprob))),
      ),
    );
    this.tooltip.hidden = false;
    const box = target.getBoundingClientRect();
    const host = this.element.getBoundingClientRect();
    this.tooltip.style.left = `${Math.max(0, Math.min(box.left - host.left, host.width - 200))}px`;
    this.tooltip.style.top = `${box.bottom - host.top + 4}px`;
  }
}
