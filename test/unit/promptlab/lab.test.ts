import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PromptLab } from '../../../extension/core/promptlab/lab';
import { parsePrompty } from '../../../extension/core/promptlab/prompty/parse';
import type { RunToken } from '../../../extension/core/promptlab/labTypes';
import { TokenBatcher, runToken } from '../../../extension/core/promptlab/tokenBatch';
import { FakeGenerator } from './fakeGenerator';

/** A lab over one generator for the whole test. */
const labOf = (generator: FakeGenerator) => new PromptLab(() => generator);

const TEXT = `---
name: greet
x-team: prompts
model:
  parameters:
    max_tokens: 5
inputs:
  name:
    type: string
  count:
    type: number
    default: 2
---
user:
Say hi to {{ name }} {{ count }} times{{ suffix }}
`;

test('a document offers declared inputs and detected variables, with defaults filled', () => {
  const lab = labOf(new FakeGenerator({ respond: () => '' }));
  const doc = lab.open(TEXT, '/w/greet.prompty', 'greet.prompty');
  assert.equal(doc.label, 'greet.prompty');
  assert.deepEqual(doc.inputs.map((i) => [i.name, i.kind]), [['name', 'string'], ['count', 'number'], ['suffix', 'string']]);
  assert.deepEqual(doc.values, { name: '', count: '2', suffix: '' });
  assert.deepEqual(doc.parameters, { maxTokens: 5 });
});

test('analysis flags undefined variables, then counts tokens once all are set', async () => {
  const lab = labOf(new FakeGenerator({ respond: () => '', contextLength: 12 }));
  const doc = lab.open(TEXT, '/w/greet.prompty', 'greet.prompty');
  const missing = await lab.analyze({ body: doc.body, parameters: doc.parameters, values: { ...doc.values, name: 'Ada' } });
  assert.deepEqual(missing.missing, ['suffix']);
  assert.equal(missing.promptTokens, undefined);
  const ok = await lab.analyze({ body: doc.body, parameters: doc.parameters, values: { name: 'Ada', count: '3', suffix: '!' } });
  assert.deepEqual(ok.missing, []);
  assert.equal(ok.promptTokens, 8); // "User: Say hi to Ada 3 times! Assistant:"
  assert.equal(ok.contextLength, 12);
  assert.match(ok.contextWarning ?? '', /exceed the context window/);
});

test('analysis reports template errors and bad input values with a short file:line', async () => {
  const lab = labOf(new FakeGenerator({ respond: () => '' }));
  const doc = lab.open(TEXT, '/w/greet.prompty', 'greet.prompty');
  const broken = await lab.analyze({ body: 'user:\n{% if name %}hi', parameters: {}, values: doc.values });
  assert.deepEqual(broken.problem, { message: "greet.prompty:15: template: '{% if %}' is never closed", line: 15, field: 'template' });
  const badNumber = await lab.analyze({ body: doc.body, parameters: {}, values: { ...doc.values, count: 'many', name: 'x', suffix: '' } });
  assert.match(badNumber.problem?.message ?? '', /greet\.prompty: inputs\.count: 'many' is not a number/);
});

test('a run streams tokens with logprobs and alternatives, and Stop aborts it', async () => {
  const ac = new AbortController();
  const gen = new FakeGenerator({ respond: () => 'one two three four', beforeToken: (i) => i === 2 && ac.abort(), logprob: (i) => -i });
  const lab = labOf(gen);
  const doc = lab.open(TEXT, '/w/greet.prompty', 'greet.prompty');
  const streamed: RunToken[] = [];
  const summary = await lab.run({ body: doc.body, parameters: { maxTokens: 9, temperature: 0.5, topK: 3, stop: ['\n'] }, values: { name: 'Ada', count: '1', suffix: '.' } }, (t) => streamed.push(t), ac.signal);
  assert.deepEqual(streamed.map((t) => [t.text, t.logprob]), [['one', -0], [' two', -1]]);
  assert.deepEqual(streamed[0].top, [{ token: 'one', logprob: -0 }, { token: ' alt', logprob: -1 }]);
  assert.equal(summary.finishReason, 'abort');
  assert.equal(summary.text, 'one two');
  const request = gen.requests[0];
  // The fake model has no chat template: the prompt is a transcript, and the run also stops at the next turn.
  assert.deepEqual([request.maxTokens, request.temperature, request.topK, request.stop, request.logprobs], [9, 0.5, 3, ['\n', '\nUser:', '\nAssistant:', '\nSystem:'], 5]);
  assert.equal(request.prompt, 'User: Say hi to Ada 1 times.\n\nAssistant:');
});

test('saving writes the draft back and keeps unknown keys; typed values become the sample', () => {
  const lab = labOf(new FakeGenerator({ respond: () => '' }));
  const doc = lab.open(TEXT, '/w/greet.prompty', 'greet.prompty');
  const text = lab.serialize({ body: doc.body.replace('hi', 'hello'), parameters: { maxTokens: 7 }, values: { name: 'Ada', count: '2', suffix: '' } });
  const again = parsePrompty(text, 'greet.prompty');
  assert.deepEqual(again.spec.sample, { name: 'Ada' });
  assert.equal(again.spec.model.parameters.maxTokens, 7);
  assert.match(again.spec.body, /Say hello to/);
  assert.equal((again.document?.toJS() as Record<string, unknown>)['x-team'], 'prompts');
});

test('evaluation needs a saved prompt', () => {
  const lab = labOf(new FakeGenerator({ respond: () => '' }));
  const doc = lab.open(TEXT, undefined, 'greet.prompty');
  assert.equal(doc.label, 'greet.prompty (unsaved)');
  assert.throws(() => lab.evaluationInput({ body: doc.body, parameters: {}, values: {} }), /save the prompt first/);
});

test('the token batcher sends one message per scheduled flush and drops non-finite logprobs', () => {
  const sent: RunToken[][] = [];
  const scheduled: Array<() => void> = [];
  const b = new TokenBatcher((t) => sent.push(t), (f) => scheduled.push(f));
  b.push({ text: 'a' });
  b.push({ text: 'b' });
  assert.equal(scheduled.length, 1);
  scheduled[0]();
  b.push({ text: 'c' });
  b.flush();
  assert.deepEqual(sent, [[{ text: 'a' }, { text: 'b' }], [{ text: 'c' }]]);
  assert.deepEqual(runToken({ text: 'x', tokenId: 1, logprob: -Infinity, top: [{ token: 'y', logprob: Number.NaN }, { token: 'x', logprob: -1 }] }), { text: 'x', logprob: undefined, top: [{ token: 'x', logprob: -1 }] });
});
