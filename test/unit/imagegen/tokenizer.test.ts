import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { clipTokenizerJson, loadClipTokenizer } from '../../../extension/core/imagegen/clipTokenizer';
import { ImageGenError } from '../../../extension/core/imagegen/errors';
import { copyModel, EXPECTED, TINY_SD, TINY_SD_FP16 } from './helpers';

describe('CLIP tokenizer', () => {
  const fromVocab = loadClipTokenizer(join(TINY_SD, 'tokenizer'), 77);
  const fromJson = loadClipTokenizer(join(TINY_SD_FP16, 'tokenizer'), 77);

  it('builds from vocab.json + merges.txt when there is no tokenizer.json, and uses tokenizer.json when there is', () => {
    assert.equal(fromVocab.source, 'vocab.json + merges.txt');
    assert.equal(fromJson.source, 'tokenizer.json');
    assert.equal(fromVocab.maxLength, 77);
  });

  it('matches the reference BPE (lowercase, whitespace, punctuation, unicode) from both sources', () => {
    for (const [prompt, ids] of Object.entries(EXPECTED.tokens)) {
      for (const tok of [fromVocab, fromJson]) {
        const e = tok.encode(prompt);
        assert.equal(e.truncated, false);
        assert.deepEqual(e.ids.slice(0, ids.length + 2), [EXPECTED.bos, ...ids, EXPECTED.eos], `${tok.source}: ${prompt}`);
        assert.equal(e.tokens, ids.length);
        assert.equal(e.ids.length, 77);
      }
    }
  });

  it('pads with the declared pad token (SD 1.x: <|endoftext|>, SD 2.x: "!")', () => {
    assert.equal(fromVocab.encode('red heart').ids[76], EXPECTED.eos);
    assert.equal(fromJson.encode('red heart').ids[76], EXPECTED.pad_fp16);
  });

  it('truncates prompts longer than the encoder limit and says what was cut', () => {
    const words = Array.from({ length: 80 }, (_, i) => (i < 75 ? 'heart' : `cat${i}`)).join(' ');
    const e = fromVocab.encode(words);
    assert.equal(e.truncated, true);
    assert.equal(e.tokens, 75);
    assert.equal(e.ids.length, 77);
    assert.equal(e.ids[76], EXPECTED.eos);
    assert.match(e.droppedText ?? '', /^cat 7 5 cat 7 6/); // CLIP splits digits into words of their own
    // the shorter of model_max_length and the encoder's positions wins
    assert.equal(loadClipTokenizer(join(TINY_SD, 'tokenizer'), 16).encode(words).tokens, 14);
  });

  it('the tokenizer.json built from vocab + merges matches the committed one', () => {
    const vocab = JSON.parse(readFileSync(join(TINY_SD, 'tokenizer', 'vocab.json'), 'utf8')) as Record<string, number>;
    const merges = readFileSync(join(TINY_SD, 'tokenizer', 'merges.txt'), 'utf8').split('\n').slice(1).filter(Boolean);
    const built = clipTokenizerJson(vocab, merges, '<|startoftext|>', '<|endoftext|>');
    const committed = JSON.parse(readFileSync(join(TINY_SD_FP16, 'tokenizer', 'tokenizer.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(built.normalizer, committed.normalizer);
    assert.deepEqual(built.pre_tokenizer, committed.pre_tokenizer);
    assert.deepEqual((built.model as { merges: string[] }).merges, (committed.model as { merges: string[] }).merges);
  });

  it('a tokenizer folder without tokenizer.json or vocab/merges is a missing-file error naming the folder', () => {
    const { dir, cleanup } = copyModel(TINY_SD);
    try {
      rmSync(join(dir, 'tokenizer', 'merges.txt'));
      assert.throws(
        () => loadClipTokenizer(join(dir, 'tokenizer'), 77),
        (err: unknown) => err instanceof ImageGenError && err.code === 'missing-file' && err.message.includes(join(dir, 'tokenizer')) && /merges\.txt/.test(err.message),
      );
      writeFileSync(join(dir, 'tokenizer', 'tokenizer.json'), '{ nope');
      assert.throws(
        () => loadClipTokenizer(join(dir, 'tokenizer'), 77),
        (err: unknown) => err instanceof ImageGenError && err.code === 'invalid-file' && err.message.includes('tokenizer.json'),
      );
    } finally {
      cleanup();
    }
  });
});
