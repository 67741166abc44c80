import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PromptLabError } from '../../../extension/core/promptlab/errors';
import { contextWarning, preparePrompt, renderMessages, resolveValues } from '../../../extension/core/promptlab/prompt';
import { parsePrompty } from '../../../extension/core/promptlab/prompty/parse';
import { splitRoles, transcript } from '../../../extension/core/promptlab/roles';
import { compileTemplate, missingVariables } from '../../../extension/core/promptlab/template/render';
import { FakeGenerator } from './fakeGenerator';

const origin = { file: 't.prompty', line: 10 };

test('variables are detected in order; loop vars, set targets, filters and attributes are not inputs', () => {
  const t = compileTemplate(
    '{{ question | upper }}{% for ex in examples %}{{ ex.q }}{{ loop.index }}{% endfor %}{% set n = count + 1 %}{{ n }}{{ data[key] }}{{ "x" if flag is defined }}{% macro m(a) %}{{ a }}{{ outer }}{% endmacro %}{{ range(3) | join(sep) }}',
    origin,
  );
  assert.deepEqual(t.variables, ['question', 'examples', 'count', 'data', 'key', 'flag', 'outer', 'sep']);
});

test('rendering fills variables; missing ones are listed', () => {
  const t = compileTemplate('Hi {{ name }}, {% if formal %}good day{% else %}hey{% endif %}.', origin);
  assert.equal(t.render({ name: 'Ada', formal: true }), 'Hi Ada, good day.');
  assert.deepEqual(missingVariables(t.variables, { name: 'Ada' }), ['formal']);
});

function errorOf(fn: () => unknown): PromptLabError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof PromptLabError, String(err));
    return err;
  }
  assert.fail('expected an error');
}

test('unknown template syntax is reported at its file line', () => {
  const unknown = errorOf(() => compileTemplate('line one\nline two\n{% frobnicate x %}\n', origin));
  assert.deepEqual(unknown.location, { file: 't.prompty', line: 12, field: 'template' });
  assert.match(unknown.message, /^t\.prompty:12: template: Unknown statement type: frobnicate/);
  const unclosedBlock = errorOf(() => compileTemplate('a\n{% if x %}\nb\n', origin));
  assert.equal(unclosedBlock.location.line, 11);
  const unclosedTag = errorOf(() => compileTemplate('a\nb\nc {{ name\n', origin));
  assert.equal(unclosedTag.location.line, 12);
  const badChar = errorOf(() => compileTemplate('ok\n{{ a @ b }}', origin));
  assert.equal(badChar.location.line, 11);
  assert.match(badChar.message, /Unexpected character: @/);
});

test('an unknown filter fails at render time with its line', () => {
  const t = compileTemplate('x\n\n{{ name | shout }}', origin);
  const e = errorOf(() => t.render({ name: 'a' }));
  assert.equal(e.location.line, 12);
  assert.match(e.message, /shout/);
});

test('role markers split the body into messages', () => {
  assert.deepEqual(splitRoles('system:\nBe brief.\n\nuser:\nHi\nthere\nassistant:\nHello\n# User:\nBye'), [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Hi\nthere' },
    { role: 'assistant', content: 'Hello' },
    { role: 'user', content: 'Bye' },
  ]);
  assert.deepEqual(splitRoles('Just a question?\n'), [{ role: 'user', content: 'Just a question?' }]);
  assert.deepEqual(splitRoles('Preamble\nuser:\nQ'), [{ role: 'system', content: 'Preamble' }, { role: 'user', content: 'Q' }]);
  assert.equal(transcript([{ role: 'system', content: 'S' }, { role: 'user', content: 'U' }]), 'System: S\n\nUser: U\n\nAssistant:');
});

test('undefined variables are flagged before running, sample and defaults fill inputs', async () => {
  const { spec, bodyLine } = parsePrompty('---\ninputs:\n  tone:\n    default: calm\nsample:\n  q: hi\n---\nsystem:\nBe {{ tone }}.\nuser:\n{{ q }} {{ extra }}\n', 'p.prompty');
  await assert.rejects(renderMessages(spec, { file: 'p.prompty', line: bodyLine }, {}), (e) => e instanceof PromptLabError && /undefined variable 'extra'/.test(e.message));
  assert.deepEqual(await renderMessages(spec, { file: 'p.prompty', line: bodyLine }, { extra: '!' }), [
    { role: 'system', content: 'Be calm.' },
    { role: 'user', content: 'hi !' },
  ]);
});

test('the prompt uses the chat template when the model has one, and counts tokens with the model', async () => {
  const { spec } = parsePrompty('---\nmodel:\n  parameters:\n    max_tokens: 8\n---\nsystem:\nBe brief.\nuser:\nAdd two and two\n', 'p');
  const chat = await preparePrompt(new FakeGenerator({ respond: () => '', hasChatTemplate: true, contextLength: 10 }), spec, { file: 'p', line: 6 }, {});
  assert.equal(chat.text, '<|system|>Be brief.<|user|>Add two and two<|assistant|>');
  assert.equal(chat.promptTokens, 5);
  assert.match(chat.contextWarning ?? '', /exceed the context window \(10\)/);
  const plain = await preparePrompt(new FakeGenerator({ respond: () => '' }), spec, { file: 'p', line: 6 }, {});
  assert.equal(plain.text, 'System: Be brief.\n\nUser: Add two and two\n\nAssistant:');
  assert.equal(plain.contextWarning, undefined);
});

test('context warning thresholds', () => {
  assert.equal(contextWarning(100, 100, 200), undefined);
  assert.match(contextWarning(150, 100, 200)!, /cut at 50 tokens/);
  assert.match(contextWarning(200, 10, 200)!, /the prompt is 200 tokens/);
});

test('values named like prototype keys are ignored, never assigned', async () => {
  const { spec } = parsePrompty('user:\n{{ q }}\n', 'p');
  const values = JSON.parse('{"q":"ok","__proto__":{"polluted":true},"constructor":"x"}') as Record<string, unknown>;
  const resolved = resolveValues(spec, values);
  assert.equal(Object.getPrototypeOf(resolved), Object.prototype);
  assert.deepEqual(Object.keys(resolved), ['q']);
  assert.deepEqual(await renderMessages(spec, { file: 'p', line: 1 }, values), [{ role: 'user', content: 'ok' }]);
});
