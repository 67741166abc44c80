import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PromptLabError } from '../../../extension/core/promptlab/errors';
import { parsePrompty } from '../../../extension/core/promptlab/prompty/parse';
import { serializePrompty } from '../../../extension/core/promptlab/prompty/write';

const fixture = join(__dirname, '..', '..', 'fixtures', 'promptlab', 'qa.prompty');
const qa = readFileSync(fixture, 'utf8');

test('reads the v1 fields of a .prompty', () => {
  const { spec, bodyLine } = parsePrompty(qa, 'qa.prompty');
  assert.equal(spec.name, 'Question answering');
  assert.equal(spec.description, 'Answers a question in one line');
  assert.equal(spec.model.api, 'chat');
  assert.deepEqual(spec.model.configuration, { type: 'lathe' });
  assert.deepEqual(spec.model.parameters, { temperature: 0.2, maxTokens: 64, stop: ['\n\n'] });
  assert.deepEqual(spec.inputs, [
    { name: 'question', kind: 'string', description: "The user's question", default: undefined, required: undefined },
    { name: 'tone', kind: 'string', description: undefined, default: 'friendly', required: undefined },
  ]);
  assert.deepEqual(spec.sample, { question: 'What is 2 + 2?' });
  assert.equal(spec.templateFormat, 'jinja2');
  assert.equal(bodyLine, 28);
  assert.equal(spec.body.split('\n')[0], 'system:');
});

test('reads the v2 draft inputs list with kinds and model options', () => {
  const text = '---\nname: v2\nmodel:\n  options:\n    top_p: 0.9\n    top_k: 40\n    min_p: 0.05\n    seed: 7\ninputs:\n  - name: code\n    kind: string\n    required: true\n  - name: n\n    kind: integer\n    default: 3\n---\nuser:\n{{ code }} {{ n }}\n';
  const { spec } = parsePrompty(text, 'v2.prompty');
  assert.deepEqual(spec.model.parameters, { topP: 0.9, topK: 40, minP: 0.05, seed: 7 });
  assert.deepEqual(spec.inputs.map((i) => [i.name, i.kind, i.required, i.default]), [['code', 'string', true, undefined], ['n', 'number', undefined, 3]]);
});

test('round-trip without edits is byte for byte', () => {
  assert.equal(serializePrompty(parsePrompty(qa, 'qa.prompty')), qa);
});

