import assert from 'node:assert/strict';
import { test } from 'node:test';
import { looksLikeBlockStart, PlainContextBuilder, type CompletionDocument } from '../../../extension/core/completion/context';
import { fimTemplate } from '../../../extension/core/completion/fimTemplates';
import { detectFim } from '../../../extension/core/models/fim';
import { CompletionPipeline, DEFAULT_COMPLETION_BEAMS } from '../../../extension/core/completion/pipeline';
import { ScriptedGenerator } from '../helpers/scriptedGenerator';
import { createCompletionPipeline } from '../../../extension/core/completion/stack';
import { testEngine } from '../context/helpers';

const fim = detectFim({
  tokens: new Set(['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|endoftext|>']),
  declared: { prefix: '<|fim_prefix|>', suffix: '<|fim_suffix|>', middle: '<|fim_middle|>' },
})!;
const template = fimTemplate(fim);

function doc(text: string, languageId = 'typescript'): CompletionDocument {
  const offset = text.indexOf('|');
  return { uri: 'file:///a.ts', languageId, text: text.replace('|', ''), version: 1, offset, insertSpaces: true, tabSize: 2 };
}

test('single-line: FIM prompt from the windows, newline stop, suffix overlap removed', async () => {
  const gen = new ScriptedGenerator(['a, ', 'b)', ';\n', 'junk']);
  const p = new CompletionPipeline(gen, template, new PlainContextBuilder());
  const r = await p.complete(doc('const s = sum(|);\n'));
  assert.equal(gen.requests[0].prompt, '<|fim_prefix|>const s = sum(<|fim_suffix|>);\n<|fim_middle|>');
  assert.ok(gen.requests[0].stop?.includes('\n'));
  assert.equal(gen.requests[0].temperature, 0);
  assert.equal(gen.requests[0].beams, DEFAULT_COMPLETION_BEAMS, 'the first line is beam-searched by default');
  assert.equal(gen.requests[0].promptCopy, true, 'prompt copy is on by default');
  assert.deepEqual(gen.requests[0].copySources, [], 'the windows hold the whole document: nothing more to copy from');
  assert.equal(r.multiline, false);
  assert.equal(r.completion, 'a, b');
  const greedy = new ScriptedGenerator(['x']);
  await new CompletionPipeline(greedy, template, new PlainContextBuilder(), { beams: 1, promptCopy: false }).complete(doc('f(|)'));
  assert.equal(greedy.requests[0].beams, 1);
  assert.equal(greedy.requests[0].promptCopy, false);
  assert.equal(greedy.requests[0].copySources, undefined);
});

test('an answer the token limit stopped is reported cut; one that ended its line is not', async () => {
  const limited = new CompletionPipeline(new ScriptedGenerator(['mount', '(app', ', routes', ');\n']), template, new PlainContextBuilder(), { maxTokensSingleLine: 2 });
  const cut = await limited.complete(doc('server.|'));
  assert.deepEqual([cut.completion, cut.cut], ['mount(app', true]);
  assert.deepEqual(await limited.fetch({ languageId: 'typescript', prefix: 'server.', suffix: '', doc: doc('server.|') }, new AbortController().signal, () => undefined), { text: 'mount(app', cut: true });
  const whole = await new CompletionPipeline(new ScriptedGenerator(['mount', '(app', ', routes', ');\n']), template, new PlainContextBuilder()).complete(doc('server.|'));
  assert.deepEqual([whole.completion, whole.cut], ['mount(app, routes);', false]);
});

test('multi-line at a block start: first line reported early, block end cut', async () => {
  const gen = new ScriptedGenerator(['  const d', ' = a - b;\n', '  return d * d;\n', '}\n', 'function next() {}']);
  const p = new CompletionPipeline(gen, template, new PlainContextBuilder());
  const firsts: string[] = [];
  const r = await p.complete(doc('function sq(a: number, b: number) {\n|\n'), undefined, (t) => firsts.push(t));
  assert.equal(r.multiline, true);
  assert.deepEqual(firsts, ['  const d = a - b;']);
  assert.equal(r.completion, '  const d = a - b;\n  return d * d;');
});

