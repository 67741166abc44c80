import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { datasetCommand } from '../../../extension/cli/commands/dataset';
import { CliError } from '../../../extension/cli/errors';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const SUPPORT = join(FIXTURES, 'workspace', 'data', 'support-chat.jsonl');

async function run(t: TestContext, args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  t.mock.method(console, 'log', (...a: unknown[]) => lines.push(a.join(' ')));
  const code = await datasetCommand.run(args, new AbortController().signal);
  t.mock.restoreAll();
  return { code, out: lines.join('\n') };
}

test('lint --json prints one report and exits 1 when there are errors, 0 when clean', async (t) => {
  const bad = await run(t, ['lint', SUPPORT, '--json', '--model', join(FIXTURES, 'models', 'tiny-llama')]);
  assert.equal(bad.code, 1);
  const report = JSON.parse(bad.out) as { lines: number; errors: number; tokens: { counter: string; p50: number } };
  assert.equal(report.lines, 16);
  assert.equal(report.errors, 5);
  assert.equal(report.tokens.counter, 'tiny-llama');
  const good = await run(t, ['lint', join(FIXTURES, 'curation', 'openai-chat.jsonl'), '--json']);
  assert.equal(good.code, 0);
});

test('convert, split and pii write their files; the text output names them', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-cli-'));
  const out = join(dir, 'share.jsonl');
  const conv = await run(t, ['convert', join(FIXTURES, 'curation', 'alpaca.jsonl'), '--to', 'sharegpt', '--out', out]);
  assert.equal(conv.code, 0);
  assert.deepEqual((JSON.parse(readFileSync(out, 'utf8').split('\n')[0]) as { conversations: unknown[] }).conversations[0], { from: 'human', value: 'Translate to French.\n\nGood morning' });
  const split = await run(t, ['split', SUPPORT, '--out', join(dir, 'splits'), '--ratios', '1,0,0']);
  assert.match(split.out, /train: 14 rows/);
  const pii = await run(t, ['pii', SUPPORT, '--kinds', 'email']);
  assert.equal(pii.code, 1);
  assert.match(pii.out, /line 2: email in messages\[0\]\.content/);
});

test('bad input is a one-line CLI error', async (t) => {
  await assert.rejects(run(t, ['lint', join(FIXTURES, 'nope.jsonl')]), (e: unknown) => e instanceof CliError && /no such file/.test(e.message));
  await assert.rejects(run(t, ['split', SUPPORT, '--ratios', '1,2']), (e: unknown) => e instanceof CliError && /--ratios/.test(e.message));
  await assert.rejects(run(t, ['convert', SUPPORT, '--to', 'csv', '--out', '/tmp/x']), (e: unknown) => e instanceof CliError && /--to must be one of/.test(e.message));
  await assert.rejects(run(t, ['pii', SUPPORT, '--kinds', 'ssn']), (e: unknown) => e instanceof CliError && /unknown PII kinds ssn/.test(e.message));
});
