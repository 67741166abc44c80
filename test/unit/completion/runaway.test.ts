import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cutRunaway, repeatedItem } from '../../../extension/core/completion/runaway';

const pyClass = 'class Model:\n    def __init__(self):\n        self.';

test('twenty-one ghost lines of `self.output = None` keep only the first', () => {
  const completion = 'output = None' + '\n        self.output = None'.repeat(20);
  const cut = cutRunaway(completion, pyClass);
  assert.deepEqual(cut, { text: 'output = None', kind: 'repeated-line', line: 1 });
});

test('a line written again right after itself, or a third time, is cut; other lines stay', () => {
  const again = 'a = load(path)\n    a = load(path)\n    b = parse(a)';
  assert.equal(cutRunaway(again, 'def f(path):\n    ')?.text, 'a = load(path)');
  const third = 'n += 1\n    m = f(n)\n    n += 1\n    k = g(n)\n    n += 1';
  assert.equal(cutRunaway(third, 'def f(n):\n    ')?.text, 'n += 1\n    m = f(n)\n    n += 1\n    k = g(n)');
  const branches = 'if a:\n        count += 1\n    elif b:\n        count += 1\n    return count';
  assert.equal(cutRunaway(branches, 'def f(a, b):\n    count = 0\n    '), undefined, 'the same statement in two branches');
  assert.equal(cutRunaway('x = 1\n    y = 2\n    return x + y', 'def f():\n    '), undefined);
});

test('closers, else and bare list items repeat legitimately', () => {
  assert.equal(cutRunaway('foo(\n    None,\n    None,\n    None,\n)', 'x = '), undefined);
  assert.equal(cutRunaway('if (a) {\n    b();\n  }\n}\n', 'function f() {\n  '), undefined);
  assert.equal(cutRunaway('0x00,\n  0x00,\n  0xff,', 'const t = [\n  '), undefined);
});

test('a short line three times in a row is a runaway, twice is not', () => {
  assert.equal(cutRunaway('i += 1\n    i += 1', '    '), undefined);
  assert.equal(cutRunaway('i += 1\n    i += 1\n    i += 1\n    i += 1', '    ')?.text, 'i += 1');
});

test('a block of lines written again is cut before the copy', () => {
  const completion = 'if x:\n        run(x)\n    if x:\n        run(x)\n    done()';
  assert.deepEqual(cutRunaway(completion, 'def f(x):\n    '), { text: 'if x:\n        run(x)', kind: 'repeated-block', line: 2 });
  const brace = 'log(a);\n  if (a) {\n    b();\n  }\n  if (a) {\n    b();\n  }\n';
  assert.equal(cutRunaway(brace, 'function f(a) {\n  ')?.text, 'log(a);\n  if (a) {\n    b();\n  }');
});

test('destructuring the same name again: `const { url, url, url } = [];`', () => {
  assert.deepEqual(cutRunaway('{ url, url, url } = [];', 'const '), { text: '{ url', kind: 'repeated-item', line: 0 });
});

test('the same argument twice: `fetch(url, url)`', () => {
  assert.equal(cutRunaway('(url, url)', 'await fetch')?.text, '(url');
  assert.equal(cutRunaway('url, url', 'await fetch(')?.text, 'url');
  assert.equal(cutRunaway('(n, n))', 'np.zeros(('), undefined, 'one-letter names are shapes, not runaways');
  assert.equal(cutRunaway('(a, b, "url", "url")', 'f'), undefined, 'strings are data');
  assert.equal(cutRunaway('(base, other.base)', 'join'), undefined);
});

test("the user's own text before the cursor is not a runaway", () => {
  assert.equal(cutRunaway(', c)', 'f(url, url'), undefined);
  assert.equal(repeatedItem('f(url, url, c)', 11), undefined);
  assert.equal(repeatedItem('f(url, url, c)'), 5);
});

test('filler comments: `// the line end of the line end`', () => {
  assert.deepEqual(cutRunaway(' the line end of the line end', '  //'), { text: ' the line end of', kind: 'repeated-words', line: 0 });
  const across = ' Reads the header of the file\n# and the header of the file\n# and the header of the file';
  assert.equal(cutRunaway(across, '#')?.text, ' Reads the header of the file');
  assert.equal(cutRunaway(' Returns the number of items in the list.', '  //'), undefined);
  assert.equal(cutRunaway(' the size of the buffer\n  // and the size of the header', '  //'), undefined, 'three words again across lines is still prose');
});

test('never more lines than asked for', () => {
  const completion = 'a();\n  b();\n  c();\n  d();';
  assert.deepEqual(cutRunaway(completion, 'function f() {\n  ', 2), { text: 'a();\n  b();', kind: 'max-lines', line: 2 });
  assert.equal(cutRunaway(completion, 'function f() {\n  ', 4), undefined);
});

test('a line with an unclosed quote and many backslashes (a regex in the source) is scanned in one pass', () => {
  // The string masking once let a backslash match two ways: 2^n tries for n backslashes, and the
  // editor froze on a completion after such a line (a line of this repository's own sources).
  const line = `  const masked = line.replace(/(["'\`])${'\\\\.'.repeat(40)} + foo(item, item`;
  assert.equal(typeof repeatedItem(line, line.length - 10), 'number', 'the repeated argument is still found');
  assert.equal(cutRunaway(` bar(x)${'\\\\'.repeat(60)}`, `const s = "`), undefined);
});
