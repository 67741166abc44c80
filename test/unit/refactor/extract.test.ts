/**
 * Extract Function: free variables become parameters in first-use order, values assigned in the
 * selection and read after it come back (several as an object or a tuple), the new function
 * goes after the enclosing function (a method when `this`/`self` is used), control flow that
 * cannot move is refused, and selections that are not whole statements are refused.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { RefactorError, type RefactorReason } from '../../../extension/core/refactor/errors';
import { extractEdits, planExtract, proposeNames } from '../../../extension/core/refactor/extract';
import { applyTextEdits } from '../../../extension/core/refactor/textEdits';
import { parseErrors } from '../../../extension/core/refactor/editCheck';
import { parsed, RecordingFiller, refactorEngine } from './helpers';

const engine = refactorEngine();
after(() => engine.dispose());

/** Marks the selection with «…» in the source. */
function marked(source: string): { text: string; start: number; end: number } {
  const start = source.indexOf('«');
  const end = source.indexOf('»') - 1;
  return { text: source.replace('«', '').replace('»', ''), start, end };
}

async function extract(file: string, source: string, name = 'extracted') {
  const { text, start, end } = marked(source);
  const doc = await parsed(engine, file, text);
  const plan = await planExtract(doc, start, end);
  const edit = extractEdits(plan, name, file);
  const result = applyTextEdits(text, edit.edits);
  assert.equal(parseErrors(doc.grammar.parser, result).count, 0, `parse-clean:\n${result}`);
  return { plan, result, edit };
}

async function refused(file: string, source: string, reason: RefactorReason, message: RegExp) {
  const { text, start, end } = marked(source);
  const doc = await parsed(engine, file, text);
  await assert.rejects(planExtract(doc, start, end), (err: unknown) => err instanceof RefactorError && err.reason === reason && message.test(err.message));
}

describe('extract function: TypeScript', () => {
  test('free variables in first-use order, one return value declared at the call site, inserted after the enclosing function', async () => {
    const { plan, result } = await extract(
      'a.ts',
      'export function invoice(items: Item[], rate: number): string {\n  const label = "total";\n  «let sum = 0;\n  for (const it of items) sum += it.price * rate;»\n  return `${label}: ${sum}`;\n}\n\nconst other = 1;\n',
    );
    assert.deepEqual(plan.analysis.params.map((p) => p.name), ['items', 'rate']);
    assert.deepEqual(plan.analysis.returns.map((r) => r.name), ['sum']);
    assert.equal(
      result,
      'export function invoice(items: Item[], rate: number): string {\n  const label = "total";\n  let sum = extracted(items, rate);\n  return `${label}: ${sum}`;\n}\n\nfunction extracted(items: Item[], rate: number) {\n  let sum = 0;\n  for (const it of items) sum += it.price * rate;\n  return sum;\n}\n\nconst other = 1;\n',
    );
  });

  test('several return values come back as an object; module-level names are not parameters', async () => {
    const { plan, result } = await extract('a.ts', 'const SCALE = 2;\nfunction f(x: number) {\n  «const a = x * SCALE;\n  const b = a + 1;»\n  return a + b;\n}\n');
    assert.deepEqual(plan.analysis.params.map((p) => p.name), ['x']);
    assert.match(result, /const \{ a, b \} = extracted\(x\);/);
    assert.match(result, /return \{ a, b \};\n\}\n$/);
  });

  test('a variable declared before and reassigned inside is passed in and assigned back', async () => {
    const { result } = await extract('a.ts', 'function f(n: number) {\n  let total = 0;\n  «total += n;»\n  console.log(total);\n}\n');
    assert.match(result, /  total = extracted\(total, n\);/);
    // Without a type oracle only declared types are known.
    assert.match(result, /function extracted\(total, n: number\) \{\n  total \+= n;\n  return total;\n\}/);
  });

  test('`this` makes a method after the enclosing method; await makes it async', async () => {
    const { plan, result } = await extract('a.ts', 'class Store {\n  items: string[] = [];\n  async load(id: string) {\n    «const row = await this.fetch(id);\n    this.items.push(row);»\n  }\n  fetch(id: string) { return Promise.resolve(id); }\n}\n');
    assert.equal(plan.analysis.asMethod, true);
    assert.match(result, /    await this\.extracted\(id\);\n  \}\n\n  async extracted\(id: string\) \{\n    const row = await this\.fetch\(id\);\n    this\.items\.push\(row\);\n  \}\n  fetch/);
  });

  test('a tail with return becomes `return call`', async () => {
    const { result } = await extract('a.ts', 'function f(a: number) {\n  const b = a * 2;\n  «if (b > 3) return b;\n  return a;»\n}\n');
    assert.match(result, /  return extracted\(b, a\);\n\}/);
  });

  test('parameter types come from the type oracle when the declaration has none', async () => {
    const { text, start, end } = marked('function f() {\n  const xs = [1, 2];\n  «console.log(xs.length);»\n}\n');
    const doc = await parsed(engine, 'a.ts', text);
    const plan = await planExtract(doc, start, end, { typeAt: async (offset, name) => (name === 'xs' && text.slice(offset, offset + 2) === 'xs' ? 'number[]' : undefined) });
    assert.match(plan.texts.render('log').functionText, /function log\(xs: number\[\]\)/);
  });
});

