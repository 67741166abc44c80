/**
 * Prompt Lab's Text + Image tab: one prompt (optionally a separate image prompt and a negative
 * prompt) runs the text model and the image model at once; the streamed text and the image's
 * progressive previews appear side by side, with the parameters of both, and the finished pair
 * lands in the gallery below.
 */
import type { ImageInfoDto, ImageParamsDto, TextImageResultDto } from '../../extension/protocol/textImage';
import type { TokenDto } from '../../extension/protocol/promptlab';
import { button, dropdown, field, message, setDisabled, textArea, textField, type ValueElement } from '../components/form';
import { h } from '../components/toolkit';
import { TokenStream } from '../components/tokenStream';
import { describeParams, GalleryView, type GalleryActions } from './galleryView';
import { errorMessage } from '../../extension/base/errorText';

export interface TextImageActions extends GalleryActions {
  info(): Promise<ImageInfoDto>;
  run(params: { runId: string; prompt: string; imagePrompt?: string; negativePrompt?: string; text: { maxTokens?: number; temperature?: number; seed?: number }; image: ImageParamsDto }): Promise<TextImageResultDto>;
  stop(runId: string): void;
}

const SCHEDULERS = ['ddim', 'euler', 'euler-a', 'lcm'].map((s) => ({ value: s, label: s }));

/** A number from a field, undefined when empty; NaN passes through so the host names the bad parameter. */
function numberOf(el: ValueElement): number | undefined {
  const v = el.value.trim();
  return v === '' ? undefined : Number(v);
}

export class TextImageView {
  readonly element: HTMLElement;
  private readonly prompt = textArea({ id: 'ti-prompt', rows: 3, placeholder: 'One prompt for both: e.g. "a red heart"' });
  private readonly imagePrompt = textField({ id: 'ti-image-prompt', placeholder: '(the prompt above)' });
  private readonly negative = textField({ id: 'ti-negative', placeholder: 'e.g. blurry' });
  private readonly maxTokens = textField({ id: 'ti-max-tokens', value: '64', size: 6 });
  private readonly temperature = textField({ id: 'ti-temperature', value: '0', size: 6 });
  private readonly steps = textField({ id: 'ti-steps', size: 6 });
  private readonly guidance = textField({ id: 'ti-guidance', size: 6 });
  private readonly scheduler = dropdown(SCHEDULERS, { id: 'ti-scheduler' });
  private readonly seed = textField({ id: 'ti-seed', value: '1', size: 10 });
  private readonly size = textField({ id: 'ti-size', size: 8 });
  private readonly runButton = button('Generate', { id: 'ti-generate', onClick: () => void this.generate() });
  private readonly stopButton = button('Stop', { id: 'ti-stop', appearance: 'secondary', onClick: () => this.runId && this.actions.stop(this.runId) });
  private readonly stream = new TokenStream();
  private readonly textStats = h('div', { id: 'ti-text-stats', class: 'pl-meta' });
  private readonly textError = h('div', { class: 'lk-message', role: 'alert' });
  private readonly image = h('img', { id: 'ti-image', class: 'ti-image', alt: 'generated image' });
  private readonly imageStats = h('div', { id: 'ti-image-stats', class: 'pl-meta' });
  private readonly imageError = h('div', { class: 'lk-message', role: 'alert' });
  private readonly modelLine = h('div', { id: 'ti-model', class: 'pl-meta' });
  private readonly gallery: GalleryView;
  private runId: string | undefined;
  private currentFile: string | undefined;
  private seq = 0;
  private loaded = false;

  constructor(private readonly actions: TextImageActions) {
    this.gallery = new GalleryView(actions);
    this.textError.hidden = true;
    this.imageError.hidden = true;
    this.image.hidden = true;
    this.image.title = 'Click to open the PNG in VS Code';
    this.image.addEventListener('click', () => this.currentFile && void this.actions.open(this.currentFile));
    setDisabled(this.stopButton, true);
    this.element = h(
      'div',
      { id: 'ti', class: 'ti' },
      field('Prompt', this.prompt),
      h('div', { class: 'ti-row' }, field('Image prompt (optional)', this.imagePrompt), field('Negative prompt', this.negative)),
      h(
        'div',
        { class: 'ti-params' },
        h('span', { class: 'pl-subhead' }, 'Text'),
        field('Max tokens', this.maxTokens),
        field('Temperature', this.temperature),
        h('span', { class: 'pl-subhead' }, 'Image'),
        field('Steps', this.steps),
        field('Guidance', this.guidance),
        field('Scheduler', this.scheduler),
        field('Seed', this.seed),
        field('Size', this.size),
      ),
      this.modelLine,
      h('div', { class: 'pl-toolbar' }, this.runButton, this.stopButton),
      h(
        'div',
        { class: 'ti-pair' },
        h('div', { class: 'ti-side', id: 'ti-text-side' }, h('div', { class: 'pl-subhead' }, 'Text'), this.textError, h('div', { id: 'ti-text', class: 'pl-output ti-text' }, this.stream.element), this.textStats),
        h('div', { class: 'ti-side', id: 'ti-image-side' }, h('div', { class: 'pl-subhead' }, 'Image'), this.imageError, h('div', { class: 'ti-canvas' }, this.image), this.imageStats),
      ),
      this.gallery.element,
    );
  }

