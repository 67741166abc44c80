import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CompletionDocument } from '../../../extension/core/completion/context';
import { documentKey } from '../../../extension/core/completion/pipeline';
import { CompletionPolicy, type Fetcher } from '../../../extension/core/completion/policy';
import { completeWithItem } from '../../../extension/core/completion/selectedItem';
import { FakeClock } from '../helpers/fakeClock';

const source = 'const total = items.\nconsole.log(total);\n';
const doc = (text: string, offset: number): CompletionDocument => ({ uri: 'file:///a.ts', languageId: 'typescript', text, version: 3, offset });
const afterDot = source.indexOf('.') + 1;

test('the model completes the document with the selected item inserted; the suggestion starts with the item', () => {
  const withItem = completeWithItem(doc(source, afterDot), { start: afterDot, end: afterDot, text: 'reduce' });
  assert.ok(withItem);
  assert.equal(withItem.doc.text, 'const total = items.reduce\nconsole.log(total);\n');
  assert.equal(withItem.doc.offset, afterDot + 'reduce'.length);
  assert.equal(withItem.doc.version, 3);
  assert.equal(withItem.suggestion('((a, b) => a + b, 0);'), 'reduce((a, b) => a + b, 0);');
});

test('what was typed of the word is replaced by the item (its range covers it), also fuzzily', () => {
  const typed = 'const total = items.rdc\nconsole.log(total);\n';
  const cursor = typed.indexOf('rdc') + 3;
  const withItem = completeWithItem(doc(typed, cursor), { start: cursor - 3, end: cursor, text: 'reduce' });
  assert.ok(withItem);
  assert.equal(withItem.doc.text, source.replace('items.', 'items.reduce'));
  assert.equal(withItem.doc.offset, cursor - 3 + 'reduce'.length);
});

test('replace mode: a range that runs past the cursor replaces the whole word', () => {
  const text = 'items.redXYZ;\n';
  const cursor = text.indexOf('X');
  const withItem = completeWithItem(doc(text, cursor), { start: text.indexOf('red'), end: text.indexOf(';'), text: 'reduce' });
  assert.equal(withItem?.doc.text, 'items.reduce;\n');
  assert.equal(withItem?.doc.offset, 'items.reduce'.length);
});

test('items that cannot be continued on their line, and ranges away from the cursor, get no suggestion', () => {
  const d = doc(source, afterDot);
  assert.equal(completeWithItem(d, { start: afterDot, end: afterDot, text: '' }), undefined);
  assert.equal(completeWithItem(d, { start: afterDot, end: afterDot, text: 'forEach(x => {\n})' }), undefined);
  assert.equal(completeWithItem(d, { start: 0, end: 5, text: 'let' }), undefined, 'range before the cursor');
  assert.equal(completeWithItem(d, { start: afterDot + 1, end: afterDot + 2, text: 'x' }), undefined, 'range after the cursor');
});

test('with the policy: each selected item is its own request and cache entry; going back to an item is a cache hit', async () => {
  const clock = new FakeClock();
  const asked: string[] = [];
  const fetch: Fetcher = (key) => {
    asked.push(key.prefix.slice(key.prefix.lastIndexOf('.') + 1));
    return Promise.resolve({ text: key.prefix.endsWith('reduce') ? '((a, b) => a + b, 0);' : '(String);', cut: false });
  };
  const policy = new CompletionPolicy(fetch, clock, { minDebounceMs: 0, maxDebounceMs: 0 });
  const ask = async (item: string) => {
    const withItem = completeWithItem(doc(source, afterDot), { start: afterDot, end: afterDot, text: item })!;
    const p = policy.provide(documentKey(withItem.doc), new AbortController().signal);
    await clock.advance(10);
    const out = await p;
    return { text: out && withItem.suggestion(out.text), source: out?.source };
  };
  assert.deepEqual(await ask('reduce'), { text: 'reduce((a, b) => a + b, 0);', source: 'model' });
  assert.deepEqual(await ask('map'), { text: 'map(String);', source: 'model' });
  assert.deepEqual(await ask('reduce'), { text: 'reduce((a, b) => a + b, 0);', source: 'cache' });
  assert.deepEqual(asked, ['reduce', 'map']);
});

test('with the policy: a suggestion shown before the widget opened continues through the item that matches it', async () => {
  const clock = new FakeClock();
  let calls = 0;
  const fetch: Fetcher = () => (calls++, Promise.resolve({ text: 'reduce((a, b) => a + b, 0);', cut: false }));
  const policy = new CompletionPolicy(fetch, clock, { minDebounceMs: 0, maxDebounceMs: 0 });
  const plain = policy.provide(documentKey(doc(source, afterDot)), new AbortController().signal);
  await clock.advance(10);
  assert.equal((await plain)?.text, 'reduce((a, b) => a + b, 0);');
  const withItem = completeWithItem(doc(source, afterDot), { start: afterDot, end: afterDot, text: 'reduce' })!;
  const out = await policy.provide(documentKey(withItem.doc), new AbortController().signal);
  assert.equal(out?.source, 'typed-through');
  assert.equal(withItem.suggestion(out?.text ?? ''), 'reduce((a, b) => a + b, 0);', 'the same suggestion, with no new request');
  assert.equal(calls, 1);
});