describe('extract function: JavaScript', () => {
  test('no types; a loop-carried variable counts as read after', async () => {
    const { plan, result } = await extract('a.js', 'function f(xs) {\n  let acc = 0;\n  for (const x of xs) {\n    «acc = acc + x;»\n  }\n  return 1;\n}\n');
    assert.deepEqual(plan.analysis.returns.map((r) => r.name), ['acc']);
    assert.match(result, /acc = extracted\(acc, x\);/);
    assert.match(result, /function extracted\(acc, x\) \{\n  acc = acc \+ x;\n  return acc;\n\}/);
  });

  test('module-level statements: the function goes before them', async () => {
    const { result } = await extract('a.js', 'const base = 2;\n«const y = base * 3;\nconsole.log(y);»\n');
    assert.equal(result, 'const base = 2;\nfunction extracted() {\n  const y = base * 3;\n  console.log(y);\n}\n\nextracted();\n');
  });

  test('refusals: yield, break to an outer loop, a return that does not end the function, arguments', async () => {
    await refused('a.js', 'function* g() {\n  «yield 1;»\n}\n', 'cannot-extract', /yields \(line 2\)/);
    await refused('a.js', 'function f(xs) {\n  for (const x of xs) {\n    «if (x) break;»\n  }\n}\n', 'cannot-extract', /'break' \(line 3\)/);
    await refused('a.js', 'function f(x) {\n  «if (x) return 1;»\n  return 2;\n}\n', 'cannot-extract', /returns from its function \(line 2\)/);
    await refused('a.js', 'function f() {\n  «console.log(arguments);»\n}\n', 'cannot-extract', /'arguments'/);
  });

  test('bad selections: through an expression, through a string, across blocks, empty', async () => {
    await refused('a.js', 'function f(a) {\n  const b = «a + 1;»\n}\n', 'bad-selection', /starts inside a statement or an expression at line 2/);
    await refused('a.js', 'function f() {\n  const s = "he«llo";\n  g(s);»\n}\n', 'bad-selection', /starts inside/);
    await refused('a.js', 'function f(a) {\n  «g(a);\n  if (a) {\n    h();»\n  }\n}\n', 'bad-selection', /ends inside|different blocks/);
    await refused('a.js', 'function f() {\n  «  »\n}\n', 'bad-selection', /empty/);
  });
});

describe('extract function: Python', () => {
  test('free variables, a tuple of return values, two blank lines after the top-level function', async () => {
    const { plan, result } = await extract('a.py', 'def report(rows, scale):\n    header = "r"\n    «total = sum(r * scale for r in rows)\n    count = len(rows)»\n    return header, total / count\n');
    // First use in the text: `scale` appears before `rows` in the generator expression.
    assert.deepEqual(plan.analysis.params.map((p) => p.name), ['scale', 'rows']);
    assert.equal(
      result,
      'def report(rows, scale):\n    header = "r"\n    total, count = extracted(scale, rows)\n    return header, total / count\n\n\ndef extracted(scale, rows):\n    total = sum(r * scale for r in rows)\n    count = len(rows)\n    return total, count\n',
    );
  });

  test('self makes a method after the enclosing method, called through self', async () => {
    const { result } = await extract('a.py', 'class Cart:\n    def add(self, item):\n        «self.items.append(item)\n        self.count += 1»\n\n    def clear(self):\n        self.items = []\n');
    assert.match(result, /        self\.extracted\(item\)\n\n    def extracted\(self, item\):\n        self\.items\.append\(item\)\n        self\.count \+= 1\n\n    def clear/);
  });

  test('a variable assigned before being read inside is not a parameter; async def for await', async () => {
    const { plan, result } = await extract('a.py', 'async def f(x):\n    «x = 3\n    y = await g(x)»\n    return y\n');
    assert.deepEqual(plan.analysis.params.map((p) => p.name), []);
    assert.match(result, /    y = await extracted\(\)\n/);
    assert.match(result, /async def extracted\(\):\n    x = 3\n    y = await g\(x\)\n    return y/);
  });

  test('a class body and global declarations are refused', async () => {
    await refused('a.py', 'class A:\n    «x = 1»\n', 'bad-selection', /body of a class/);
    await refused('a.py', 'def f():\n    «global G\n    G = 1»\n', 'cannot-extract', /global/);
  });

  test('other languages say which ones are supported', async () => {
    await refused('a.go', 'package p\n\nfunc f() {\n\t«g()»\n}\n', 'unsupported-language', /TypeScript, JavaScript and Python/);
  });
});

