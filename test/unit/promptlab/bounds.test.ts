/**
 * A prompt file cannot hang or freeze Lathe: template rendering has bounds (loop iterations,
 * output size, time) that end in an error naming the line, and in the extension it runs on a
 * worker thread (the host's event loop keeps running; a stuck thread is ended by a watchdog).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Template } from '@huggingface/jinja';
import { PromptLabError } from '../../../extension/core/promptlab/errors';
import { PromptLab } from '../../../extension/core/promptlab/lab';
import { renderBounded } from '../../../extension/core/promptlab/template/boundedRender';
import { DEFAULT_RENDER_LIMITS, TemplateLimitError } from '../../../extension/core/promptlab/template/limits';
import { compileTemplate } from '../../../extension/core/promptlab/template/render';
import { WorkerRenderer } from '../../../extension/core/promptlab/template/workerRenderer';
import { FakeGenerator } from './fakeGenerator';

const WORKER = { path: join(__dirname, '..', '..', '..', 'extension', 'core', 'promptlab', 'template', 'worker', 'main.ts') };
const LOOP_PROMPT = '---\nname: loop\n---\n{% for i in range(100000000) %}x{% endfor %}\n';

function limitError(fn: () => unknown): TemplateLimitError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof TemplateLimitError, String(err));
    return err;
  }
  assert.fail('expected a TemplateLimitError');
}

test('the three-line loop prompt ends in an iteration-limit error naming its line (range is refused before it is built)', () => {
  const e = limitError(() => compileTemplate('{% for i in range(100000000) %}x{% endfor %}', { file: 'loop.prompty', line: 4 }).render({}));
  assert.equal(e.limit, 'iterations');
  assert.equal(e.message, 'loop.prompty:4: template: the template loops more than 100,000 times');
});

test('nested loops count together; the error names the innermost loop', () => {
  const source = 'Items:\n{% for i in range(1000) %}\n  {% for j in range(1000) %}{{ j }}{% endfor %}\n{% endfor %}';
  const limits = { ...DEFAULT_RENDER_LIMITS, maxIterations: 2_000, timeMs: 60_000 };
  const e = limitError(() => compileTemplate(source, { file: 'p.prompty', line: 10 }).render({}, limits));
  assert.equal(e.limit, 'iterations');
  assert.deepEqual(e.location, { file: 'p.prompty', line: 12, field: 'template' });
  assert.equal(e.message, 'p.prompty:12: template: the template loops more than 2,000 times');
  const items = Array.from({ length: 50 }, (_, i) => i);
  const loops = limitError(() => compileTemplate('{% for x in items %}{% for y in items %}.{% endfor %}{% endfor %}', { file: 'p', line: 1 }).render({ items }, limits));
  assert.equal(loops.limit, 'iterations', 'a loop over a value counts too');
  const long = limitError(() => compileTemplate('{% for x in items if x %}.{% endfor %}', { file: 'p', line: 1 }).render({ items: Array.from({ length: 5000 }, (_, i) => i) }, limits));
  assert.equal(long.limit, 'iterations', 'a list longer than the iterations left is refused before the loop copies it');
});

test('output that doubles past the limit is stopped', () => {
  const source = '{% set ns = namespace(s="ab") %}\n{% for i in range(40) %}\n{% set ns.s = ns.s + ns.s %}\n{% endfor %}{{ ns.s }}';
  const e = limitError(() => compileTemplate(source, { file: 'p.prompty', line: 1 }).render({}));
  assert.equal(e.limit, 'output');
  assert.match(e.message, /^p\.prompty:3: template: the template renders more than 8,388,608 characters/);
});

test('a render over its time limit stops at the next check, naming the running loop', () => {
  let t = 0;
  const clock = () => (t += 5);
  for (const source of ['a\nb\n{% for i in range(90000) %}{{ i }}{% endfor %}', 'a\nb\n{% for i in range(90000) %}{% endfor %}']) {
    t = 0;
    const e = limitError(() => renderBounded(new Template(source), source, {}, { ...DEFAULT_RENDER_LIMITS, timeMs: 100 }, { file: 'slow.prompty', line: 2 }, clock));
    assert.equal(e.limit, 'time');
    assert.equal(e.message, 'slow.prompty:4: template: the template took longer than 0.1 s to render', source);
  }
});

test('within the limits, rendering matches @huggingface/jinja exactly', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['{% for m in messages %}{{ loop.index }}:{{ m.role|upper }}={{ m.content }}{% if not loop.last %}, {% endif %}{% endfor %}', { messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }] }],
    ['{% set ns = namespace(n=0) %}{% for i in range(3, 10, 2) %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }} {{ range(3)|join(",") }}', {}],
    ['{% macro greet(name) %}Hi {{ name }}!{% endmacro %}{{ greet("Ann") }} {{ none is none }} {{ True }}', {}],
    ['{% for k, v in d.items() %}{{ k }}={{ v }};{% else %}empty{% endfor %}{{ "x" if flag else "y" }}', { d: { a: 1, b: 2 }, flag: false }],
    ['{{ strftime_now("%Y") }}', {}],
  ];
  for (const [source, values] of cases) assert.equal(compileTemplate(source, { file: 'p', line: 1 }).render(values), new Template(source).render(values), source);
});

test('the worker renderer renders off the calling thread: the event loop keeps running during a long render', async () => {
  // The watchdog's margin is long here: the worker's own clock check is what ends this render.
  const renderer = new WorkerRenderer(WORKER, { maxIterations: 1e9, maxOutputChars: 1e9, timeMs: 200 }, 60_000);
  try {
    assert.equal(await renderer.render({ source: 'Hi {{ name }}', origin: { file: 'p', line: 1 }, values: { name: 'Ann' } }), 'Hi Ann');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const err = await renderer.render({ source: '\n{% for i in range(500000) %}{% endfor %}', origin: { file: 'busy.prompty', line: 3 }, values: {} }).catch((e: unknown) => e);
    clearInterval(timer);
    assert.ok(err instanceof TemplateLimitError, String(err));
    assert.equal(err.message, 'busy.prompty:4: template: the template took longer than 0.2 s to render');
    assert.ok(ticks > 0, 'timers fired while the worker rendered');
    const located = await renderer.render({ source: '{{ x | nosuchfilter }}', origin: { file: 'f.prompty', line: 7 }, values: { x: 1 } }).catch((e: unknown) => e);
    assert.ok(located instanceof PromptLabError && /^f\.prompty:7: template: /.test(located.message), String(located));
  } finally {
    renderer.dispose();
  }
});

test('a render stuck on its thread is ended by the watchdog, and the next render gets a fresh thread', async () => {
  const renderer = new WorkerRenderer({ path: join(__dirname, 'fixtures', 'hangingTemplateWorker.ts') }, { ...DEFAULT_RENDER_LIMITS, timeMs: 100 }, 200);
  try {
    const err = await renderer.render({ source: 'HANG', origin: { file: 'stuck.prompty', line: 1 }, values: {} }).catch((e: unknown) => e);
    assert.ok(err instanceof TemplateLimitError && err.limit === 'time', String(err));
    assert.match(err.message, /^stuck\.prompty: template: the template took longer than 0\.1 s/);
    assert.equal(await renderer.render({ source: '{{ 1 + 1 }}', origin: { file: 'p', line: 1 }, values: {} }), '2');
  } finally {
    renderer.dispose();
  }
});

test('Prompt Lab reports the loop prompt as a problem on its line, through the worker', async () => {
  const renderer = new WorkerRenderer(WORKER);
  try {
    const lab = new PromptLab(() => new FakeGenerator({ respond: () => 'never' }), { renderer: renderer.render });
    const doc = lab.open(LOOP_PROMPT, '/w/loop.prompty', 'loop.prompty');
    const analysis = await lab.analyze({ body: doc.body, parameters: doc.parameters, values: doc.values });
    assert.deepEqual(analysis.problem, { message: 'loop.prompty:4: template: the template loops more than 100,000 times', line: 4, field: 'template' });
    await assert.rejects(lab.run({ body: doc.body, parameters: doc.parameters, values: doc.values }, () => undefined), /loop\.prompty:4: template: the template loops more than 100,000 times/);
  } finally {
    renderer.dispose();
  }
});

test('a 6 MB prompt body is refused before parsing; a 6 MB input is not tokenized to find out it is too long, and does not run', async () => {
  let tokenized = 0;
  const generator = new FakeGenerator({ respond: () => 'x', contextLength: 32_768 });
  const tokenize = generator.tokenize.bind(generator);
  generator.tokenize = (text: string) => ((tokenized += text.length), tokenize(text));
  const lab = new PromptLab(() => generator);
  const big = lab.open(`user:\n${'word '.repeat(1_200_000)}\n`, '/w/big.prompty', 'big.prompty');
  const refused = await lab.analyze({ body: big.body, parameters: big.parameters, values: big.values });
  assert.match(refused.problem?.message ?? '', /^big\.prompty: template: the template is 6,000,007 characters, over the 1,048,576 that are parsed/);
  const doc = lab.open('---\ninputs:\n  text: {type: string}\n---\nuser:\nSummarize: {{ text }}\n', '/w/sum.prompty', 'sum.prompty');
  const draft = { body: doc.body, parameters: doc.parameters, values: { text: 'word '.repeat(1_200_000) } };
  const analysis = await lab.analyze(draft);
  assert.equal(tokenized, 0);
  assert.match(analysis.contextWarning ?? '', /^the prompt is about 1500\d{3} tokens \(estimated from its 6000\d{3} characters; too long to count\); the model's context window is 32768$/);
  await assert.rejects(lab.run(draft, () => undefined), /sum\.prompty: the prompt is about 1500\d{3} tokens/);
  assert.equal(generator.requests.length, 0);
});
