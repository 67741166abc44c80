/**
 * Generate Tests: the test file the project already uses (same folder, a test/ mirror, Go's
 * _test.go, Rust's tests module), the framework from imports and manifests, one case per branch,
 * bodies from the model, pending cases where it had nothing.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { generateTests } from '../../../extension/core/refactor/generateTests';
import { bodyShape, cleanSlotAnswer } from '../../../extension/core/refactor/testBodies';
import { branchCases } from '../../../extension/core/refactor/testCases';
import { findTestFile, frameworkFromPackageJson, type FileProbe } from '../../../extension/core/refactor/testFiles';
import { definitionAt } from '../../../extension/core/refactor/definitions';
import { parseErrors } from '../../../extension/core/refactor/editCheck';
import { at, parsed, RecordingFiller, refactorEngine } from './helpers';

const engine = refactorEngine();
after(() => engine.dispose());

/** A file system in memory: path → text. */
function memoryProbe(files: Record<string, string>): FileProbe {
  return {
    exists: async (p) => p in files,
    read: async (p) => files[p],
    list: async (dir) => Object.keys(files).filter((p) => p.startsWith(`${dir}/`) && !p.slice(dir.length + 1).includes('/')).map((p) => p.slice(dir.length + 1)),
  };
}

describe('test file discovery and framework detection', () => {
  test('TypeScript: an existing test/ mirror wins; its imports name the framework', async () => {
    const probe = memoryProbe({ '/p/test/unit/refactor/x.test.ts': "import { test } from 'node:test';\n", '/p/extension/core/refactor/x.ts': '' });
    const c = await findTestFile('/p/extension/core/refactor/x.ts', '/p', 'typescript', probe);
    assert.deepEqual([c.path, c.exists, c.framework], ['/p/test/unit/refactor/x.test.ts', true, 'node:test']);
  });

  test('JavaScript: a new file next to the source when its folder has tests; vitest from package.json', async () => {
    const probe = memoryProbe({ '/p/src/a.js': '', '/p/src/b.test.js': 'describe()', '/p/package.json': '{"devDependencies":{"vitest":"1"}}' });
    const c = await findTestFile('/p/src/a.js', '/p', 'javascript', probe);
    assert.deepEqual([c.path, c.exists, c.framework], ['/p/src/a.test.js', false, 'vitest']);
    assert.match(c.frameworkReason, /package\.json lists it/);
  });

  test('JavaScript: a new file in the project test/ tree (src/ dropped); jest from the test script; node:test by default', async () => {
    const probe = memoryProbe({ '/p/src/lib/a.ts': '', '/p/test/other.test.ts': "it('x')", '/p/package.json': '{"scripts":{"test":"jest --ci"}}' });
    const c = await findTestFile('/p/src/lib/a.ts', '/p', 'typescript', probe);
    assert.deepEqual([c.path, c.framework], ['/p/test/lib/a.test.ts', 'jest']);
    assert.equal(frameworkFromPackageJson('{"scripts":{"test":"node --test"}}'), 'node:test');
    const bare = await findTestFile('/q/a.ts', '/q', 'typescript', memoryProbe({ '/q/a.ts': '' }));
    assert.deepEqual([bare.path, bare.framework], ['/q/a.test.ts', 'node:test']);
  });

  test('a new file goes into the test folder that already mirrors the source folder', async () => {
    const probe = memoryProbe({ '/p/extension/core/refactor/x.ts': '', '/p/test/unit/refactor/y.test.ts': "import { test } from 'node:test';\n", '/p/test/unit/other/z.test.ts': '' });
    const c = await findTestFile('/p/extension/core/refactor/x.ts', '/p', 'typescript', probe);
    assert.deepEqual([c.path, c.exists, c.framework], ['/p/test/unit/refactor/x.test.ts', false, 'node:test']);
  });

  test('Python: tests/test_x.py, pytest from pyproject, unittest from imports or by default', async () => {
    const probe = memoryProbe({ '/p/pkg/calc.py': '', '/p/tests/test_other.py': 'import unittest\n', '/p/pyproject.toml': '[tool.pytest.ini_options]\n' });
    const c = await findTestFile('/p/pkg/calc.py', '/p', 'python', probe);
    assert.deepEqual([c.path, c.exists, c.framework], ['/p/tests/test_calc.py', false, 'unittest']);
    const viaManifest = await findTestFile('/p/pkg/calc.py', '/p', 'python', memoryProbe({ '/p/pkg/calc.py': '', '/p/pyproject.toml': '[tool.pytest.ini_options]\n' }));
    assert.deepEqual([viaManifest.path, viaManifest.framework], ['/p/pkg/test_calc.py', 'pytest']);
    const bare = await findTestFile('/q/calc.py', '/q', 'python', memoryProbe({}));
    assert.equal(bare.framework, 'unittest');
  });

  test('Go and Rust conventions; other languages are refused', async () => {
    assert.equal((await findTestFile('/p/x/y.go', '/p', 'go', memoryProbe({}))).path, '/p/x/y_test.go');
    const rs = await findTestFile('/p/src/lib.rs', '/p', 'rust', memoryProbe({}));
    assert.deepEqual([rs.path, rs.sameFile, rs.framework], ['/p/src/lib.rs', true, 'rust']);
    await assert.rejects(findTestFile('/p/A.java', '/p', 'java', memoryProbe({})), /supports TypeScript, JavaScript, Python, Go and Rust/);
  });
});

