/**
 * `lathe refactor`: the edit JSON (0-based ranges, like VS Code), 1-based flags, refusals as a
 * one-line message and an empty edit list. Runs the tiny fixture model (random weights: the
 * words are noise, the structure is tree-sitter's).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { refactorCommand } from '../../../extension/cli/commands/refactor';
import { REPO_ROOT } from '../context/helpers';

const MODEL = join(REPO_ROOT, 'test', 'fixtures', 'models', 'tiny-llama');

async function run(args: string[]): Promise<{ code: number; json: Record<string, unknown>; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const [log, error] = [console.log, console.error];
  console.log = (...xs: unknown[]) => out.push(xs.map(String).join(' '));
  console.error = (...xs: unknown[]) => err.push(xs.map(String).join(' '));
  try {
    const code = await refactorCommand.run(args, new AbortController().signal);
    return { code, json: JSON.parse(out.join('\n')) as Record<string, unknown>, stderr: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

function file(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-refactor-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

interface Edit {
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  newText: string;
}

describe('lathe refactor', () => {
  test('docstring: one insertion above the function, 0-based range, params in order', async () => {
    const path = file('m.py', 'import os\n\ndef scale(v, k=2):\n    return v * k\n');
    const { code, json } = await run(['docstring', '--file', path, '--line', '4', '--model', MODEL, '--json']);
    assert.equal(code, 0);
    const edits = json.edits as Edit[];
    assert.equal(edits.length, 1);
    assert.deepEqual(edits[0].range, { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } });
    assert.match(edits[0].newText, /^ {4}""".*\n\n {4}Args:\n {8}v:.*\n {8}k:.*\n\n {4}Returns:\n/s);
    assert.deepEqual(json.params, ['v', 'k']);
    assert.equal(readFileSync(path, 'utf8'), 'import os\n\ndef scale(v, k=2):\n    return v * k\n', 'the CLI writes nothing');
  });

  test('extract with --name: the function after the enclosing one and the call in place', async () => {
    const path = file('m.ts', 'export function f(a: number): number {\n  const b = a * 2;\n  const c = b + 1;\n  return c;\n}\n');
    const { code, json } = await run(['extract', '--file', path, '--range', '2:3-3:19', '--name', 'twiceAndOne', '--no-types', '--model', MODEL, '--json']);
    assert.equal(code, 0);
    assert.equal(json.call, 'const c = twiceAndOne(a);');
    assert.equal(json.function_text, 'function twiceAndOne(a: number) {\n  const b = a * 2;\n  const c = b + 1;\n  return c;\n}');
    assert.ok((json.candidates as unknown[]).length >= 3);
    const edits = json.edits as Edit[];
    assert.deepEqual(edits.map((e) => e.range.start.line), [1, 4]);
  });

  test('bad input: a selection through an expression is refused with the reason; no edits', async () => {
    const path = file('m.js', 'function f(a) {\n  return a + 1;\n}\n');
    const { code, json, stderr } = await run(['extract', '--file', path, '--range', '2:10-2:15', '--model', MODEL, '--json']);
    assert.equal(code, 1);
    assert.deepEqual(json.edits, []);
    assert.equal((json.error as { reason: string }).reason, 'bad-selection');
    assert.match(stderr, /starts inside a statement or an expression at line 2/);
  });

  test('bad input: a language without a grammar, a model folder that is not one', async () => {
    const txt = file('notes.txt', 'hello\n');
    const r1 = await run(['docstring', '--file', txt, '--line', '1', '--model', MODEL, '--json']);
    assert.equal(r1.code, 1);
    assert.equal((r1.json.error as { reason: string }).reason, 'unsupported-language');
    const py = file('m.py', 'def f(a):\n    return a\n');
    // Not a model folder at all: the flag itself is refused.
    await assert.rejects(refactorCommand.run(['docstring', '--file', py, '--line', '1', '--model', join(REPO_ROOT, 'test')], new AbortController().signal), /no config\.json/);
    // A folder with a config.json but no tokenizer: the model fails to load, named as such.
    const broken = mkdtempSync(join(tmpdir(), 'lathe-broken-model-'));
    writeFileSync(join(broken, 'config.json'), '{}');
    const r2 = await run(['docstring', '--file', py, '--line', '1', '--model', broken, '--json']);
    assert.equal(r2.code, 1);
    assert.equal((r2.json.error as { reason: string }).reason, 'model');
    assert.match(r2.stderr, /cannot be read|failed to load|fill-in-the-middle/);
  });
});
