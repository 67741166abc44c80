/** Prefix and suffix windows: token budgets, line boundaries, character bounds. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex } from '../../../extension/core/context/lineIndex';
import { approximateTokenCounter, memoizedCounter } from '../../../extension/core/models/tokenCounter';
import { prefixWindow, suffixWindow } from '../../../extension/core/context/windows';

const text = Array.from({ length: 400 }, (_, i) => `const value${i} = compute(${i}, "label-${i}");`).join('\n');
const lines = new LineIndex(text);

test('the prefix window ends at the cursor, starts on a line boundary and fits the budget', () => {
  const offset = lines.offsetAt(300, 10);
  const w = prefixWindow(text, offset, 200, approximateTokenCounter, lines);
  assert.equal(w.end, offset);
  assert.equal(lines.positionAt(w.start).character, 0);
  // Snapping the start line may drop up to half of the lines the budget allows.
  assert.ok(w.tokens <= 200 && w.tokens >= 90, `${w.tokens} tokens`);
  assert.equal(w.text, text.slice(w.start, offset));
});

test('the suffix window starts at the cursor and fits its budget', () => {
  const offset = lines.offsetAt(10, 5);
  const w = suffixWindow(text, offset, 50, approximateTokenCounter);
  assert.equal(w.start, offset);
  assert.ok(w.tokens <= 50, `${w.tokens} tokens`);
  assert.ok(w.text.length > 0 && text.slice(offset).startsWith(w.text));
});

test('a window over the whole file start takes all of it', () => {
  const offset = lines.offsetAt(3, 0);
  const w = prefixWindow(text, offset, 10_000, approximateTokenCounter, lines);
  assert.equal(w.start, 0);
  assert.equal(w.text, text.slice(0, offset));
});

test('a file that starts with an empty line is taken whole, not looped over', () => {
  // A Rust file as the itertools crate ships it: a blank first line, the cursor on line 4.
  for (const head of ['\n', '\n\n', '\r\n']) {
    const doc = `${head}use std::iter::FusedIterator;\nuse alloc::rc::Rc;\n\n/// A wrapper\npub struct RcIter<I> {}\n`;
    const offset = doc.indexOf('\n/// A wrapper');
    const w = prefixWindow(doc, offset, 880, approximateTokenCounter, new LineIndex(doc));
    assert.equal(w.start, 0, JSON.stringify(head));
    assert.equal(w.text, doc.slice(0, offset));
  }
  assert.equal(prefixWindow('\n', 1, 100, approximateTokenCounter).text, '\n');
});

test('a zero budget gives empty windows', () => {
  assert.equal(prefixWindow(text, 5_000, 0, approximateTokenCounter, lines).text, '');
  assert.equal(suffixWindow(text, 5_000, 0, approximateTokenCounter).text, '');
});

test('line index converts offsets and positions both ways', () => {
  const idx = new LineIndex('ab\ncd\n\nef');
  assert.equal(idx.lineCount, 4);
  assert.deepEqual(idx.positionAt(4), { line: 1, character: 1 });
  assert.equal(idx.offsetAt(3, 1), 8);
  assert.equal(idx.lineEnd(1), 5);
  assert.deepEqual(idx.positionAt(100), { line: 3, character: 2 });
});

test('the approximate counter counts words by length and symbols one each', () => {
  assert.equal(approximateTokenCounter.count(''), 0);
  assert.equal(approximateTokenCounter.count('a'), 1);
  assert.equal(approximateTokenCounter.count('identifier'), 3);
  assert.equal(approximateTokenCounter.count('f(x);'), 5);
  assert.equal(approximateTokenCounter.count('x\n    y'), 3);
});

test('a memoized counter counts each text once', () => {
  let calls = 0;
  const counter = memoizedCounter({ name: 'characters', count: (t) => (calls++, t.length) }, 4);
  for (const t of ['a', 'bb', 'a', 'ccc', 'bb', 'dddd', 'a']) counter.count(t);
  assert.equal(calls, 4);
  assert.equal(counter.count('bb'), 2);
});
