/**
 * `lathe prompt run` and `lathe eval` end to end on the real engine with the tiny random-weight
 * fixture model (garbage text, real tokens): shapes, row errors, saved history, exit codes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..', '..', '..');
const model = join(root, 'test', 'fixtures', 'models', 'tiny-llama');
const workspacePrompts = join(root, 'test', 'fixtures', 'workspace', 'prompts');

function lathe(...args: string[]) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'extension', 'cli', 'main.ts'), ...args], { cwd: root, encoding: 'utf8' });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

test('prompt run renders the .prompty with --var values and prints the run as JSON', () => {
  const r = lathe('prompt', 'run', join(root, 'test', 'fixtures', 'promptlab', 'qa.prompty'), '--model', model, '--var', 'question=Why is the sky blue?', '--var', 'tone=terse', '--max-tokens', '5', '--json');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { messages: unknown; completionTokens: number; finishReason: string; promptTokens: number; model: string };
  assert.deepEqual(out.messages, [{ role: 'system', content: 'You are a terse assistant.' }, { role: 'user', content: 'Why is the sky blue?' }]);
  assert.equal(out.completionTokens, 5);
  assert.equal(out.finishReason, 'length');
  assert.ok(out.promptTokens > 0);
  assert.equal(out.model, model);
});

test('eval runs every row, names the row missing a variable, saves the run and compares with the previous one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-cli-eval-'));
  copyFileSync(join(workspacePrompts, 'explain-code.prompty'), join(dir, 'explain-code.prompty'));
  copyFileSync(join(workspacePrompts, 'explain-code.data.jsonl'), join(dir, 'data.jsonl'));
  const args = ['eval', join(dir, 'explain-code.prompty'), '--data', join(dir, 'data.jsonl'), '--model', model, '--temperature', '0', '--max-tokens', '6', '--json'];
  const first = lathe(...args);
  assert.equal(first.code, 0, first.stderr);
  const run = JSON.parse(first.stdout) as { rows: Array<{ error?: string; checks: Array<{ type: string }> }>; runFile: string; comparison?: unknown };
  assert.equal(run.rows.length, 3);
  assert.deepEqual(run.rows[0].checks.map((c) => c.type), ['not-contains', 'rouge-l']);
  assert.equal(run.rows[2].error, "row 3 (line 3): missing variable 'code'");
  assert.match(first.stderr, /row 3 \(line 3\): missing variable 'code'/);
  assert.equal(run.comparison, undefined);
  const second = lathe(...args);
  const again = JSON.parse(second.stdout) as { comparison: { against: string; regressed: number; improved: number; changedOutputs: number } };
  assert.equal(again.comparison.against, run.runFile);
  assert.deepEqual([again.comparison.improved, again.comparison.regressed, again.comparison.changedOutputs], [0, 0, 0]);
  assert.equal(readdirSync(join(dir, 'explain-code.runs')).filter((f) => f.endsWith('.jsonl')).length, 2);
  const strict = lathe(...args.slice(0, -1), '--min-pass-rate', '1');
  assert.equal(strict.code, 1, 'a pass rate below --min-pass-rate fails the command');
});

test('a malformed .prompty is a one-line error with file and line, exit code 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-cli-bad-'));
  const file = join(dir, 'bad.prompty');
  writeFileSync(file, '---\nname: bad\nmodel:\n  parameters:\n    temperature: [0.1\n---\nuser:\nhi\n');
  const r = lathe('prompt', 'run', file, '--model', model, '--json');
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`^lathe prompt: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: invalid YAML front matter`));
  assert.equal(r.stdout, '');
});
