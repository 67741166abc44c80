/** `lathe context`: the assembled pieces as JSON, with sources, token counts and timings. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { contextCommand } from '../../../extension/cli/commands/context';
import { CliError } from '../../../extension/cli/errors';
import { FIXTURES } from './helpers';

interface Report {
  syntax: boolean;
  offset: number;
  counter: string;
  tokens: { total: number };
  pieces: Array<{ kind: string; source: { file: string; range: { startLine: number } }; tokens: number; detail?: string; text: string }>;
  timing_ms: Record<string, number>;
}

async function runJson(args: string[]): Promise<Report> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...xs: unknown[]) => lines.push(xs.map(String).join(' '));
  try {
    assert.equal(await contextCommand.run(args, new AbortController().signal), 0);
  } finally {
    console.log = original;
  }
  return JSON.parse(lines.join('\n')) as Report;
}

test('prints pieces with sources, token counts and timing_ms', async () => {
  const dir = join(FIXTURES, 'typescript');
  // Line 9, column 14 (1-based) is right after `sum += ` in main.ts.
  const report = await runJson(['--file', join(dir, 'main.ts'), '--line', '9', '--col', '14', '--root', dir, '--json']);
  assert.equal(report.syntax, true);
  assert.equal(report.counter, 'approximate');
  const definition = report.pieces.find((p) => p.kind === 'definition' && p.detail === 'area');
  assert.ok(definition);
  assert.equal(definition.source.file, join(dir, 'shapes.ts'));
  assert.equal(definition.source.range.startLine, 5);
  assert.ok(definition.tokens > 0);
  assert.deepEqual(report.pieces.slice(-2).map((p) => p.kind), ['prefix', 'suffix']);
  assert.ok(report.pieces.at(-2)!.text.endsWith('sum += '));
  assert.equal(report.tokens.total, report.pieces.reduce((n, p) => n + p.tokens, 0));
  for (const key of ['load', 'index', 'parse', 'assemble', 'total']) assert.equal(typeof report.timing_ms[key], 'number');
});

test('counts with the model tokenizer when --model is given', async () => {
  const dir = join(FIXTURES, 'python');
  const model = join(FIXTURES, '..', 'models', 'tiny-llama');
  const report = await runJson(['--file', join(dir, 'main.py'), '--line', '11', '--col', '22', '--model', model, '--no-index', '--json']);
  assert.equal(report.counter, 'model');
  assert.ok(report.tokens.total > 0);
});

test('reports missing flags and files as CLI errors', async () => {
  await assert.rejects(contextCommand.run(['--line', '1', '--col', '1'], new AbortController().signal), (e) => e instanceof CliError && /--file/.test(e.message));
  await assert.rejects(contextCommand.run(['--file', '/nonexistent.ts', '--line', '1', '--col', '1'], new AbortController().signal), CliError);
});