describe('test cases from branches', () => {
  test('if / else-if / else, a throwing branch, switch cases; one case without branches', async () => {
    const text = 'function grade(n: number, k: string) {\n  if (n < 0) throw new RangeError("neg");\n  if (n > 90) return "A";\n  else if (n > 50) return "B";\n  else return "C";\n  switch (k) {\n    case "x": break;\n    default: break;\n  }\n}\nfunction id(x) { return x; }\n';
    const doc = await parsed(engine, 'a.ts', text);
    const def = definitionAt(doc.tree.rootNode, 'typescript', at(text, 'throw'))!;
    assert.deepEqual(branchCases(def.node, true).map((c) => c.title), ['throws RangeError when n < 0', 'when n > 90', 'when n > 50', 'otherwise', 'when "x"', 'by default']);
    const plain = definitionAt(doc.tree.rootNode, 'typescript', at(text, 'return x'))!;
    assert.deepEqual(branchCases(plain.node, true).map((c) => c.title), ['returns the expected value']);
  });

  test('Python if / elif / else and raise', async () => {
    const text = 'def sign(x):\n    if x > 0:\n        return 1\n    elif x < 0:\n        raise ValueError("neg")\n    else:\n        return 0\n';
    const doc = await parsed(engine, 'a.py', text);
    const def = definitionAt(doc.tree.rootNode, 'python', at(text, 'return 1'))!;
    assert.deepEqual(branchCases(def.node, true).map((c) => c.title), ['when x > 0', 'throws ValueError when x < 0', 'otherwise']);
  });
});

