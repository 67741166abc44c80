import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  cutAtDedent,
  cutAtGarbage,
  cutRepeatedSuffix,
  cutRepetitionLoop,
  dropSuffixOverlap,
  keepLineIndentation,
  matchIndentation,
  postprocess,
  repeatsNeighbour,
} from '../../../extension/core/completion/postprocess';

test('drops what the rest of the line already has', () => {
  assert.equal(dropSuffixOverlap('a, b)', ')'), 'a, b');
  assert.equal(dropSuffixOverlap('hello");', '");'), 'hello');
  assert.equal(dropSuffixOverlap('x + 1', ''), 'x + 1');
  assert.equal(dropSuffixOverlap('items[0])', ')'), 'items[0]', 'a closer opened inside the completion stays');
  assert.equal(dropSuffixOverlap('a) + b', ') * 2'), 'a', 'stops at the closer the line already supplies');
});

test('cuts a multi-line completion where it leaves the block', () => {
  const prefix = 'function f() {\n  if (x) {\n    ';
  assert.equal(cutAtDedent('a();\n    b();\n  }\n  c();\n}', prefix), 'a();\n    b();');
  assert.equal(cutAtDedent('return 1;', prefix), 'return 1;');
  const py = 'def f(x):\n';
  assert.equal(cutAtDedent('    y = x\n    return y\ndef g():\n    pass', py), '    y = x\n    return y');
});

test('stops before re-typing the code after the cursor', () => {
  const suffix = '\n  return total;\n}\n';
  assert.equal(cutRepeatedSuffix('let total = 0;\n  for (const x of xs) total += x;\n  return total;\n}', suffix), 'let total = 0;\n  for (const x of xs) total += x;');
});

test('rejects a copy of the neighbouring lines', () => {
  assert.equal(repeatsNeighbour('nt(x)', 'print(x)\npri', '\nfoo()'), true);
  assert.equal(repeatsNeighbour('nt(y)', 'print(x)\npri', '\nfoo()'), false);
  assert.equal(repeatsNeighbour('o()', 'a = 1\nfo', '\nfoo()'), true);
});

test('indents with tabs when the document does', () => {
  assert.equal(matchIndentation('x;\n    y;\n        z;', false, 4), 'x;\n\ty;\n\t\tz;');
  assert.equal(matchIndentation('x;\n    y;', true, 4), 'x;\n    y;');
});

test('the full chain: single line, whitespace-only, a block cut where it dedents', () => {
  assert.equal(postprocess({ completion: 'a + b)\nfoo', prefix: 'sum(', suffix: ')', multiline: false }), 'a + b');
  assert.equal(postprocess({ completion: '   \n  ', prefix: 'x = ', suffix: '', multiline: true }), '');
  const cut = postprocess({
    completion: 'return x;\n}\nmore',
    prefix: 'function id(x) {\n  ',
    suffix: '\n',
    multiline: true,
  });
  assert.equal(cut, 'return x;');
  assert.equal(postprocess({ completion: 'done  \n\n', prefix: 'x = ', suffix: '', multiline: true }), 'done');
});

test('cuts at broken UTF-8 and control characters', () => {
  assert.equal(cutAtGarbage('ok(x)\uFFFD more'), 'ok(x)');
  assert.equal(cutAtGarbage('a\u0007b'), 'a');
  assert.equal(cutAtGarbage('tabs\tand\nlines'), 'tabs\tand\nlines');
});

test('cuts degenerate loops to one unit, leaves repeated digits and punctuation alone', () => {
  assert.equal(cutRepetitionLoop('nc.org/licenses/html/html/html/html/html/'), 'nc.org/licenses/html');
  assert.equal(cutRepetitionLoop('impl<T: Hash + Hash + Hash + Hash + Sync'), 'impl<T: Hash +');
  assert.equal(cutRepetitionLoop('if (this.state.state.state.state.x'), 'if (this.state');
  assert.equal(cutRepetitionLoop('[0, 0, 0, 0, 0, 0]'), '[0, 0, 0, 0, 0, 0]');
  assert.equal(cutRepetitionLoop('return x + 1 + 1 + 1 + 1 + 1'), 'return x + 1');
  assert.equal(cutRepetitionLoop('{0xff, 0xff, 0xff, 0xff, 0xff}'), '{0xff, 0xff, 0xff, 0xff, 0xff}');
  assert.equal(cutRepetitionLoop('// ----------------'), '// ----------------');
  assert.equal(cutRepetitionLoop('foo(bar, baz, qux)'), 'foo(bar, baz, qux)');
  // Three times is not a loop; a loop across lines is the block logic's business.
  assert.equal(cutRepetitionLoop('a.b.a.b.a.b'), 'a.b.a.b.a.b');
  assert.equal(cutRepetitionLoop('x = 1\nx = 1\nx = 1\nx = 1'), 'x = 1\nx = 1\nx = 1\nx = 1');
  assert.equal(postprocess({ completion: 'ab.cd.cd.cd.cd.cd', prefix: 'x = ', suffix: '', multiline: false }), 'ab.cd');
});

test('after a line\'s indentation, the completion does not add blanks in front of its first line', () => {
  assert.equal(keepLineIndentation('   jif x', 'function f() {\n  '), 'jif x');
  assert.equal(keepLineIndentation('\treturn 1;\n  }', 'f() {\n    '), 'return 1;\n  }');
  // Mid-line blanks are the model's to give, and so is the indentation of an empty line.
  assert.equal(keepLineIndentation(' + 1', 'x = a'), ' + 1');
  assert.equal(keepLineIndentation('    return 1', 'def f():\n'), '    return 1');
  assert.equal(postprocess({ completion: '    return d;', prefix: 'function f() {\n  ', suffix: '\n}', multiline: false }), 'return d;');
});
