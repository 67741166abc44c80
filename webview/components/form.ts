/**
 * Small form helpers over the toolkit's web components, shared by Lathe's webviews: labelled
 * fields, text inputs with a typed `value`, buttons, dropdowns and collapsible sections.
 * Class names use the `lk-` prefix and are styled by each webview's stylesheet.
 */
import { h } from './toolkit';

/** A toolkit control with a string value (vscode-text-field, vscode-text-area, vscode-dropdown). */
export type ValueElement = HTMLElement & { value: string };

export function asValueElement(el: HTMLElement): ValueElement {
  return el as ValueElement;
}

export interface TextOptions {
  readonly id?: string;
  readonly value?: string;
  readonly placeholder?: string;
  readonly title?: string;
  readonly size?: number;
  readonly onInput?: (value: string) => void;
}

export function textField(o: TextOptions): ValueElement {
  const attrs: Record<string, string> = {};
  if (o.id) attrs.id = o.id;
  if (o.placeholder) attrs.placeholder = o.placeholder;
  if (o.title) attrs.title = o.title;
  if (o.size) attrs.size = String(o.size);
  const el = asValueElement(h('vscode-text-field', attrs));
  el.value = o.value ?? '';
  if (o.onInput) el.addEventListener('input', () => o.onInput?.(el.value));
  return el;
}

export function textArea(o: TextOptions & { readonly rows?: number; readonly monospace?: boolean }): ValueElement {
  const attrs: Record<string, string> = { rows: String(o.rows ?? 6), resize: 'vertical' };
  if (o.id) attrs.id = o.id;
  if (o.placeholder) attrs.placeholder = o.placeholder;
  if (o.monospace) attrs.class = 'lk-mono';
  const el = asValueElement(h('vscode-text-area', attrs));
  el.value = o.value ?? '';
  if (o.onInput) el.addEventListener('input', () => o.onInput?.(el.value));
  return el;
}

/** A label above a control, with an optional hint line under it. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const wrap = h('label', { class: 'lk-field' }, h('span', { class: 'lk-label' }, label), control);
  if (hint) wrap.append(h('span', { class: 'lk-hint' }, hint));
  return wrap;
}

export interface ButtonOptions {
  readonly id?: string;
  readonly appearance?: 'primary' | 'secondary' | 'icon';
  readonly title?: string;
  readonly onClick: () => void;
}

export function button(label: string, o: ButtonOptions): HTMLElement {
  const attrs: Record<string, string> = { appearance: o.appearance ?? 'primary' };
  if (o.id) attrs.id = o.id;
  if (o.title) attrs.title = o.title;
  if (o.appearance === 'icon') attrs['aria-label'] = o.title ?? label;
  const el = h('vscode-button', attrs, label);
  el.addEventListener('click', () => {
    if (!el.hasAttribute('disabled')) o.onClick();
  });
  return el;
}

export function setDisabled(el: HTMLElement, disabled: boolean): void {
  el.toggleAttribute('disabled', disabled);
}

export function dropdown(options: ReadonlyArray<{ value: string; label: string }>, o: { id?: string; value?: string; onChange?: (value: string) => void }): ValueElement {
  const el = asValueElement(h('vscode-dropdown', o.id ? { id: o.id } : {}, ...options.map((opt) => h('vscode-option', { value: opt.value }, opt.label))));
  if (o.value !== undefined) queueMicrotask(() => (el.value = o.value!));
  if (o.onChange) el.addEventListener('change', () => o.onChange?.(el.value));
  return el;
}

/** A collapsible section with a compact header (like a VS Code view section). */
export function section(title: string, open: boolean, ...children: Array<Node | string>): HTMLDetailsElement {
  const details = h('details', { class: 'lk-section' }, h('summary', {}, title), ...children);
  details.open = open;
  return details;
}

/** Replaces an element's children with a message in the given tone. */
export function message(el: HTMLElement, tone: 'info' | 'warning' | 'error', text: string): void {
  el.className = `lk-message lk-${tone}`;
  el.textContent = text;
  el.hidden = text === '';
}
