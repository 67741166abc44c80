/**
 * Complete Function Body and Generate Code from Comment: the hole is where the stub (or the
 * empty body) was, each candidate is cut by the block truncation, and real bodies or a missing
 * comment are refused. Also which actions the lightbulb offers where.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { availableActions } from '../../../extension/core/refactor/available';
import { codeFromComment, completeFunctionBody, cutRepeatedLines, fillHole } from '../../../extension/core/refactor/bodyFill';
import { parseErrors } from '../../../extension/core/refactor/editCheck';
import { RefactorError } from '../../../extension/core/refactor/errors';
import { applyTextEdits } from '../../../extension/core/refactor/textEdits';
import { at, parsed, RecordingFiller, refactorEngine } from './helpers';

const engine = refactorEngine();
after(() => engine.dispose());

describe('complete function body', () => {
  test('TypeScript: the throw-not-implemented stub is replaced; the candidate is cut where the block ends', async () => {
    const text = 'export function area(w: number, h: number): number {\n  throw new Error("not implemented");\n}\n\nconst x = 1;\n';
    const doc = await parsed(engine, 'a.ts', text);
    const filler = new RecordingFiller(() => ['return w * h;\n}\n\nfunction other() {']);
    const r = await completeFunctionBody(doc, at(text, 'throw'), engine, filler);
    const edited = applyTextEdits(text, [r.edit]);
    assert.equal(edited, 'export function area(w: number, h: number): number {\n  return w * h;\n}\n\nconst x = 1;\n');
    assert.ok(filler.requests[0].prefix.endsWith('number {\n  '));
    assert.ok(filler.requests[0].suffix.startsWith('\n}\n'));
  });

  test('Python: `pass` after a docstring; the docstring stays; a dedent ends the body', async () => {
    const text = 'def mean(xs):\n    """Average."""\n    pass\n\n\nprint(1)\n';
    const doc = await parsed(engine, 'a.py', text);
    const r = await completeFunctionBody(doc, at(text, 'pass'), engine, new RecordingFiller(() => ['return sum(xs) / len(xs)\nprint(2)']));
    const edited = applyTextEdits(text, [r.edit]);
    assert.equal(edited, 'def mean(xs):\n    """Average."""\n    return sum(xs) / len(xs)\n\n\nprint(1)\n');
  });

  test('Rust todo!() and Go panic("TODO") are stubs; an empty JS body gets a line of its own', async () => {
    for (const [file, text, marker] of [
      ['a.rs', 'fn f() -> i32 {\n    todo!()\n}\n', 'todo'],
      ['a.go', 'package p\n\nfunc F() int {\n\tpanic("TODO")\n}\n', 'panic'],
      ['a.js', 'function f(a) {}\n', 'function'],
    ] as const) {
      const doc = await parsed(engine, file, text);
      const r = await completeFunctionBody(doc, at(text, marker), engine, new RecordingFiller(() => [file === 'a.go' ? 'return 1' : file === 'a.rs' ? '1' : 'return a;']));
      const edited = applyTextEdits(text, [r.edit]);
      assert.equal(parseErrors(doc.grammar.parser, edited).count, 0, edited);
      assert.ok(!/todo!|panic\("TODO"\)/.test(edited), edited);
    }
    const js = await parsed(engine, 'b.js', 'function f(a) {}\n');
    const r = await completeFunctionBody(js, 3, engine, new RecordingFiller(() => ['return a;']));
    assert.equal(applyTextEdits(js.text, [r.edit]), 'function f(a) {\n  return a;\n}\n');
  });

  test('a function that already does work is refused; so is a model with nothing usable', async () => {
    const text = 'function f(a) {\n  return a + 1;\n}\n';
    const doc = await parsed(engine, 'a.js', text);
    await assert.rejects(completeFunctionBody(doc, at(text, 'return'), engine, new RecordingFiller()), (e: unknown) => e instanceof RefactorError && e.reason === 'no-target' && /already has a body/.test(e.message));
    const stub = await parsed(engine, 'b.js', 'function g() {\n  // TODO\n}\n');
    await assert.rejects(completeFunctionBody(stub, 20, engine, new RecordingFiller(() => ['}}}', ''])), (e: unknown) => e instanceof RefactorError && e.reason === 'no-candidates');
  });
});

describe('generate code from comment', () => {
  test('the code goes on the lines below the comment run, at its indentation', async () => {
    const text = 'function f(xs) {\n  // sum the even numbers\n  // of xs\n  return 0;\n}\n';
    const doc = await parsed(engine, 'a.js', text);
    const filler = new RecordingFiller(() => ['const even = xs.filter((x) => x % 2 === 0);\n  return even.reduce((a, b) => a + b, 0);\n}']);
    const r = await codeFromComment(doc, at(text, 'sum the'), engine, filler);
    const edited = applyTextEdits(text, [r.edit]);
    assert.ok(edited.startsWith('function f(xs) {\n  // sum the even numbers\n  // of xs\n  const even = xs.filter((x) => x % 2 === 0);\n'), edited);
    assert.equal(parseErrors(doc.grammar.parser, edited).count, 0);
    assert.ok(filler.requests[0].prefix.endsWith('// of xs\n  '));
  });

  test('no comment at the cursor is refused with the line', async () => {
    const doc = await parsed(engine, 'a.py', 'x = 1\n');
    await assert.rejects(codeFromComment(doc, 1, engine, new RecordingFiller()), /no comment at line 1/);
  });
});

describe('available actions', () => {
  test('selection → extract; definition → doc, tests, body for stubs; comment → code; identifier → names', async () => {
    const text = 'function f(a) {\n  // double it\n  return a * 2;\n}\nfunction g() {}\n';
    const doc = await parsed(engine, 'a.js', text);
    assert.deepEqual(availableActions(doc, at(text, 'return'), at(text, 'a * 2;', true)), ['extract', 'docstring', 'tests']);
    assert.deepEqual(availableActions(doc, at(text, 'double'), at(text, 'double')), ['comment-code', 'docstring', 'tests']);
    assert.deepEqual(availableActions(doc, at(text, 'g()') + 1, at(text, 'g()') + 1), ['docstring', 'tests', 'body', 'names']);
    const go = await parsed(engine, 'a.go', 'package p\n\nfunc F() {}\n');
    assert.ok(!availableActions(go, 16, 20).includes('extract'));
  });
});

describe('hole filling', () => {
  test('a line repeated three times is cut after its first copy; answers without the required name are dropped', async () => {
    assert.equal(cutRepeatedLines('a();\nb();\nb();\nb();\nc();'), 'a();\nb();');
    const text = "test('x', () => {\n  \n});\n";
    const hole = text.indexOf('\n  ') + 3;
    const filler = new RecordingFiller(() => ['const obj = 1;', 'assert.equal(area(2, 3), 6);']);
    assert.equal(await fillHole(engine, 'typescript', text, hole, filler, { mustMention: 'area' }), 'assert.equal(area(2, 3), 6);');
  });
});
