import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DraftPolicy, proposeDraft } from '../../../extension/core/engine/worker/promptLookup';

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
    const d = new DraftPolicy(8, 4);
    d.update(4, 4);
    assert.equal(d.value, 6);
    d.update(6, 1);
    assert.equal(d.value, 5);
    for (let i = 0; i < 10; i++) d.update(5, 0);
    assert.equal(d.value, 1);
  });

  it('pauses drafting after outright rejections, longer each time, and resumes after an acceptance', () => {
    const d = new DraftPolicy(8, 4);
    const pauses = () => {
      let n = 0;
      while (!d.shouldDraft()) n++;
      return n;
    };
    assert.equal(pauses(), 0);
    d.update(4, 0);
    assert.equal(pauses(), 1);
    d.update(3, 0);
    assert.equal(pauses(), 2);
    d.update(2, 0);
    assert.equal(pauses(), 4);
    d.update(1, 1);
    assert.equal(pauses(), 0);
    d.update(3, 0);
    assert.equal(pauses(), 1);
  });
});
