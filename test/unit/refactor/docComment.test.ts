/**
 * Doc comment skeletons from tree-sitter facts: parameters in order, returns only when a value
 * comes back, exceptions from throw/raise, in each language's own style, placed above the
 * definition (inside for Python), replacing an existing doc comment.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { documentedParams, fillDocComment, planDocComment } from '../../../extension/core/refactor/docComment';
import { renderDoc } from '../../../extension/core/refactor/docStyles';
import { RefactorError } from '../../../extension/core/refactor/errors';
import { applyTextEdits } from '../../../extension/core/refactor/textEdits';
import { at, parsed, RecordingFiller, refactorEngine } from './helpers';

const engine = refactorEngine();
after(() => engine.dispose());

async function skeleton(file: string, text: string, marker: string): Promise<string> {
  const doc = await parsed(engine, file, text);
  const plan = planDocComment(doc, at(text, marker));
  return renderDoc(plan.skeleton, plan.indent);
}

describe('doc comment skeletons', () => {
  test('TypeScript: TSDoc with one @param per parameter in order, @returns, @throws', async () => {
    const text = 'export function area(width: number, height = 1, ...rest: number[]): number {\n  if (width < 0) throw new RangeError("negative");\n  return width * height;\n}\n';
    assert.equal(
      await skeleton('a.ts', text, 'return'),
      ['/**', ' *', ' *', ' * @param width -', ' * @param height -', ' * @param rest -', ' * @returns', ' * @throws {RangeError}', ' */'].join('\n'),
    );
  });

  test('TypeScript: no @returns for void, an arrow function named by its declaration, a method inside a class', async () => {
    assert.doesNotMatch(await skeleton('a.ts', 'function log(msg: string): void {\n  console.log(msg);\n}\n', 'console'), /@returns/);
    assert.match(await skeleton('a.ts', 'export const twice = (n: number) => n * 2;\n', 'n * 2'), /@param n -\n \* @returns/);
    const method = await skeleton('a.ts', 'class Shape {\n  scale(k: number): this {\n    return this;\n  }\n}\n', 'return this');
    assert.equal(method.split('\n')[0], '  /**');
    assert.match(method, /@param k -/);
  });

  test('JavaScript: JSDoc, optional parameters in brackets, destructured parameters with their fields', async () => {
    const text = 'function draw({ x, y }, color = "red") {\n  paint(x, y, color);\n}\n';
    assert.equal(
      await skeleton('a.js', text, 'paint'),
      ['/**', ' *', ' *', ' * @param param0', ' * @param param0.x', ' * @param param0.y', ' * @param [color]', ' */'].join('\n'),
    );
  });

  test('Python: Google-style docstring inside the body; self is not a parameter; Raises from raise', async () => {
    const text = 'class Account:\n    def withdraw(self, amount, *, note=None):\n        if amount > self.balance:\n            raise ValueError("too much")\n        self.balance -= amount\n        return self.balance\n';
    assert.equal(
      await skeleton('a.py', text, 'self.balance -='),
      ['        """', '', '        Args:', '            amount:', '            note:', '', '        Returns:', '', '', '        Raises:', '            ValueError:', '        """'].join('\n'),
    );
  });

  test('Python: a function without parameters or return value gets a one-line docstring', async () => {
    assert.equal(await skeleton('a.py', 'def main():\n    run()\n', 'run'), '    """"""');
  });

  test('Go: a line comment starting with the name', async () => {
    assert.equal(await skeleton('a.go', 'package p\n\nfunc (r *Reader) Read(p []byte) (int, error) {\n\treturn 0, nil\n}\n', 'return'), '// Read');
  });

  test('Rust: /// with # Arguments, # Errors for Result, # Panics for panic!; &self is not an argument', async () => {
    const text = 'impl Parser {\n    pub fn parse(&self, input: &str, strict: bool) -> Result<Ast, Error> {\n        if strict { panic!("no"); }\n        todo!()\n    }\n}\n';
    assert.equal(
      await skeleton('a.rs', text, 'todo'),
      ['    ///', '    ///', '    /// # Arguments', '    ///', '    /// * `input` -', '    /// * `strict` -', '    ///', '    /// # Errors', '    ///', '    ///', '    ///', '    /// # Panics', '    ///', '    ///'].join('\n'),
    );
  });

  test('Java, C#, PHP, C++: each its own tags', async () => {
    const java = await skeleton('A.java', 'class A {\n  int f(int a, String... b) throws IOException {\n    return 1;\n  }\n}\n', 'return');
    assert.match(java, /@param a\n {3}\* @param b\n {3}\* @return\n {3}\* @throws IOException/);
    const cs = await skeleton('A.cs', 'class A {\n  public int F(int a) {\n    throw new ArgumentException("x");\n  }\n}\n', 'throw');
    assert.match(cs, /<param name="a"><\/param>\n {2}\/\/\/ <returns><\/returns>\n {2}\/\/\/ <exception cref="ArgumentException"><\/exception>/);
    const php = await skeleton('a.php', '<?php\nfunction g(int $x, $y = 2): int {\n  return $x;\n}\n', 'return');
    assert.match(php, /@param int \$x\n \* @param mixed \$y\n \* @return int/);
    const cpp = await skeleton('a.cpp', 'int add(int a, const int& b) {\n  return a + b;\n}\n', 'return');
    assert.match(cpp, /@brief\n \*\n \* @param a\n \* @param b\n \* @return/);
  });

  test('no definition at the cursor is a clear refusal naming the line', async () => {
    const doc = await parsed(engine, 'a.ts', 'const x = 1;\n\nconsole.log(x);\n');
    assert.throws(() => planDocComment(doc, 20), (err: unknown) => err instanceof RefactorError && err.reason === 'no-target' && /line 3/.test(err.message));
  });
});

describe('doc comment filling', () => {
  test('every slot is filled in order; the edit replaces an existing JSDoc and stays parse-clean', async () => {
    const text = '/** Old. */\nexport function area(width: number, height: number): number {\n  return width * height;\n}\n';
    const doc = await parsed(engine, 'a.ts', text);
    const plan = planDocComment(doc, at(text, 'return'));
    assert.equal(plan.replaces, true);
    const filler = new RecordingFiller((req) => [req.prefix.endsWith(' * ') ? 'Area of a rectangle. */ junk' : 'the value\nmore']);
    const result = await fillDocComment(doc, plan, filler);
    const edited = applyTextEdits(text, [result.edit]);
    assert.equal(
      edited,
      '/**\n * Area of a rectangle.\n *\n * @param width - the value\n * @param height - the value\n * @returns the value\n */\nexport function area(width: number, height: number): number {\n  return width * height;\n}\n',
    );
    assert.deepEqual(documentedParams(edited, 'tsdoc'), ['width', 'height']);
    // The second slot's prompt already holds the first fill; the suffix holds the function.
    assert.match(filler.requests[1].prefix, /Area of a rectangle\.\n \*\n \* @param width - $/);
    assert.match(filler.requests[1].suffix, /export function area/);
  });

  test('Python: the docstring replaces an existing one, indented like the body', async () => {
    const text = 'def total(xs):\n    "old"\n    return sum(xs)\n';
    const doc = await parsed(engine, 'a.py', text);
    const plan = planDocComment(doc, at(text, 'return'));
    const result = await fillDocComment(doc, plan, new RecordingFiller(() => ['Sum of xs.']));
    assert.equal(applyTextEdits(text, [result.edit]), 'def total(xs):\n    """Sum of xs.\n\n    Args:\n        xs: Sum of xs.\n\n    Returns:\n        Sum of xs.\n    """\n    return sum(xs)\n');
  });
});