describe('generate tests', () => {
  test('TypeScript + node:test: a new file with imports, a describe block, model bodies, a pending case', async () => {
    const text = 'export function clamp(x: number, lo: number, hi: number): number {\n  if (x < lo) return lo;\n  else return Math.min(x, hi);\n}\n';
    const doc = await parsed(engine, 'clamp.ts', text);
    // The shape is tree-sitter's: the model answers the arguments slot, then the expected slot; nothing for the second case.
    const filler = new RecordingFiller((_req, i) => [['-1, 0'], ['0, 5'], ['5)'], ['0);'], ['']][i] ?? ['']);
    const r = await generateTests({ doc, offset: at(text, 'if'), sourcePath: '/p/src/clamp.ts', root: '/p', probe: memoryProbe({ '/p/src/clamp.ts': text }), syntax: engine, filler });
    assert.equal(r.choice.path, '/p/src/clamp.test.ts');
    assert.equal(
      r.after,
      "import assert from 'node:assert/strict';\nimport { describe, test } from 'node:test';\nimport { clamp } from './clamp';\n\ndescribe('clamp', () => {\n  test('when x < lo', () => {\n    assert.deepEqual(clamp(-1, 0, 5), 0);\n  });\n\n  test.todo('when not x < lo');\n});\n",
    );
    // The function under test is the prompt's context; the slots sit in the call.
    assert.match(filler.requests[0].context ?? '', /export function clamp/);
    assert.ok(filler.requests[0].prefix.endsWith("test('when x < lo', () => {\n    assert.deepEqual(clamp("));
    assert.ok(filler.requests[0].suffix.startsWith(', , ), );\n  });'));
    assert.ok(filler.requests[3].prefix.endsWith('assert.deepEqual(clamp(-1, 0, 5), '));
    assert.deepEqual(r.cases.map((c) => c.written), [true, false]);
  });

  test('Python + existing unittest file: imports added, a TestCase class appended before the main guard', async () => {
    const src = 'def double(x):\n    return x * 2\n';
    const existing = 'import unittest\n\n\nclass TestOther(unittest.TestCase):\n    def test_a(self):\n        self.assertTrue(True)\n\n\nif __name__ == "__main__":\n    unittest.main()\n';
    const doc = await parsed(engine, 'calc.py', src);
    const probe = memoryProbe({ '/p/calc.py': src, '/p/test_calc.py': existing });
    const r = await generateTests({ doc, offset: at(src, 'return'), sourcePath: '/p/calc.py', root: '/p', probe, syntax: engine, filler: new RecordingFiller((_req, i) => [['2), 4)'], ['4)']][i] ?? ['']) });
    assert.equal(r.choice.framework, 'unittest');
    assert.match(r.after, /^import unittest\nfrom calc import double\n/);
    assert.match(r.after, /class TestDouble\(unittest\.TestCase\):\n {4}def test_returns_the_expected_value\(self\):\n {8}self\.assertEqual\(double\(x=2\), 4\)\n\n\nif __name__/);
    assert.equal(parseErrors(doc.grammar.parser, r.after).count, 0);
  });

  test('Rust: a tests module in the same file; Go: a _test.go file in the package', async () => {
    const rs = 'pub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n';
    const rdoc = await parsed(engine, 'lib.rs', rs);
    const r = await generateTests({ doc: rdoc, offset: at(rs, 'a + b'), sourcePath: '/p/src/lib.rs', root: '/p', probe: memoryProbe({}), syntax: engine, filler: new RecordingFiller((_req, i) => [['1, 2)'], ['2)'], ['3);']][i] ?? ['']) });
    assert.match(r.after, /\n#\[cfg\(test\)\]\nmod tests \{\n {4}use super::\*;\n\n {4}#\[test\]\n {4}fn add_returns_the_expected_value\(\) \{\n {8}assert_eq!\(add\(1, 2\), 3\);\n {4}\}\n\}\n$/);
    const go = 'package mathx\n\nfunc Add(a, b int) int {\n\treturn a + b\n}\n';
    const gdoc = await parsed(engine, 'add.go', go);
    const g = await generateTests({ doc: gdoc, offset: at(go, 'return'), sourcePath: '/p/mathx/add.go', root: '/p', probe: memoryProbe({}), syntax: engine, filler: new RecordingFiller((_req, i) => [['3'], ['1, 2) {'], ['2) {'], ['']][i] ?? ['']) });
    assert.equal(
      g.after,
      'package mathx\n\nimport "testing"\nimport "reflect"\n\nfunc TestAdd_ReturnsTheExpectedValue(t *testing.T) {\n\twant := 3\n\tif got := Add(1, 2); !reflect.DeepEqual(got, want) {\n\t\tt.Errorf("Add() = %v, want %v", got, want)\n\t}\n}\n',
    );
    const empty = await generateTests({ doc: gdoc, offset: at(go, 'return'), sourcePath: '/p/mathx/add.go', root: '/p', probe: memoryProbe({}), syntax: engine, filler: new RecordingFiller(() => ['']) });
    assert.equal(empty.after, 'package mathx\n\nimport "testing"\n\nfunc TestAdd_ReturnsTheExpectedValue(t *testing.T) {\n\tt.Skip("no body was generated")\n}\n');
  });

  test('a function that is not exported cannot be imported by a test', async () => {
    const text = 'function hidden(x: number) {\n  return x;\n}\n';
    const doc = await parsed(engine, 'h.ts', text);
    await assert.rejects(
      generateTests({ doc, offset: at(text, 'return'), sourcePath: '/p/h.ts', root: '/p', probe: memoryProbe({}), syntax: engine, filler: new RecordingFiller() }),
      /'hidden' is not exported from h\.ts/,
    );
  });
});

describe('test body shapes', () => {
  test('throwing branches, methods on a new instance, async calls; slot answers cut at the bracket they did not open', () => {
    const text = (parts: readonly (string | { slot: string })[]) => parts.map((p) => (typeof p === 'string' ? p : `<${p.slot}>`)).join('');
    const base = { name: 'area', isStatic: false, isAsync: false, returnsValue: true, indent: '    ', params: ['w', 'h'] } as const;
    assert.equal(text(bodyShape({ ...base, framework: 'vitest', throws: 'RangeError' })!.parts), 'expect(() => area(<arg>, <arg>)).toThrow();');
    assert.equal(text(bodyShape({ ...base, framework: 'pytest', throws: 'ValueError' })!.parts), 'with pytest.raises(ValueError):\n        area(w=<arg>, h=<arg>)');
    assert.equal(text(bodyShape({ ...base, framework: 'node:test', className: 'Shape' })!.parts), 'assert.deepEqual(new Shape(<ctor>).area(<arg>, <arg>), <expected>);');
    assert.equal(text(bodyShape({ ...base, framework: 'jest', isAsync: true })!.parts), 'expect(await area(<arg>, <arg>)).toEqual(<expected>);');
    assert.equal(text(bodyShape({ ...base, framework: 'unittest', returnsValue: false })!.parts), 'area(w=<arg>, h=<arg>)');
    assert.equal(bodyShape({ ...base, framework: 'go', className: 'Reader' }), undefined);
    assert.equal(cleanSlotAnswer('f(1), [2, 3]), 4);'), 'f(1), [2, 3]');
    assert.equal(cleanSlotAnswer('"a)b", 2)'), '"a)b", 2');
    assert.equal(cleanSlotAnswer('42;\nmore'), '42');
    assert.equal(cleanSlotAnswer('[1, 2], 3)', true), '[1, 2]');
  });
});
