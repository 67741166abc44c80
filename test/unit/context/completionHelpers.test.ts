/**
 * The completion shape decision and syntax-aware truncation beyond the per-language cases:
 * block openers, comments and strings, parse-error cuts, unclosed blocks, single-line mode.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { completionShape } from '../../../extension/core/context/completionShape';
import { GRAMMARS } from '../../../extension/core/context/languages';
import type { DocumentSnapshot } from '../../../extension/core/context/types';
import { offsetAfter, testEngine } from './helpers';

const ts = (text: string, version = 1): DocumentSnapshot => ({ uri: `/ws/t${version}.ts`, languageId: 'typescript', version, text });

describe('completion shape', () => {
  const { engine } = testEngine();
  after(() => engine.dispose());

  const cases: Array<[string, string, string, boolean, string]> = [
    ['after a block opener on the same line', 'function f() {', '}\n', true, 'after-block-opener'],
    ['after an arrow', 'const g = () =>', '\n', true, 'after-block-opener'],
    ['inside a statement', 'const x = compute(', ');\n', false, 'mid-statement'],
    ['code after the cursor', 'const x = ', 'compute();\n', false, 'mid-line'],
    ['in a line comment', '// explain the', '\n', false, 'in-comment-or-string'],
    ['in a string', 'const s = "hello ', '";\n', false, 'in-comment-or-string'],
  ];
  for (const [name, before, afterText, multiline, reason] of cases) {
    test(name, async () => {
      const doc = ts(`${before}${afterText}`);
      assert.deepEqual(await engine.completionShape(doc, before.length), { multiline, reason });
    });
  }

  test('a blank line in a non-empty block is multi-line', async () => {
    const text = 'function f() {\n  const a = 1;\n  \n  return a;\n}\n';
    assert.deepEqual(await engine.completionShape(ts(text), offsetAfter(text, 'const a = 1;\n  ')), { multiline: true, reason: 'blank-line' });
  });

  test('without a tree, an empty block is found from the text', () => {
    const py = 'def f(x):\n    \n';
    assert.deepEqual(completionShape(py, py.length - 1, undefined, GRAMMARS.python), { multiline: true, reason: 'empty-block' });
    const brace = 'function f() {\n  \n}\n';
    assert.deepEqual(completionShape(brace, brace.indexOf('\n}')), { multiline: true, reason: 'empty-block' });
    const full = 'function f() {\n  \n  return 1;\n}\n';
    assert.deepEqual(completionShape(full, full.indexOf('\n  return')), { multiline: true, reason: 'blank-line' });
  });
});

describe('truncation', () => {
  const { engine } = testEngine();
  after(() => engine.dispose());

  const doc = ts('export function total(xs: number[]): number {\n  \n}\n', 2);
  const at = offsetAfter(doc.text, '{\n  ');

  test('cuts before lines that add parse errors', async () => {
    const result = await engine.truncate(doc, at, 'let sum = 0;\n  for (const x of xs {\n    sum +=');
    assert.deepEqual(result, { text: 'let sum = 0;', truncated: true, reason: 'parse-errors' });
  });

  test('rejects a completion that is broken from its first line', async () => {
    const result = await engine.truncate(doc, at, ') => ) ;');
    assert.deepEqual(result, { text: '', truncated: true, reason: 'parse-errors' });
  });

  test('keeps the closing brace when the document has not closed the block', async () => {
    const open = ts('export function total(xs: number[]): number {\n  ', 3);
    const result = await engine.truncate(open, open.text.length, 'return xs.length;\n}\n\nexport function other() {}\n');
    assert.deepEqual(result, { text: 'return xs.length;\n}', truncated: true, reason: 'block-end' });
  });

  test('single-line mode keeps the first line only', async () => {
    const result = await engine.truncate(doc, at, 'return xs.length;\n  // more', { multiline: false });
    assert.deepEqual(result, { text: 'return xs.length;', truncated: true, reason: 'single-line' });
  });

  test('a valid multi-line completion inside the block is kept whole', async () => {
    const completion = 'let sum = 0;\n  for (const x of xs) {\n    sum += x;\n  }\n  return sum;';
    assert.deepEqual(await engine.truncate(doc, at, completion), { text: completion, truncated: false, reason: 'none' });
  });

  test('a document that already has errors is judged against its own error count', async () => {
    const broken = ts('export function total(xs: number[]): number {\n  const y = (;\n  \n}\n', 4);
    const where = offsetAfter(broken.text, '(;\n  ');
    const result = await engine.truncate(broken, where, 'return y;');
    assert.deepEqual(result, { text: 'return y;', truncated: false, reason: 'none' });
  });

  // A line the user goes on from: its open brackets are the rest of the code, not errors.
  const mid = ts('export function total(xs: number[]): number {\n  let sum = 0;\n  \n  return sum;\n}\n', 5);
  const blank = offsetAfter(mid.text, 'let sum = 0;\n  ');
  const kept: Array<[string, string, boolean]> = [
    ['a line that opens a block', 'for (const x of xs) {', false],
    ['a line that leaves a call open', 'console.log(xs.length,', false],
    ['a callback opened inside a call', 'xs.forEach((x) => {', false],
    ['a line with a brace in a string', 'if (xs[0] === "{") {', false],
    ['a line with a brace in a comment', 'xs.forEach((x) => { // }', false],
    ['multi-line text that stops inside the block it opened', 'for (const x of xs) {\n    sum += x;', true],
  ];
  for (const [name, completion, multiline] of kept) {
    test(`keeps ${name}`, async () => {
      assert.deepEqual(await engine.truncate(mid, blank, completion, { multiline, mayLeaveOpen: true }), { text: completion, truncated: false, reason: 'none' });
    });
  }

  test('a completion that closes braces the document left open keeps the rest of that line', async () => {
    const imp = ts("import { rea\n\nexport const x = 1;\n", 6);
    const atImport = offsetAfter(imp.text, 'rea');
    assert.deepEqual(await engine.truncate(imp, atImport, "dFile } from 'node:fs';", { multiline: false, mayLeaveOpen: true }), { text: "dFile } from 'node:fs';", truncated: false, reason: 'none' });
    const obj = ts('const opts = { timeout: \n\nexport const x = 1;\n', 7);
    assert.deepEqual(await engine.truncate(obj, offsetAfter(obj.text, 'timeout: '), '1000 };', { multiline: false, mayLeaveOpen: true }), { text: '1000 };', truncated: false, reason: 'none' });
  });

  test('text inserted as final (a generated body) must close what it opens', async () => {
    const body = 'let n = 0;\n  for (const x of xs) {\n    n += x;';
    assert.deepEqual(await engine.truncate(mid, blank, body), { text: 'let n = 0;', truncated: true, reason: 'parse-errors' });
    assert.deepEqual(await engine.truncate(mid, blank, 'for (const x of xs) {', { multiline: false }), { text: '', truncated: true, reason: 'parse-errors' });
  });

  test('closing what a line opens does not save a line that is broken anyway', async () => {
    const open = { multiline: false, mayLeaveOpen: true };
    assert.deepEqual(await engine.truncate(mid, blank, 'for (const x of xs {', open), { text: '', truncated: true, reason: 'parse-errors' });
    assert.deepEqual(await engine.truncate(mid, blank, 'sum += ) (', open), { text: '', truncated: true, reason: 'parse-errors' });
  });

  test('keeps a Python block header (an empty block is no parse error there)', async () => {
    const py: DocumentSnapshot = { uri: '/ws/t.py', languageId: 'python', version: 1, text: 'def total(xs):\n    s = 0\n    \n\nprint(total([1]))\n' };
    const where = offsetAfter(py.text, 's = 0\n    ');
    assert.deepEqual(await engine.truncate(py, where, 'for x in xs:', { multiline: false }), { text: 'for x in xs:', truncated: false, reason: 'none' });
    assert.deepEqual(await engine.truncate(py, where, 'for x in xs', { multiline: false }), { text: '', truncated: true, reason: 'parse-errors' });
  });
});
