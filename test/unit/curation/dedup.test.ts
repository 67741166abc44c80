import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NearDuplicateIndex } from '../../../extension/core/curation/dedup/lsh';
import { estimateJaccard, jaccard, lshParams, MinHasher } from '../../../extension/core/curation/dedup/minhash';
import { normalizeText, textWords } from '../../../extension/core/curation/dedup/normalize';
import { findDuplicates, findLeakage } from '../../../extension/core/curation/dedup/report';
import { seededRandom as rng } from '../../../extension/core/common/rng';
import { sentence } from '../../../extension/cli/bench/datasetGen';

test('normalization folds case, width and whitespace; textWords keys agree with it', () => {
  assert.equal(normalizeText('  Hello,\n\tWORLD  '), 'hello, world');
  assert.equal(normalizeText('Ｈｅｌｌｏ'), 'hello');
  assert.equal(textWords('Hello  World').key, textWords('hello world').key);
  assert.equal(textWords('Ｈｅｌｌｏ world').key, textWords('hello WORLD').key);
  assert.notEqual(textWords('hello world').key, textWords('hello worlds').key);
  assert.equal(textWords('a b  c').words.length, 3);
});

test('MinHash estimates Jaccard similarity within a few percent', () => {
  const r = rng(3);
  const h = new MinHasher({ numPerm: 256 });
  for (let trial = 0; trial < 20; trial++) {
    const base = sentence(r, 80).split(' ');
    const other = [...base];
    const changes = Math.floor(r() * 20);
    for (let i = 0; i < changes; i++) other[Math.floor(r() * other.length)] = `x${trial}_${i}`;
    const truth = jaccard(h.shingles(base.join(' ')), h.shingles(other.join(' ')));
    const est = estimateJaccard(h.signature(base.join(' ')), h.signature(other.join(' ')));
    assert.ok(Math.abs(est - truth) < 0.12, `trial ${trial}: estimate ${est} vs exact ${truth}`);
  }
});

test('LSH banding puts the S-curve midpoint near the threshold', () => {
  for (const t of [0.5, 0.7, 0.8, 0.9]) {
    const { bands, rows } = lshParams(128, t);
    assert.ok(bands * rows <= 128);
    assert.ok(Math.abs(Math.pow(1 / bands, 1 / rows) - (t - 0.05)) < 0.08, `t=${t}: b=${bands} r=${rows}`);
  }
});

test('near-duplicate recall on planted pairs, and no false pairs among unrelated rows', () => {
  const r = rng(11);
  const texts: string[] = [];
  for (let i = 0; i < 400; i++) texts.push(sentence(r, 60 + Math.floor(r() * 40)));
  const planted: Array<[number, number]> = [];
  for (let i = 0; i < 50; i++) {
    const src = Math.floor(r() * 400);
    const words = texts[src].split(' ');
    words[Math.floor(r() * words.length)] = 'planted';
    planted.push([src, texts.length]);
    texts.push(words.join(' '));
  }
  const index = new NearDuplicateIndex({ threshold: 0.8 });
  texts.forEach((t, i) => index.add(i, t));
  const clusters = index.clusters();
  const together = (a: number, b: number) => clusters.some((c) => c.ids.includes(a) && c.ids.includes(b));
  const found = planted.filter(([a, b]) => together(a, b)).length;
  assert.ok(found / planted.length >= 0.95, `recall ${found}/${planted.length}`);
  const plantedIds = new Set(planted.flat());
  const stray = clusters.filter((c) => c.ids.some((id) => !plantedIds.has(id)));
  assert.deepEqual(stray, [], 'random sentences are not near-duplicates');
});

test('the threshold is adjustable: a looser threshold finds a more distant pair', () => {
  const a = 'the quick brown fox jumps over the lazy dog near the river bank today';
  const b = 'the quick brown fox jumps over the lazy cat near the river bank today';
  const strict = findDuplicates([{ id: 1, text: a }, { id: 2, text: b }], { threshold: 0.9 });
  const loose = findDuplicates([{ id: 1, text: a }, { id: 2, text: b }], { threshold: 0.5 });
  assert.equal(strict.groups.length, 0);
  assert.deepEqual(loose.groups.map((g) => [g.kind, g.ids]), [['near', [1, 2]]]);
});

test('exact duplicates after normalization, and leakage across splits', () => {
  const report = findDuplicates([
    { id: 1, text: 'How do I reset my password?' },
    { id: 2, text: 'how do i   reset my PASSWORD?' },
    { id: 3, text: 'Something else entirely, unrelated to accounts.' },
  ]);
  assert.deepEqual(report.groups, [{ kind: 'exact', ids: [1, 2], similarity: 1 }]);
  assert.equal(report.redundant, 1);
  const split = new Map([[1, 'train'], [2, 'test'], [3, 'train']]);
  const leaks = findLeakage(report, (id) => split.get(id));
  assert.deepEqual(leaks.map((l) => l.splits), [{ train: [1], test: [2] }]);
  assert.deepEqual(findLeakage(report, () => 'train'), []);
});