  /** Fills the image defaults from the model and lists the gallery (first time the tab is shown). */
  async ensureLoaded(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    const info = await this.actions.info();
    this.steps.value ||= String(info.steps);
    this.guidance.value ||= String(info.guidance);
    this.size.value ||= `${info.width}x${info.height}`;
    queueMicrotask(() => (this.scheduler.value = info.scheduler));
    this.modelLine.textContent = `Image model: ${info.model} · sizes in multiples of ${info.latentFactor}`;
    if (info.error) message(this.imageError, 'error', info.error);
    this.element.dataset.loaded = 'true';
    await this.gallery.refresh();
  }

  tokens(runId: string, tokens: readonly TokenDto[]): void {
    if (runId === this.runId) this.stream.push(tokens);
  }

  progress(runId: string, step: number, steps: number, preview?: string): void {
    if (runId !== this.runId) return;
    if (preview) {
      this.image.src = preview;
      this.image.hidden = false;
      this.element.dataset.previews = String(Number(this.element.dataset.previews ?? 0) + 1);
    }
    this.imageStats.textContent = `step ${step}/${steps}`;
  }

  private imageParams(): ImageParamsDto {
    const size = /^\s*(\d+)\s*[x×]\s*(\d+)\s*$/i.exec(this.size.value);
    return {
      steps: numberOf(this.steps),
      guidance: numberOf(this.guidance),
      scheduler: (this.scheduler.value || undefined) as ImageParamsDto['scheduler'],
      seed: numberOf(this.seed),
      width: size ? Number(size[1]) : undefined,
      height: size ? Number(size[2]) : undefined,
    };
  }

  private async generate(): Promise<void> {
    const prompt = this.prompt.value.trim();
    if (!prompt || this.runId) return;
    const runId = `ti-${++this.seq}`;
    this.runId = runId;
    this.element.dataset.state = 'running';
    delete this.element.dataset.previews;
    setDisabled(this.runButton, true);
    setDisabled(this.stopButton, false);
    this.stream.reset();
    message(this.textError, 'error', '');
    message(this.imageError, 'error', '');
    this.textStats.textContent = 'Generating…';
    this.imageStats.textContent = 'Starting…';
    try {
      const r = await this.actions.run({
        runId,
        prompt,
        imagePrompt: this.imagePrompt.value.trim() || undefined,
        negativePrompt: this.negative.value.trim() || undefined,
        text: { maxTokens: numberOf(this.maxTokens), temperature: numberOf(this.temperature) },
        image: this.imageParams(),
      });
      this.show(r);
      this.element.dataset.state = r.text && r.image ? 'done' : 'error';
    } catch (err) {
      message(this.imageError, 'error', errorMessage(err));
      this.element.dataset.state = 'error';
    } finally {
      this.stream.flush();
      this.runId = undefined;
      setDisabled(this.runButton, false);
      setDisabled(this.stopButton, true);
    }
    await this.gallery.refresh();
  }

  private show(r: TextImageResultDto): void {
    if (r.text) {
      const t = r.text;
      this.textStats.textContent = `${t.model} · ${t.completionTokens} tokens · ${(t.totalMs / 1000).toFixed(2)} s${t.tokensPerSecond > 0 ? ` · ${t.tokensPerSecond.toFixed(1)} tok/s` : ''}`;
    } else {
      this.textStats.textContent = '';
      message(this.textError, 'error', r.textError?.message ?? 'no text');
    }
    if (r.image) {
      const e = r.image.entry;
      this.image.src = e.dataUrl;
      this.image.hidden = false;
      this.image.dataset.file = e.name;
      this.currentFile = e.file;
      this.imageStats.textContent = `${describeParams(e)} · ${(r.image.totalMs / 1000).toFixed(2)} s (${r.image.msPerStep.toFixed(1)} ms/step) · ${e.name}`;
      if (r.image.truncated) message(this.imageError, 'warning', `The image prompt was longer than the text encoder's limit; dropped: "${r.image.truncated}"`);
    } else {
      this.imageStats.textContent = '';
      message(this.imageError, 'error', r.imageError?.message ?? 'no image');
    }
  }
}
