/**
 * Rename scoping and name suggestions: only occurrences of the same binding change, shadowing
 * and captures are refused, shorthand properties and imports keep their meaning; suggested
 * names are legal and not already bound.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { RefactorError } from '../../../extension/core/refactor/errors';
import { suggestNames } from '../../../extension/core/refactor/names';
import { renameEdits, renameProblem, renameTarget } from '../../../extension/core/refactor/rename';
import { applyTextEdits } from '../../../extension/core/refactor/textEdits';
import { at, parsed, RecordingFiller, refactorEngine } from './helpers';

const engine = refactorEngine();
after(() => engine.dispose());

async function rename(file: string, text: string, marker: string, name: string): Promise<string> {
  const doc = await parsed(engine, file, text);
  const target = renameTarget(doc, at(text, marker));
  return applyTextEdits(text, renameEdits(doc, target, name));
}

describe('scope-aware rename', () => {
  test('TypeScript: a shadowing inner binding is left alone; shorthand properties keep their key', async () => {
    const text = 'function f(count: number) {\n  const out = { count };\n  {\n    const count = 2;\n    use(count);\n  }\n  return count + out.count;\n}\n';
    assert.equal(
      await rename('a.ts', text, 'count: number', 'total'),
      'function f(total: number) {\n  const out = { count: total };\n  {\n    const count = 2;\n    use(count);\n  }\n  return total + out.count;\n}\n',
    );
  });

  test('TypeScript: var is hoisted to the function; a rename from a use finds the declaration', async () => {
    const text = 'function g() {\n  if (a) { var n = 1; }\n  return n;\n}\nconst n = 5;\n';
    assert.equal(await rename('a.ts', text, 'n;\n}', 'm'), 'function g() {\n  if (a) { var m = 1; }\n  return m;\n}\nconst n = 5;\n');
  });

  test('JavaScript: imports are renamed with an alias, destructured declarations keep their key', async () => {
    const text = 'import { parse } from "./p";\nconst { width } = box;\nparse(width);\n';
    assert.equal(await rename('a.js', text, 'parse(', 'read'), 'import { parse as read } from "./p";\nconst { width } = box;\nread(width);\n');
    assert.equal(await rename('a.js', text, 'width }', 'w'), 'import { parse } from "./p";\nconst { width: w } = box;\nparse(w);\n');
  });

  test('Python: function locals across the function, class attributes are not locals, comprehension variables are their own', async () => {
    const text = 'def f(items):\n    total = 0\n    for x in items:\n        total += x\n    squares = [x * x for x in items]\n    return total, squares\n\ntotal = 1\n';
    assert.equal(
      await rename('a.py', text, 'total = 0', 'acc'),
      'def f(items):\n    acc = 0\n    for x in items:\n        acc += x\n    squares = [x * x for x in items]\n    return acc, squares\n\ntotal = 1\n',
    );
    // The comprehension's x is its own binding: renaming the loop's x leaves it.
    assert.equal(
      await rename('a.py', text, 'x in items:', 'item'),
      'def f(items):\n    total = 0\n    for item in items:\n        total += item\n    squares = [x * x for x in items]\n    return total, squares\n\ntotal = 1\n',
    );
  });

  test('collisions and captures are refused with the line', async () => {
    const text = 'function f(a: number) {\n  const b = 1;\n  return a + b;\n}\n';
    const doc = await parsed(engine, 'a.ts', text);
    const target = renameTarget(doc, at(text, 'a: number'));
    assert.match(renameProblem(doc, target, 'b') ?? '', /already declared in the same scope/);
    const nested = await parsed(engine, 'c.ts', 'function f(a: number) {\n  return () => b + a;\n}\n');
    assert.match(renameProblem(nested, renameTarget(nested, at(nested.text, 'a:')), 'b') ?? '', /already used where 'a' is visible \(line 2\)/);
    assert.match(renameProblem(doc, target, 'class') ?? '', /reserved/);
    assert.match(renameProblem(doc, target, '2x') ?? '', /not a valid identifier/);
    assert.throws(() => renameEdits(doc, target, 'b'), (err: unknown) => err instanceof RefactorError && err.reason === 'invalid-name');
    const global = renameTarget(doc, at(text, 'f('));
    assert.equal(renameProblem(doc, global, 'g'), undefined);
    const undeclared = await parsed(engine, 'b.ts', 'console.log(1);\n');
    assert.throws(() => renameEdits(undeclared, renameTarget(undeclared, 2), 'c'), /not declared in this file/);
  });
});

describe('suggest names', () => {
  test('candidates ranked by the model, the current name and taken names dropped, the slot at the declaration', async () => {
    const text = 'function area(w: number, h: number) {\n  const x = w * h;\n  return x;\n}\n';
    const doc = await parsed(engine, 'a.ts', text);
    const filler = new RecordingFiller(() => ['x', 'product = w', 'w', 'result', 'for', 'areaValue']);
    const s = await suggestNames(doc, at(text, 'x;'), filler);
    assert.deepEqual(s.names.map((n) => n.name), ['product', 'result', 'areaValue']);
    assert.equal(s.raw, 6);
    assert.equal(s.legal, 3);
    assert.ok(filler.requests[0].prefix.endsWith('  const '));
    assert.ok(filler.requests[0].suffix.startsWith(' = w * h;'));
  });

  test('no usable candidate is a clear refusal', async () => {
    const doc = await parsed(engine, 'a.py', 'def f(a):\n    return a\n');
    await assert.rejects(suggestNames(doc, 6, new RecordingFiller(() => ['a', 'def'])), (err: unknown) => err instanceof RefactorError && err.reason === 'no-candidates');
  });
});
