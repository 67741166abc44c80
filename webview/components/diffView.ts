/** Renders a word diff: unchanged text plain, text only here highlighted, text only in the reference struck through. */
import { h } from './toolkit';

export interface DiffPart {
  readonly text: string;
  readonly kind: 'same' | 'added' | 'removed';
}

export function renderDiff(parts: readonly DiffPart[]): HTMLElement {
  return h(
    'div',
    { class: 'lk-diff' },
    ...parts.map((p) => (p.kind === 'same' ? p.text : h(p.kind === 'added' ? 'ins' : 'del', { class: `lk-diff-${p.kind}` }, p.text))),
  );
}
