/**
 * The Text + Image gallery: past pairs (PNG with its parameters, and the text it was generated
 * next to) from the gallery folder, newest first. Each card opens its PNG in VS Code or becomes
 * a dataset row; the folder can be changed.
 */
import type { GalleryEntryDto } from '../../extension/protocol/textImage';
import { button, dropdown, message } from '../components/form';
import { h } from '../components/toolkit';
import { errorMessage } from '../../extension/base/errorText';

export interface GalleryActions {
  list(): Promise<{ folder: string | null; entries: readonly GalleryEntryDto[] }>;
  choose(): Promise<string | null>;
  open(file: string): Promise<void>;
  saveRow(file: string, reference: 'path' | 'data-url'): Promise<string | null>;
}

export function describeParams(e: GalleryEntryDto): string {
  const neg = e.negativePrompt ? ` · negative "${e.negativePrompt}"` : '';
  return `${e.width}×${e.height} · seed ${e.seed} · ${e.steps} steps · guidance ${e.guidance} · ${e.scheduler} · ${e.model}${neg}`;
}

export class GalleryView {
  readonly element: HTMLElement;
  private readonly folder = h('span', { id: 'ti-gallery-folder', class: 'pl-meta' });
  private readonly grid = h('div', { id: 'ti-gallery', class: 'ti-gallery' });
  private readonly notice = h('div', { class: 'lk-message' });
  private readonly reference = dropdown(
    [
      { value: 'path', label: 'Rows link the PNG (path)' },
      { value: 'data-url', label: 'Rows embed the PNG (data URL)' },
    ],
    { id: 'ti-row-image', value: 'path' },
  );

  constructor(private readonly actions: GalleryActions) {
    this.notice.hidden = true;
    this.element = h(
      'div',
      { class: 'ti-gallery-wrap' },
      h(
        'div',
        { class: 'pl-toolbar' },
        h('span', { class: 'pl-subhead' }, 'Gallery'),
        this.folder,
        h('span', { class: 'pl-spacer' }),
        this.reference,
        button('Refresh', { id: 'ti-gallery-refresh', appearance: 'secondary', onClick: () => void this.refresh() }),
        button('Choose Folder…', { id: 'ti-gallery-choose', appearance: 'secondary', onClick: () => void this.choose() }),
      ),
      this.notice,
      this.grid,
    );
  }

  async refresh(): Promise<void> {
    try {
      const { folder, entries } = await this.actions.list();
      this.folder.textContent = folder ?? '';
      this.grid.replaceChildren(...(entries.length === 0 ? [h('div', { class: 'pl-meta' }, 'No images yet: generate one above.')] : entries.map((e) => this.card(e))));
      this.grid.dataset.count = String(entries.length);
    } catch (err) {
      message(this.notice, 'error', errorMessage(err));
    }
  }

  private async choose(): Promise<void> {
    if ((await this.actions.choose()) !== null) await this.refresh();
  }

  private card(e: GalleryEntryDto): HTMLElement {
    const status = h('span', { class: 'pl-meta' });
    const img = h('img', { src: e.dataUrl, alt: e.prompt, title: `${e.name}\n${describeParams(e)}`, class: 'ti-thumb' });
    img.addEventListener('click', () => void this.actions.open(e.file));
    const actions = h('div', { class: 'pl-col-foot' }, button('Open', { appearance: 'secondary', onClick: () => void this.actions.open(e.file) }));
    if (e.text !== undefined) {
      actions.append(
        button('Save as Row', {
          appearance: 'secondary',
          title: 'Append this pair to a dataset as a multimodal chat row',
          onClick: () =>
            void this.actions.saveRow(e.file, this.reference.value === 'data-url' ? 'data-url' : 'path').then(
              (path) => path && (status.textContent = `appended to ${path}`),
              (err: unknown) => (status.textContent = errorMessage(err)),
            ),
        }),
      );
    }
    return h(
      'div',
      { class: 'ti-card', 'data-file': e.name },
      img,
      h('div', { class: 'ti-card-prompt' }, e.prompt),
      e.text !== undefined ? h('div', { class: 'ti-card-text' }, e.text) : h('div', { class: 'pl-meta' }, 'image only'),
      h('div', { class: 'pl-meta' }, `seed ${e.seed} · ${e.steps} steps · ${e.scheduler}`),
      actions,
      status,
    );
  }
}