describe('extract function: names', () => {
  test('model candidates in rank order, illegal and taken names dropped, at least three offered', async () => {
    const { text, start, end } = marked('function total(xs) {\n  «let s = 0;\n  for (const x of xs) s += x;»\n  return s;\n}\n');
    const doc = await parsed(engine, 'a.js', text);
    const plan = await planExtract(doc, start, end);
    const filler = new RecordingFiller(() => ['sumAll(xs) {', 'class', 'total', ' addUp', '9lives']);
    const { names, raw, legal } = await proposeNames(plan, filler);
    assert.deepEqual(names.slice(0, 2), [
      { name: 'sumAll', source: 'model', logprob: -0 },
      { name: 'addUp', source: 'model', logprob: -3 },
    ]);
    assert.equal(names.length, 3);
    assert.equal(names[2].source, 'fallback');
    // Fewer than three from the definition's name slot: the call's callee slot is asked too.
    assert.equal(filler.requests.length, 2);
    assert.ok(filler.requests[1].prefix.endsWith('{\n  let s = '));
    assert.ok(filler.requests[1].suffix.startsWith('(xs);\n  return s;'));
    assert.equal(raw, 10);
    assert.equal(legal, 4);
    // The slot sits right after `function ` with the parameters and body after it.
    assert.match(filler.requests[0].prefix, /\n\nfunction $/);
    assert.match(filler.requests[0].suffix, /^\(xs\) \{\n  let s = 0;/);
    assert.throws(() => extractEdits(plan, 'total', 'a.js'), /already used/);
  });
});

describe('extract function: return types TypeScript needs', () => {
  test('a tail return keeps the enclosing return type (contextual typing), async stays async; a throwing tail is never', async () => {
    const { result } = await extract('a.ts', 'type Fn = (n: number) => number;\nfunction make(k: number): Fn {\n  «return (n) => n * k;»\n}\n');
    assert.match(result, /function extracted\(k: number\): Fn \{\n  return \(n\) => n \* k;\n\}/);
    const asyncTail = await extract('a.ts', 'async function load(id: string): Promise<number> {\n  «return id.length;»\n}\n');
    assert.match(asyncTail.result, /return await extracted\(id\);/);
    assert.match(asyncTail.result, /async function extracted\(id: string\): Promise<number> \{/);
    const thrower = await extract('a.ts', 'function fail(msg: string): never {\n  const text = `E: ${msg}`;\n  «throw new Error(text);»\n}\n');
    assert.match(thrower.result, /function extracted\(text\): never \{/);
  });
});

describe('extract function: variables without a value yet, constructors', () => {
  test('a variable declared before but assigned first inside is declared in the new function, not passed', async () => {
    const { plan, result } = await extract('a.ts', 'function f(xs: number[]) {\n  let best: number;\n  «best = Math.max(...xs);»\n  return best;\n}\n');
    assert.deepEqual(plan.analysis.params.map((p) => p.name), ['xs']);
    assert.match(result, /  best = extracted\(xs\);\n/);
    assert.match(result, /function extracted\(xs: number\[\]\) \{\n  let best: number;\n  best = Math\.max\(\.\.\.xs\);\n  return best;\n\}/);
  });

  test('TypeScript: statements that assign this.… in a constructor stay there', async () => {
    await refused('a.ts', 'class A {\n  n: number;\n  constructor(k: number) {\n    «this.n = k * 2;»\n  }\n}\n', 'cannot-extract', /assigns this\.… in the constructor/);
  });
});

describe('extract function: declarations, branches, private members', () => {
  test('a declaration without a value that is used after comes back', async () => {
    const { result } = await extract('a.ts', 'function f() {\n  «let closing: Promise<void> | undefined;»\n  return () => (closing ??= Promise.resolve());\n}\n');
    assert.match(result, /  let closing = extracted\(\);\n/);
  });

  test('an assignment in the other branch of an if is not a value the statements receive', async () => {
    const { plan } = await extract('a.ts', 'function f(c: boolean) {\n  let text: string;\n  if (c) {\n    text = "a";\n  } else {\n    «text = "b";»\n  }\n  return text;\n}\n');
    assert.deepEqual(plan.analysis.params.map((p) => p.name), []);
    assert.deepEqual(plan.analysis.locals.map((p) => p.name), ['text']);
  });

  test('code that names its own class (a private constructor) becomes a static method', async () => {
    const { plan, result } = await extract('a.ts', 'export class Kv {\n  private constructor(readonly n: number) {}\n  static empty(): Kv {\n    «const k = new Kv(0);»\n    return k;\n  }\n}\n');
    assert.equal(plan.analysis.asMethod, true);
    assert.match(result, /    const k = Kv\.extracted\(\);\n/);
    assert.match(result, /  static extracted\(\) \{\n    const k = new Kv\(0\);\n    return k;\n  \}/);
  });
});
