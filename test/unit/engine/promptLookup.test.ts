import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DraftLength, proposeDraft } from '../../../extension/core/engine/promptLookup';

const opts = { maxNgram: 3, minNgram: 1, maxDraft: 4 };

describe('prompt lookup drafting', () => {
  it('proposes the continuation of the most recent earlier match of the tail n-gram', () => {
    //           0  1  2  3  4  5  6  7  8  9
    const seq = [1, 2, 3, 4, 5, 9, 1, 2, 3, 7, 1, 2, 3];
    assert.deepEqual(proposeDraft(seq, opts), [7, 1, 2, 3]);
  });

  it('falls back to shorter n-grams', () => {
    assert.deepEqual(proposeDraft([5, 6, 7, 8, 9, 7], opts), [8, 9, 7]);
  });

  it('proposes nothing without a match and respects maxDraft', () => {
    assert.deepEqual(proposeDraft([1, 2, 3, 4], opts), []);
    assert.deepEqual(proposeDraft([1, 2, 3, 4, 5, 6, 1], { ...opts, maxDraft: 2 }), [2, 3]);
    assert.deepEqual(proposeDraft([1, 2, 1], { ...opts, maxDraft: 0 }), []);
  });

  it('adapts the draft length to acceptance', () => {
    const d = new DraftLength(8, 4);
    d.update(4, 4);
    assert.equal(d.value, 6);
    d.update(6, 1);
    assert.equal(d.value, 5);
    for (let i = 0; i < 10; i++) d.update(5, 0);
    assert.equal(d.value, 1);
  });
});