test('edits touch only their fields; unknown keys and comments survive', () => {
  const file = parsePrompty(qa, 'qa.prompty');
  const out = serializePrompty(file, { parameters: { temperature: 0.7, maxTokens: 64, stop: ['\n\n'], topK: 20 }, sample: { question: 'Why?' }, body: 'user:\n{{ question }}!\n' });
  const again = parsePrompty(out, 'qa.prompty');
  assert.deepEqual(again.spec.model.parameters, { temperature: 0.7, maxTokens: 64, stop: ['\n\n'], topK: 20 });
  assert.deepEqual(again.spec.sample, { question: 'Why?' });
  assert.equal(again.spec.body, 'user:\n{{ question }}!\n');
  const front = again.document!.toJS() as Record<string, unknown>;
  assert.deepEqual(front['x-owner'], { team: 'prompt-design', tags: ['qa', 'short'] });
  assert.deepEqual(front.authors, ['lathe']);
  assert.match(out, /# A question-answering prompt used by the unit tests\./);
  assert.match(out, /temperature: 0\.7 # low/);
  assert.ok(out.indexOf('x-owner') < out.indexOf('model:'), 'key order kept');
});

test('removing a parameter deletes only that key', () => {
  const file = parsePrompty(qa, 'qa.prompty');
  const out = serializePrompty(file, { parameters: { maxTokens: 64, stop: ['\n\n'] } });
  assert.doesNotMatch(out, /temperature/);
  assert.match(out, /max_tokens: 64/);
});

test('a file without front matter is all body; saving parameters adds front matter', () => {
  const file = parsePrompty('Say hi to {{ name }}\n', 'plain.prompty');
  assert.equal(file.spec.body, 'Say hi to {{ name }}\n');
  assert.equal(serializePrompty(file), 'Say hi to {{ name }}\n');
  const out = serializePrompty(file, { parameters: { temperature: 0 } });
  assert.equal(parsePrompty(out, 'plain.prompty').spec.model.parameters.temperature, 0);
  assert.ok(out.endsWith('---\nSay hi to {{ name }}\n'));
});

function errorOf(fn: () => unknown): PromptLabError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof PromptLabError, `expected PromptLabError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected an error');
}

test('malformed YAML front matter names the file and line', () => {
  const e = errorOf(() => parsePrompty('---\nname: x\nmodel:\n  parameters: [1, 2\nfoo: 1\n---\nhi\n', 'bad.prompty'));
  assert.equal(e.location.file, 'bad.prompty');
  assert.ok(e.location.line !== undefined && e.location.line >= 4 && e.location.line <= 6, `line ${e.location.line}`);
  assert.match(e.message, /^bad\.prompty:\d+: invalid YAML front matter/);
});

test('front matter nested deeper than the limit is refused on its line before YAML parses it', () => {
  const deep = `${'['.repeat(3000)}${']'.repeat(3000)}`;
  const e = errorOf(() => parsePrompty(`---\nname: x\ndeep: ${deep}\n---\nhi\n`, 'deep.prompty'));
  assert.equal(e.location.line, 3);
  assert.match(e.message, /nested more than 512 levels deep/);
  // Brackets that close again, however many, are fine.
  const wide = parsePrompty(`---\nname: x\nlist: ${'[1], '.repeat(2000).replace(/, $/, '').replace(/^/, '[')}]\n---\nhi\n`, 'wide.prompty');
  assert.equal(wide.spec.name, 'x');
});

test('a wrong field type names the field and its line', () => {
  const e = errorOf(() => parsePrompty('---\nname: x\nmodel:\n  api: chat\n  parameters:\n    temperature: hot\n---\nhi\n', 'p.prompty'));
  assert.deepEqual(e.location, { file: 'p.prompty', line: 6, field: 'model.parameters.temperature' });
  assert.equal(e.message, 'p.prompty:6: model.parameters.temperature: must be a number');
});

test('unknown api, input kind, template format and unclosed front matter are errors', () => {
  assert.equal(errorOf(() => parsePrompty('---\nmodel:\n  api: embeddings\n---\n', 'a')).location.field, 'model.api');
  const kind = errorOf(() => parsePrompty('---\ninputs:\n  x:\n    type: tensor\n---\n', 'a'));
  assert.deepEqual(kind.location, { file: 'a', line: 4, field: 'inputs.x.type' });
  assert.equal(errorOf(() => parsePrompty('---\ntemplate: mustache\n---\n', 'a')).location.line, 2);
  assert.deepEqual(errorOf(() => parsePrompty('---\nname: x\n', 'a')).location, { file: 'a', line: 1 });
});

test("a sample given as ${file:…} is read from JSON next to the prompt and never overwritten", () => {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-prompty-'));
  writeFileSync(join(dir, 'sample.json'), '{"question": "from file"}');
  const text = '---\nname: ref\nsample: ${file:sample.json}\n---\nuser:\n{{ question }}\n';
  const file = parsePrompty(text, join(dir, 'ref.prompty'));
  assert.deepEqual(file.spec.sample, { question: 'from file' });
  const out = serializePrompty(file, { sample: { question: 'edited' }, parameters: { temperature: 0 } });
  assert.match(out, /sample: \$\{file:sample\.json\}/);
  const missing = errorOf(() => parsePrompty(text, join(dir, 'sub', 'ref.prompty')));
  assert.deepEqual({ line: missing.location.line, field: missing.location.field }, { line: 3, field: 'sample' });
  assert.match(missing.message, /cannot read .*sample\.json/);
});