test('block-start detection', () => {
  assert.equal(looksLikeBlockStart('if (x) {\n  ', '\n}'), true);
  assert.equal(looksLikeBlockStart('def f():\n    ', ''), true);
  assert.equal(looksLikeBlockStart('x = 1\n', ''), false);
  assert.equal(looksLikeBlockStart('if (x) {\n  foo', ''), false);
});

test('prompt budget: a small context window keeps a quarter for the answer, a big one the multi-line maximum', async () => {
  for (const [contextLength, expected] of [
    [384, 384 - 96 - 16],
    [4096, 1536],
    [1024, 1024 - 128 - 16],
  ] as const) {
    const gen = new ScriptedGenerator(['x']);
    gen.info = () => Promise.resolve({ id: 'scripted', contextLength, vocabSize: 10, hasChatTemplate: false });
    const seen: number[] = [];
    const plain = new PlainContextBuilder();
    const builder = { build: (d: CompletionDocument, limits: { maxTokens: number }) => (seen.push(limits.maxTokens), plain.build(d, limits)) };
    await new CompletionPipeline(gen, template, builder).complete(doc('const a = |;\n'));
    assert.deepEqual(seen, [expected], `context ${contextLength}`);
  }
});

test('a generation caught in a loop is stopped early and the loop cut', async () => {
  const gen = new ScriptedGenerator(['this', '.state', '.state', '.state', '.state', '.state', '.state', '.state', '.state', '.state']);
  const r = await new CompletionPipeline(gen, template, new PlainContextBuilder()).complete(doc('if (|)\n'));
  assert.equal(gen.aborted, 1, 'the request was aborted once the loop showed');
  assert.ok(r.raw.length < 'this'.length + 9 * '.state'.length, `stopped before the end: ${r.raw}`);
  assert.equal(r.completion, 'this.state');
});

const pyTemplate = template;
function pyDoc(text: string): CompletionDocument {
  const offset = text.indexOf('|');
  return { uri: 'file:///m.py', languageId: 'python', text: text.replace('|', ''), version: 1, offset, insertSpaces: true, tabSize: 4 };
}

test('twenty-one lines of `self.output = None` after `self.` in a class body: one line shown, the generation stopped', async () => {
  const pieces = ['output', ' = None', '\n'];
  for (let i = 0; i < 20; i++) pieces.push('        self', '.output', ' = None', '\n');
  const gen = new ScriptedGenerator(pieces);
  const p = new CompletionPipeline(gen, pyTemplate, new PlainContextBuilder(), { multiline: 'always' });
  const r = await p.complete(pyDoc('class Model:\n    def __init__(self):\n        self.|\n'));
  assert.equal(r.completion, 'output = None');
  assert.equal(gen.aborted, 1, 'stopped once the line repeated');
  assert.ok(r.raw.split('\n').length <= 3, `stopped early: ${JSON.stringify(r.raw)}`);
});

test('a multi-line suggestion never has more lines than maxLines', async () => {
  const gen = new ScriptedGenerator(['a = 1\n', '    b = 2\n', '    c = 3\n', '    d = 4\n', '    e = 5\n']);
  const p = new CompletionPipeline(gen, pyTemplate, new PlainContextBuilder(), { multiline: 'always', maxLines: 2 });
  const r = await p.complete(pyDoc('def f():\n    |\n'));
  assert.equal(r.completion, 'a = 1\n    b = 2');
  assert.equal(gen.aborted, 1);
});

