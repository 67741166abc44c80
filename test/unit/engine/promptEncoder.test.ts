import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PromptEncoder } from '../../../extension/core/engine/worker/promptEncoder';
import { readModelFolder } from '../../../extension/core/models/folder';
import { CODE_PROMPT, TINY } from './helpers';

describe('prompt encoder', () => {
  const tokenizer = readModelFolder(TINY).tokenizer();
  const encoder = new PromptEncoder(tokenizer);

  it('cuts byte-level BPE text at top-level line starts for the fixture tokenizer', () => {
    assert.equal(encoder.chunked, true);
  });

  it('matches whole-text encoding while the text is edited line by line', () => {
    const texts = [
      CODE_PROMPT,
      'import os\n\n\ndef f():\n    pass\nx = 1\ny\n\tz\n',
      '<|fim_prefix|>def f(x):\n<|fim_suffix|>\nreturn x<|fim_middle|>',
      'héllo\nwörld\n漢字\n😀\nend',
      'a\r\nb\n  c\n\nd',
    ];
    for (const base of texts) {
      for (let cut = 0; cut <= base.length; cut += 3) {
        const text = base.slice(0, cut) + 'q\nw(';
        assert.deepEqual(encoder.encode(text), tokenizer.encode(text), JSON.stringify(text));
      }
    }
  });

  it('adds the post-processor tokens only when asked', () => {
    assert.deepEqual(encoder.encode('x\ny', true), tokenizer.encode('x\ny', { addSpecialTokens: true }));
    assert.deepEqual(encoder.encode('x\ny'), tokenizer.encode('x\ny'));
  });
});
