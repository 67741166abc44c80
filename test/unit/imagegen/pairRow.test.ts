import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readExample } from '../../../extension/core/curation/formats/read';
import { detectRowFormat } from '../../../extension/core/curation/formats/detect';
import { contentText } from '../../../extension/core/curation/formats/types';
import { pairRow } from '../../../extension/core/imagegen/pairRow';

const pair = {
  prompt: 'a red heart',
  text: 'A red heart stands for love.',
  png: Uint8Array.of(137, 80, 78, 71),
  pngFile: '/ws/.lathe/gallery/a-red-heart-7.png',
  meta: { prompt: 'a red heart', negativePrompt: 'blue', seed: 7, steps: 20, guidance: 7.5, scheduler: 'ddim' as const, width: 32, height: 32, model: 'lathe-image-mini' },
};

describe('Text + Image pair as a dataset row', () => {
  it('is a multimodal openai-chat row: user prompt, assistant text + image part, parameters alongside', () => {
    const row = pairRow(pair, '/ws/data/pairs.jsonl', 'path');
    assert.equal(detectRowFormat(row), 'openai-chat');
    assert.deepEqual(row.messages, [
      { role: 'user', content: [{ type: 'text', text: 'a red heart' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'A red heart stands for love.' }, { type: 'image_url', image_url: { url: '../.lathe/gallery/a-red-heart-7.png' } }] },
    ]);
    assert.deepEqual(row.image_params, { prompt: 'a red heart', negative_prompt: 'blue', seed: 7, steps: 20, guidance: 7.5, scheduler: 'ddim', size: '32x32', model: 'lathe-image-mini' });
    const back = readExample('openai-chat', row);
    assert.equal(back.kind, 'chat');
    if (back.kind === 'chat') assert.equal(contentText(back.messages[1].content), 'A red heart stands for love.');
  });

  it('can embed the PNG as a data URL', () => {
    const row = pairRow(pair, '/ws/data/pairs.jsonl', 'data-url') as { messages: Array<{ content: Array<{ image_url?: { url: string } }> }> };
    assert.equal(row.messages[1].content[1].image_url?.url, 'data:image/png;base64,iVBORw==');
  });
});