test('the gate hides an unsure suggestion, says why, and asks the engine for log-probabilities', async () => {
  // The scripted generator gives every piece a log-probability of -0.5: a long line adds up to an unsure one.
  const gen = new ScriptedGenerator(['x', ' +', ' y', ' *', ' z', ' -', ' w', ' /', ' q', '\n']);
  const hidden: string[] = [];
  const p = new CompletionPipeline(gen, template, new PlainContextBuilder(), { gate: { threshold: 0.5 }, onHidden: (v) => hidden.push(`${v.reason}: ${v.detail}`) });
  const r = await p.complete(doc('const x = 1, y = 2, z = 3, w = 4, q = 5;\nconst total = |\n'));
  assert.equal(gen.requests[0].logprobs, 0);
  assert.equal(r.candidate, 'x + y * z - w / q');
  assert.equal(r.completion, '');
  assert.equal(r.verdict.show, false);
  assert.equal(hidden.length, 1);
  assert.match(hidden[0], /^low-confidence: score 0\.\d+ < 0\.500/);
  const sure = await new CompletionPipeline(new ScriptedGenerator(['x;', '\n']), template, new PlainContextBuilder(), { gate: { threshold: 0.5 } }).complete(doc('const x = 1;\nconst y = |\n'));
  assert.equal(sure.completion, 'x;');
  assert.ok(sure.verdict.score! >= 0.5);
});

test('a multi-line suggestion whose first line the gate hides is stopped and never reported early', async () => {
  const gen = new ScriptedGenerator(['  return fooBarBazQux(a, b)', ' + 1;\n', '  more();\n', '  andMore();\n']);
  const firsts: string[] = [];
  const p = new CompletionPipeline(gen, template, new PlainContextBuilder(), { gate: { threshold: 0.3 } });
  const r = await p.complete(doc('function sq(a: number, b: number) {\n|\n'), undefined, (t) => firsts.push(t));
  assert.equal(r.completion, '');
  assert.equal(r.verdict.reason, 'invented-name');
  assert.deepEqual(firsts, []);
  assert.equal(gen.aborted, 1);
});

test('with the tree-sitter context, a one-line suggestion that opens a block is shown (the user types the rest)', async () => {
  const { engine } = testEngine();
  try {
    const gen = new ScriptedGenerator(['for (const x of xs) {', '\n']);
    const pipeline = createCompletionPipeline({ generator: gen, fim }, { contextEngine: engine, multiline: 'never' });
    const r = await pipeline.complete(doc('export function total(xs: number[]): number {\n  let sum = 0;\n  |\n  return sum;\n}\n'));
    assert.equal(r.completion, 'for (const x of xs) {');
  } finally {
    engine.dispose();
  }
});

test('with the tree-sitter context, prompt copy also copies from the other open documents of the same language family, most recent first', async () => {
  const { engine } = testEngine();
  try {
    const open = (uri: string, languageId: string, text: string) => engine.openDocument({ uri, languageId, version: 1, text });
    await open('file:///older.ts', 'typescript', 'export const older = 1;\nregister(quantumFlux);\n');
    await open('file:///notes.py', 'python', 'older = 2\n');
    await open('file:///view.tsx', 'typescriptreact', 'export const view = <div />;\n');
    const gen = new ScriptedGenerator(['1;\n']);
    const pipeline = createCompletionPipeline({ generator: gen, fim }, { contextEngine: engine, multiline: 'never' });
    await pipeline.complete(doc('const a = |\n'));
    // The windows hold all of a.ts; TypeScript and TSX tabs are sources, the Python one is not.
    assert.deepEqual(gen.requests[0].copySources, ['export const view = <div />;\n', 'export const older = 1;\nregister(quantumFlux);\n']);
    assert.deepEqual(engine.relatedDocuments('file:///view.tsx', 'typescriptreact', 1).map((d) => d.uri), ['file:///a.ts']);
    assert.deepEqual(engine.relatedDocuments('file:///x.md', 'markdown', 5), [], 'a language without a grammar has no family');
    // A name an open document of the family uses (not one it defines, which the tags index knows) is not invented; one nothing uses is.
    const gated = (text: string) =>
      createCompletionPipeline({ generator: new ScriptedGenerator([text, '\n']), fim }, { contextEngine: engine, multiline: 'never', gate: { threshold: 0.3 } }).complete(doc('const a = |\n'));
    assert.deepEqual((await gated('older + quantumFlux;')).verdict.signals?.invented, []);
    assert.deepEqual((await gated('older + zebra;')).verdict.signals?.invented, ['zebra']);
  } finally {
    engine.dispose();
  }
});
