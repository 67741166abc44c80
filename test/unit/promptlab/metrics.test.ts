import assert from 'node:assert/strict';
import { test } from 'node:test';
import { check } from '../../../extension/core/promptlab/eval/assertions';
import { parseJsonOutput, validateJsonSchema } from '../../../extension/core/promptlab/eval/jsonSchema';
import { bleu, lcsLength, metricTokens, perplexity, rougeL } from '../../../extension/core/promptlab/metrics/text';

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);

test('tokens are lower-cased words and punctuation marks', () => {
  assert.deepEqual(metricTokens('The cat, sat.'), ['the', 'cat', ',', 'sat', '.']);
});

test('BLEU-4 matches the hand-computed value with add-one smoothing for n > 1', () => {
  // p1 = 5/6; p2 = (3+1)/(5+1); p3 = (1+1)/(4+1); p4 = (0+1)/(3+1); BP = 1 → (1/18)^(1/4)
  const b = bleu('the cat sat on the mat', 'the cat is on the mat');
  close(b.score, Math.pow(1 / 18, 0.25));
  assert.deepEqual(b.precisions, [5 / 6, 3 / 5, 1 / 4, 0]);
  assert.equal(b.brevityPenalty, 1);
  close(bleu('the cat', 'the cat is on the mat').score, Math.exp(-2));
  assert.equal(bleu('dog', 'the cat').score, 0);
  assert.equal(bleu('', 'x').score, 0);
  close(bleu('Same words here', 'same words here').score, 1);
});

test('ROUGE-L is the LCS F1', () => {
  assert.equal(lcsLength(['a', 'b', 'c', 'd'], ['a', 'c']), 2);
  const r = rougeL('the cat sat on the mat', 'the cat is on the mat');
  close(r.precision, 5 / 6);
  close(r.recall, 5 / 6);
  close(r.f1, 5 / 6);
  close(rougeL('a b c d', 'a c').f1, 2 / 3);
  assert.equal(rougeL('', 'a').f1, 0);
});

test('perplexity is exp of the mean negative logprob', () => {
  close(perplexity([Math.log(0.5), Math.log(0.25)])!, Math.sqrt(8));
  close(perplexity([0, 0, 0])!, 1);
  assert.equal(perplexity([undefined]), undefined);
});

test('JSON schema subset: type, properties, required, items, enum', () => {
  const schema = {
    type: 'object',
    required: ['name', 'tags'],
    properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 }, tags: { type: 'array', items: { enum: ['a', 'b'] } } },
    additionalProperties: false,
  } as const;
  assert.deepEqual(validateJsonSchema({ name: 'x', tags: ['a'] }, schema), []);
  assert.deepEqual(validateJsonSchema({ name: 1, age: 1.5, tags: ['c'], extra: true }, schema), [
    '$.name: expected string, got integer',
    '$.age: expected integer, got number',
    '$.tags[0]: must be one of "a", "b"',
    "$: unexpected property 'extra'",
  ]);
  assert.deepEqual(validateJsonSchema({}, schema), ["$: missing required property 'name'", "$: missing required property 'tags'"]);
  assert.deepEqual(validateJsonSchema([1, 'x'], { type: 'array', items: { type: 'number' } }), ['$[1]: expected number, got string']);
  assert.deepEqual(validateJsonSchema(3, { type: ['string', 'number'] }), []);
  assert.deepEqual(validateJsonSchema(null, { type: 'object' }), ['$: expected object, got null']);
});

test('JSON is found in plain, fenced or embedded output', () => {
  assert.deepEqual(parseJsonOutput('{"a":1}'), { ok: true, value: { a: 1 } });
  assert.deepEqual(parseJsonOutput('Here:\n```json\n[1,2]\n```\n'), { ok: true, value: [1, 2] });
  assert.deepEqual(parseJsonOutput('Result: {"ok": true} done'), { ok: true, value: { ok: true } });
  assert.equal(parseJsonOutput('no json').ok, false);
});

const obs = (output: string) => ({ output, logprobs: [Math.log(0.5)], latencyMs: 120 });

test('assertions pass and fail on the right outputs', () => {
  const row = { expected: '4' };
  assert.equal(check({ type: 'equals' }, undefined, obs(' 4\n'), row).pass, true);
  assert.equal(check({ type: 'equals' }, undefined, obs('four'), row).pass, false);
  assert.equal(check({ type: 'contains', value: 'is 4' }, 'is 4', obs('it is 4.'), row).pass, true);
  assert.equal(check({ type: 'icontains' }, 'IS 4', obs('it is 4.'), row).pass, true);
  assert.equal(check({ type: 'not-contains' }, 'error', obs('fine'), row).pass, true);
  assert.equal(check({ type: 'regex', value: '^\\d+$' }, '^\\d+$', obs('42'), row).pass, true);
  assert.equal(check({ type: 'regex', value: '^\\d+$' }, '^\\d+$', obs('42a'), row).pass, false);
  assert.equal(check({ type: 'is-json' }, undefined, obs('{"a":'), row).pass, false);
  const schema = check({ type: 'json-schema' }, { type: 'object', required: ['a'] }, obs('{"b":1}'), row);
  assert.deepEqual(schema, { type: 'json-schema', pass: false, message: "$: missing required property 'a'" });
  const b = check({ type: 'bleu', threshold: 0.4 }, undefined, obs('the cat sat on the mat'), { expected: 'the cat is on the mat' });
  assert.equal(b.pass, true);
  close(b.score!, Math.pow(1 / 18, 0.25));
  const r = check({ type: 'rouge-l' }, undefined, obs('a b c d'), { expected: 'a c' });
  assert.equal(r.pass, true);
  close(check({ type: 'perplexity', threshold: 1.5 }, undefined, obs('x'), row).score!, 2);
  assert.equal(check({ type: 'perplexity', threshold: 1.5 }, undefined, obs('x'), row).pass, false);
  assert.deepEqual(check({ type: 'latency', threshold: 100 }, undefined, obs('x'), row), { type: 'latency', score: 120, pass: false, message: '120.000 > 100' });
  assert.deepEqual(check({ type: 'latency' }, undefined, obs('x'), row), { type: 'latency', score: 120, pass: true });
  assert.deepEqual(check({ type: 'equals' }, undefined, obs('x'), {}), { type: 'equals', pass: false, message: "equals needs a value or an 'expected' field in the row" });
});
