/**
 * A Prompt Lab "Text + Image" pair as a fine-tuning row: a multimodal OpenAI-chat example
 * (user: the prompt; assistant: the text answer and the image as an `image_url` content part),
 * written through the curation formats so it reads back like any other chat row. The image is
 * either a path relative to the dataset file (small rows, the PNG stays in the gallery) or a
 * `data:image/png;base64,…` URL (self-contained rows). The image's generation parameters ride
 * along in the row's `image_params`.
 */
import { dirname, relative, sep } from 'node:path';
import { writeExample } from '../curation/formats/write';
import type { Example, JsonObject } from '../curation/formats/types';
import type { ImageMetadata } from './pngMetadata';

export type ImageReference = 'path' | 'data-url';

export interface PairForRow {
  readonly prompt: string;
  readonly text: string;
  readonly png: Uint8Array;
  readonly pngFile: string;
  readonly meta: ImageMetadata;
  /** Set when the image had its own prompt. */
  readonly imagePrompt?: string;
}

export function imageUrl(pair: PairForRow, datasetFile: string, reference: ImageReference): string {
  if (reference === 'data-url') return `data:image/png;base64,${Buffer.from(pair.png).toString('base64')}`;
  return relative(dirname(datasetFile), pair.pngFile).split(sep).join('/');
}

export function pairExample(pair: PairForRow, datasetFile: string, reference: ImageReference): Example {
  const m = pair.meta;
  const params: JsonObject = {
    prompt: m.prompt,
    negative_prompt: m.negativePrompt,
    seed: m.seed,
    steps: m.steps,
    guidance: m.guidance,
    scheduler: m.scheduler,
    size: `${m.width}x${m.height}`,
    model: m.model,
  };
  return {
    kind: 'chat',
    messages: [
      { role: 'user', content: [{ type: 'text', text: pair.prompt }], extra: {} },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: pair.text },
          { type: 'image_url', image_url: { url: imageUrl(pair, datasetFile, reference) } },
        ],
        extra: {},
      },
    ],
    extra: { image_params: params },
  };
}

/** The JSONL row (openai-chat) for a pair. */
export function pairRow(pair: PairForRow, datasetFile: string, reference: ImageReference): JsonObject {
  return writeExample('openai-chat', pairExample(pair, datasetFile, reference)).value;
}
