/**
 * The selected row: its problems, the row as a chat, its JSON in an editor, tags and a
 * rating, and row actions. Every change is a request to the host, which applies it as an
 * undoable edit and answers with the updated row.
 */
import { h } from '../components/toolkit';
import type { ProblemView, RowDetail } from '../../extension/protocol/curation';
import { errorMessage } from '../../extension/base/errorText';

export interface DetailActions {
  edit(id: number, text: string): Promise<void>;
  remove(id: number): Promise<void>;
  setMeta(id: number, tags: readonly string[], rating: number): Promise<void>;
  redact(id: number): Promise<void>;
}

/** Pretty JSON for editing when the row is valid JSON; otherwise the text as it is. */
export function editableText(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text) as unknown, null, 2);
  } catch {
    return text;
  }
}

/** What the editor's text becomes in the file: compact JSON when it parses, else an error. */
export function rowTextFromEditor(text: string): { text: string } | { error: string } {
  try {
    return { text: JSON.stringify(JSON.parse(text) as unknown) };
  } catch (err) {
    return { error: `Not valid JSON: ${errorMessage(err)}` };
  }
}

function problemList(problems: readonly ProblemView[]): HTMLElement {
  if (problems.length === 0) return h('div', { class: 'dd-ok' }, 'No problems found in this row.');
  return h(
    'ul',
    { class: 'dd-problems' },
    ...problems.map((p) => h('li', { class: `dd-problem dd-${p.severity}`, 'data-code': p.code }, h('span', { class: `sev sev-${p.severity}` }, p.severity === 'error' ? '✕' : '!'), h('code', {}, p.code), ` ${p.message}`)),
  );
}

function chatView(detail: RowDetail): HTMLElement {
  if (!detail.segments) return h('div', { class: 'dd-empty' }, 'This line is not a valid row; fix it in the JSON editor below.');
  return h(
    'div',
    { class: 'dd-chat' },
    ...detail.segments.map((s) => {
      const kind = /assistant|completion|middle/.test(s.role) ? 'answer' : s.role === 'system' ? 'system' : 'prompt';
      return h('div', { class: `dd-msg dd-msg-${kind}`, 'data-role': s.role }, h('div', { class: 'dd-role' }, s.role), h('div', { class: 'dd-text' }, s.text === '' ? '(empty)' : s.text));
    }),
  );
}

export class DetailPane {
  readonly element = h('aside', { class: 'dd-pane', 'aria-label': 'row detail' });
  private current: RowDetail | undefined;

  constructor(private readonly actions: DetailActions) {
    this.clear();
  }

  get rowId(): number | undefined {
    return this.current?.id;
  }

  /** Whether the user is typing here (JSON editor changed, or a text field focused): refreshes must wait. */
  get isEditing(): boolean {
    const editor = this.element.querySelector<HTMLTextAreaElement>('.dd-editor');
    if (editor && this.current && editor.value !== editableText(this.current.text)) return true;
    const focused = document.activeElement;
    return focused instanceof HTMLInputElement && this.element.contains(focused) && focused.value !== '';
  }

  clear(): void {
    this.current = undefined;
    this.element.replaceChildren(h('div', { class: 'dd-placeholder' }, 'Select a row to see it as a chat, edit, tag or rate it.'));
  }

  show(detail: RowDetail): void {
    this.current = detail;
    const where = detail.line === null ? 'new row' : `Line ${detail.line}`;
    const editor = h('textarea', { class: 'dd-editor', spellcheck: 'false', 'aria-label': 'row JSON' });
    editor.value = editableText(detail.text);
    const status = h('div', { class: 'dd-status', role: 'status' });
    const apply = h('button', { class: 'btn', id: 'apply-edit', disabled: '' }, 'Apply Edit');
    const reset = h('button', { class: 'btn secondary', disabled: '' }, 'Discard');
    editor.addEventListener('input', () => {
      const changed = editor.value !== editableText(detail.text);
      apply.toggleAttribute('disabled', !changed);
      reset.toggleAttribute('disabled', !changed);
    });
    apply.addEventListener('click', () => {
      const next = rowTextFromEditor(editor.value);
      if ('error' in next) {
        status.textContent = next.error;
        status.className = 'dd-status dd-status-error';
        return;
      }
      void this.actions.edit(detail.id, next.text);
    });
    reset.addEventListener('click', () => this.show(detail));

    const hasPii = detail.problems.some((p) => p.code === 'pii');
    const actions = h('div', { class: 'dd-actions' });
    if (hasPii) {
      const redact = h('button', { class: 'btn secondary', id: 'redact-row', title: 'Replace PII and secrets with typed placeholders like <EMAIL>' }, 'Redact PII');
      redact.addEventListener('click', () => void this.actions.redact(detail.id));
      actions.append(redact);
    }
    const del = h('button', { class: 'btn secondary danger', id: 'delete-row', title: 'Delete this row (undo with Ctrl+Z)' }, 'Delete Row');
    del.addEventListener('click', () => void this.actions.remove(detail.id));
    actions.append(del);

    this.element.replaceChildren(
      h('header', { class: 'dd-header' }, h('h2', {}, where), h('span', { class: 'dd-meta' }, `${detail.format}${detail.tokens !== null ? ` · ${detail.tokens} tokens` : ''}${detail.edited ? ' · edited' : ''}`), actions),
      h('section', {}, h('h3', {}, 'Problems'), problemList(detail.problems)),
      h('section', {}, h('h3', {}, 'Tags and rating'), this.metaEditor(detail)),
      h('section', {}, h('h3', {}, 'Conversation'), chatView(detail)),
      h('section', { class: 'dd-json' }, h('h3', {}, 'JSON'), editor, h('div', { class: 'dd-edit-bar' }, apply, reset, status)),
    );
  }

  private metaEditor(detail: RowDetail): HTMLElement {
    const chips = detail.tags.map((t) => {
      const remove = h('button', { class: 'chip-x', title: `Remove tag ${t}`, 'aria-label': `remove tag ${t}` }, '×');
      remove.addEventListener('click', () => void this.actions.setMeta(detail.id, detail.tags.filter((x) => x !== t), detail.rating));
      return h('span', { class: 'chip', 'data-tag': t }, t, remove);
    });
    const input = h('input', { class: 'input', id: 'tag-input', placeholder: 'Add tag…', 'aria-label': 'add tag' });
    input.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' || input.value.trim() === '') return;
      const tag = input.value.trim();
      if (!detail.tags.includes(tag)) void this.actions.setMeta(detail.id, [...detail.tags, tag], detail.rating);
    });
    const stars = [1, 2, 3, 4, 5].map((n) => {
      const on = n <= detail.rating;
      const b = h('button', { class: `star${on ? ' on' : ''}`, 'data-rating': String(n), title: n === detail.rating ? 'Clear rating' : `Rate ${n}`, 'aria-label': `rate ${n}` }, on ? '★' : '☆');
      b.addEventListener('click', () => void this.actions.setMeta(detail.id, detail.tags, n === detail.rating ? 0 : n));
      return b;
    });
    return h('div', { class: 'dd-metaedit' }, h('div', { class: 'chips' }, ...chips, input), h('div', { class: 'stars', role: 'group', 'aria-label': 'rating' }, ...stars));
  }

  /** Shows an error from the host next to the editor. */
  error(message: string): void {
    const status = this.element.querySelector('.dd-status');
    if (status) {
      status.textContent = message;
      status.className = 'dd-status dd-status-error';
    }
  }
}
