import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assignSplits, normalizeRatios, splitHash, type SplitItem } from '../../../extension/core/curation/split/split';

const items = (n: number, stratum?: (i: number) => string): SplitItem[] =>
  Array.from({ length: n }, (_, i) => ({ id: i, key: `row-${i}`, stratum: stratum?.(i) }));

const tally = (m: Map<number, string>) => {
  const t: Record<string, number> = {};
  for (const s of m.values()) t[s] = (t[s] ?? 0) + 1;
  return t;
};

test('the split hash is a deterministic number in [0, 1) that depends on the seed', () => {
  const u = splitHash('seed', 'key');
  assert.equal(u, splitHash('seed', 'key'));
  assert.ok(u >= 0 && u < 1);
  assert.notEqual(u, splitHash('other', 'key'));
});

test('same seed, same splits; another seed, other splits; proportions near the ratios', () => {
  const a = assignSplits(items(5000), { seed: 's1' });
  assert.deepEqual([...a], [...assignSplits(items(5000), { seed: 's1' })]);
  const b = assignSplits(items(5000), { seed: 's2' });
  assert.ok([...a].some(([id, s]) => b.get(id) !== s));
  const t = tally(a);
  assert.ok(Math.abs(t.train / 5000 - 0.8) < 0.03 && Math.abs(t.validation / 5000 - 0.1) < 0.02, JSON.stringify(t));
});

test('adding and removing rows never moves the others (unstratified)', () => {
  const before = assignSplits(items(1000), { seed: 'x' });
  const more = [...items(1000), ...Array.from({ length: 300 }, (_, i) => ({ id: 5000 + i, key: `new-${i}` }))].filter((it) => it.id % 7 !== 0);
  const after = assignSplits(more, { seed: 'x' });
  for (const [id, s] of after) if (id < 1000) assert.equal(s, before.get(id));
});

test('rows are placed by content: the same key lands in the same split whatever its id', () => {
  const m = assignSplits([{ id: 1, key: 'same' }, { id: 2, key: 'same' }], { seed: 'z' });
  assert.equal(m.get(1), m.get(2));
});

test('stratified splits give every tag its share (largest remainder)', () => {
  const m = assignSplits(items(100, (i) => (i < 30 ? 'code' : 'chat')), { seed: 'x', stratified: true, ratios: { train: 0.8, validation: 0.1, test: 0.1 } });
  const code = new Map([...m].filter(([id]) => id < 30));
  const chat = new Map([...m].filter(([id]) => id >= 30));
  assert.deepEqual(tally(code), { train: 24, validation: 3, test: 3 });
  assert.deepEqual(tally(chat), { train: 56, validation: 7, test: 7 });
  assert.deepEqual([...m], [...assignSplits(items(100, (i) => (i < 30 ? 'code' : 'chat')), { seed: 'x', stratified: true })]);
});

test('ratios are normalized and must be sensible', () => {
  assert.deepEqual(normalizeRatios({ train: 8, validation: 1, test: 1 }), { train: 0.8, validation: 0.1, test: 0.1 });
  assert.throws(() => normalizeRatios({ train: -1, validation: 1, test: 1 }), RangeError);
  assert.throws(() => normalizeRatios({ train: 0, validation: 0, test: 0 }), RangeError);
});
