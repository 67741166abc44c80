import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { compileAnswerRule, DEFAULT_ANSWER_PATTERN, extractAnswer, majorityVote, normalizeAnswer, parseSubquestions } from '../../../extension/core/promptlab/cot/answer';
import { readCotConfig } from '../../../extension/core/promptlab/cot/config';
import { listCotTemplates } from '../../../extension/core/promptlab/cot/library';
import { PromptLab } from '../../../extension/core/promptlab/lab';
import { parsePrompty } from '../../../extension/core/promptlab/prompty/parse';
import { FakeGenerator } from './fakeGenerator';

const cotDir = join(__dirname, '..', '..', '..', 'media', 'promptlab', 'cot');

test('answer extraction takes the last match of the rule', () => {
  const rule = compileAnswerRule('[Tt]he answer is:?\\s*(.+)');
  assert.equal(extractAnswer('First I thought the answer is 7.\nThen: 3+5=8.\nThe answer is: 8.', rule), '8.');
  assert.equal(extractAnswer('no conclusion here', rule), undefined);
  const def = compileAnswerRule(DEFAULT_ANSWER_PATTERN);
  assert.equal(extractAnswer('Reasoning...\nFinal answer: $8', def), '$8');
  assert.equal(extractAnswer('Answer: **11:05**', compileAnswerRule('Answer:\\s*(.+)')), '**11:05**');
});

test('normalization makes equivalent answers vote together', () => {
  assert.equal(normalizeAnswer('  **$8.** '), '$8');
  assert.equal(normalizeAnswer('Eleven  O\'Clock.'), "eleven o'clock");
});

test('majority vote counts normalized answers; ties go to the first seen; agreement over all samples', () => {
  const v = majorityVote(['8', '$8', '8.', undefined, '9']);
  assert.equal(v.answer, '8');
  assert.equal(v.count, 2);
  assert.equal(v.total, 5);
  assert.equal(v.agreement, 0.4);
  assert.deepEqual(v.tally, [{ answer: '8', count: 2 }, { answer: '$8', count: 1 }, { answer: '9', count: 1 }]);
  const tie = majorityVote(['a', 'b', 'b', 'a']);
  assert.equal(tie.answer, 'a');
  assert.equal(tie.agreement, 0.5);
  assert.deepEqual(majorityVote([undefined]), { answer: undefined, count: 0, total: 1, agreement: 0, tally: [] });
});

test('sub-questions are read from numbered or bulleted lines', () => {
  assert.deepEqual(parseSubquestions('Sure:\n1. How long is one round?\n2) How many rounds fit?\n'), ['How long is one round?', 'How many rounds fit?']);
  assert.deepEqual(parseSubquestions('- a\n* b'), ['a', 'b']);
  assert.deepEqual(parseSubquestions('What first?\nWhat next?'), ['What first?', 'What next?']);
});

test('strategy config is read from lathe.cot and validated', () => {
  assert.deepEqual(readCotConfig({ lathe: { cot: { strategy: 'self-consistency', samples: 3, answer: 'x(\\d)' } } }, 'f'), { strategy: 'self-consistency', samples: 3, answerPattern: 'x(\\d)' });
  assert.equal(readCotConfig({ lathe: { cot: { strategy: 'zero-shot' } } }, 'f')?.samples, 1);
  assert.equal(readCotConfig({ name: 'x' }, 'f'), undefined);
  assert.throws(() => readCotConfig({ lathe: { cot: { strategy: 'tree-of-thought' } } }, 'f'), /lathe\.cot\.strategy: strategy must be one of/);
  assert.throws(() => readCotConfig({ lathe: { cot: { strategy: 'self-consistency', samples: 0 } } }, 'f'), /samples must be an integer/);
});

test('the shipped library has the five strategies, each parseable with its rule', async () => {
  const list = await listCotTemplates(cotDir);
  assert.deepEqual(list.map((t) => t.id), ['few-shot', 'least-to-most', 'plan-and-solve', 'self-consistency', 'zero-shot']);
  for (const f of readdirSync(cotDir)) {
    const file = parsePrompty(readFileSync(join(cotDir, f), 'utf8'), f);
    const cot = readCotConfig(file.document?.toJS(), f);
    assert.ok(cot, `${f} has lathe.cot`);
    assert.equal(`${cot.strategy}.prompty`, f);
    compileAnswerRule(cot.answerPattern);
  }
});

test('self-consistency samples N times with distinct seeds and votes', async () => {
  const replies = ['so the answer is: 12', 'The answer is: 9', 'The answer is: 12.', 'The answer is 12', 'hmm'];
  const gen = new FakeGenerator({ respond: (_p, call) => replies[call] });
  const lab = new PromptLab(() => gen);
  const doc = lab.open(readFileSync(join(cotDir, 'self-consistency.prompty'), 'utf8'), undefined, 'self-consistency.prompty');
  assert.equal(doc.strategy?.samples, 5);
  const streamed: string[] = [];
  const summary = await lab.run({ body: doc.body, parameters: doc.parameters, values: doc.values }, (t) => streamed.push(t.text));
  assert.deepEqual(gen.requests.map((r) => r.seed), [1, 2, 3, 4, 5]);
  assert.ok(gen.requests.every((r) => r.temperature === 0.7 && r.logprobs === 5));
  assert.equal(summary.answer, '12');
  assert.deepEqual(summary.vote && { count: summary.vote.count, total: summary.vote.total }, { count: 3, total: 5 });
  assert.match(streamed.join(''), /── sample 2\/5 ──\nThe answer is: 9/);
  assert.match(summary.text, /── sample 5\/5 · answer: \(none\) ──\nhmm/);
});

test('least-to-most decomposes, then solves each sub-question with earlier answers in the prompt', async () => {
  const gen = new FakeGenerator({
    respond: (_prompt, call) => (call === 0 ? '1. How long is one round trip?\n2. How many trips fit in 15 minutes?' : call === 1 ? 'Answer: 5 minutes' : 'Answer: 3 times'),
  });
  const lab = new PromptLab(() => gen);
  const doc = lab.open(readFileSync(join(cotDir, 'least-to-most.prompty'), 'utf8'), undefined, 'least-to-most.prompty');
  assert.deepEqual(doc.inputs.map((i) => i.name), ['question']);
  const summary = await lab.run({ body: doc.body, parameters: doc.parameters, values: doc.values }, () => {});
  assert.equal(gen.requests.length, 3);
  assert.match(gen.requests[0].prompt, /Break the problem into/);
  assert.match(gen.requests[2].prompt, /Q: How long is one round trip\?\nA: 5 minutes/);
  assert.match(gen.requests[2].prompt, /Current sub-question: How many trips fit in 15 minutes\?/);
  assert.equal(summary.answer, '3 times');
});

test('stop aborts a multi-sample run after the current sample', async () => {
  const ac = new AbortController();
  const gen = new FakeGenerator({ respond: () => 'one two three The answer is: 4', beforeToken: (i) => i === 1 && ac.abort() });
  const lab = new PromptLab(() => gen);
  const doc = lab.open(readFileSync(join(cotDir, 'self-consistency.prompty'), 'utf8'), undefined, 'sc');
  const summary = await lab.run({ body: doc.body, parameters: doc.parameters, values: doc.values }, () => {}, ac.signal);
  assert.equal(gen.requests.length, 1);
  assert.equal(summary.finishReason, 'abort');
  assert.equal(summary.text.includes('one'), true);
});
