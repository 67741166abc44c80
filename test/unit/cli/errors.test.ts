/** Failed commands print one line (no stack trace unless --debug), and bad model folders say what is wrong. */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test, type TestContext } from 'node:test';
import { runCli } from '../../../extension/cli/main';
import { reportError, takeDebugFlag } from '../../../extension/cli/report';
import { FileWriteError } from '../../../extension/core/common/fs/writeError';
import { EngineError } from '../../../extension/core/engine/shared/errors';

const MODEL = join(__dirname, '..', '..', 'fixtures', 'models', 'tiny-llama');
const root = mkdtempSync(join(tmpdir(), 'lathe-badmodels-'));

/** The seven broken model folders the audit used. */
const BAD: Record<string, { expect: RegExp; build?: (dir: string) => void }> = {
  missing: { expect: /--model .*missing: no such folder/ },
  empty: { expect: /is not a model folder: it has no config\.json/, build: (d) => mkdirSync(d) },
  'file-not-folder': { expect: /is a file; it must be a model folder/, build: (d) => writeFileSync(d, 'x') },
  'no-config': { expect: /no config\.json/, build: (d) => (cpSync(MODEL, d, { recursive: true }), rmSync(join(d, 'config.json'))) },
  'bad-config-json': { expect: /config\.json: not valid JSON/, build: (d) => (cpSync(MODEL, d, { recursive: true }), writeFileSync(join(d, 'config.json'), '{bad')) },
  'no-tokenizer': { expect: /tokenizer\.json: required file is missing/, build: (d) => (cpSync(MODEL, d, { recursive: true }), rmSync(join(d, 'tokenizer.json'))) },
  'no-onnx': { expect: /has no onnx\/ directory/, build: (d) => (cpSync(MODEL, d, { recursive: true }), rmSync(join(d, 'onnx'), { recursive: true })) },
  'corrupt-onnx': {
    expect: /onnxruntime cannot load the model/,
    build: (d) => {
      cpSync(MODEL, d, { recursive: true });
      for (const f of readdirSync(join(d, 'onnx'))) writeFileSync(join(d, 'onnx', f), 'not a protobuf');
    },
  },
};

before(() => {
  for (const [name, bad] of Object.entries(BAD)) bad.build?.(join(root, name));
  writeFileSync(join(root, 'f.py'), 'def f(x):\n    return x\n');
});

async function cli(t: TestContext, args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  t.mock.method(console, 'log', (...a: unknown[]) => lines.push(a.join(' ')));
  const code = await runCli(args, new AbortController().signal, (l) => lines.push(...l.split('\n')));
  t.mock.restoreAll();
  return { code, lines };
}

for (const [name, bad] of Object.entries(BAD)) {
  test(`serve and complete on a model folder that is ${name}: one line saying so, no stack trace`, async (t) => {
    const dir = join(root, name);
    for (const args of [
      ['serve', '--model', dir, '--port', '0'],
      ['complete', '--file', join(root, 'f.py'), '--line', '2', '--col', '5', '--model', dir],
    ]) {
      const r = await cli(t, args);
      assert.equal(r.code !== 0, true, `${args[0]} exits non-zero`);
      assert.equal(r.lines.length, 1, `${args[0]} prints one line: ${r.lines.join('\n')}`);
      assert.match(r.lines[0], new RegExp(`^lathe ${args[0]}: `));
      assert.match(r.lines[0], bad.expect);
      assert.doesNotMatch(r.lines[0], /declares no fill-in-the-middle tokens|\n\s+at /);
    }
  });
}

test('--debug (anywhere on the line) adds the stack trace', async (t) => {
  const r = await cli(t, ['serve', '--debug', '--model', join(root, 'no-onnx'), '--port', '0']);
  assert.equal(r.code, 1);
  assert.match(r.lines[0], /^lathe serve: .*has no onnx\/ directory/);
  assert.ok(r.lines.some((l) => /^\s+at /.test(l)), 'a stack frame is printed');
  assert.deepEqual(takeDebugFlag(['--debug', 'dataset', 'lint', 'x']), { args: ['dataset', 'lint', 'x'], debug: true });
});

test('typed errors are one line; unexpected ones say so and point at --debug', () => {
  const write = reportError('dataset', new FileWriteError('/d/out.jsonl', 'ENOSPC', true), false);
  assert.deepEqual(write.lines, ['lathe dataset: cannot write /d/out.jsonl: the disk is full (ENOSPC); the file on disk was left unchanged']);
  assert.deepEqual(reportError('serve', new EngineError('missing-file', 'required file is missing', '/m/config.json'), false).lines, ['lathe serve: /m/config.json: required file is missing']);
  const bug = reportError('prompt', new TypeError('x is undefined'), false);
  assert.deepEqual(bug.lines, ['lathe prompt: x is undefined (an unexpected error: run with --debug for the stack trace)']);
  assert.equal(bug.exitCode, 1);
  assert.equal(reportError('prompt', new TypeError('x'), true).lines.length, 2);
  const enoent = Object.assign(new Error("ENOENT: no such file or directory, open 'a.jsonl'"), { code: 'ENOENT' });
  assert.deepEqual(reportError('eval', enoent, false).lines, ["lathe eval: ENOENT: no such file or directory, open 'a.jsonl'"]);
});

test('YAML alias problems in a prompt front matter are located errors, not crashes', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['---\nname: x\nsample:\n  q: *nowhere\n---\n{{ q }}\n', /bad\.prompty:4: invalid YAML front matter: Unresolved alias.*nowhere/],
    ['---\nsample: &s\n  again: *s\n---\nhi\n', /bad\.prompty: invalid YAML front matter: an alias refers to the mapping that holds it/],
    [
      '---\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n---\nhi\n',
      /bad\.prompty: invalid YAML front matter: YAML aliases expand to too much data/,
    ],
  ];
  for (const [text, expected] of cases) {
    const file = join(root, 'bad.prompty');
    writeFileSync(file, text);
    const r = await cli(t, ['prompt', 'run', file, '--model', MODEL]);
    assert.notEqual(r.code, 0);
    assert.equal(r.lines.length, 1, r.lines.join('\n'));
    assert.match(r.lines[0], expected);
  }
});
