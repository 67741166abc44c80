import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { lintFile } from '../../../extension/core/curation/lint/file';
import { approximateCounter } from '../../../extension/core/curation/lint/tokens';
import { convertFile } from '../../../extension/core/curation/tasks/convertFile';
import { dedupFiles } from '../../../extension/core/curation/tasks/dedupFiles';
import { redactFile, scanFile } from '../../../extension/core/curation/tasks/piiFile';
import { splitFile } from '../../../extension/core/curation/tasks/splits';

const SUPPORT = join(__dirname, '..', '..', 'fixtures', 'workspace', 'data', 'support-chat.jsonl');
const work = () => mkdtempSync(join(tmpdir(), 'lathe-tasks-'));

test('lintFile on the workspace dataset: problems by line, format, token statistics', async () => {
  const r = await lintFile(SUPPORT, { counter: approximateCounter, maxTokens: 60 });
  assert.equal(r.lines, 16);
  assert.equal(r.validRows, 14);
  assert.equal(r.format, 'openai-chat');
  const at = (line: number) => r.problems.find((p) => p.line === line)?.problems.map((p) => p.code) ?? [];
  assert.deepEqual(at(3), ['example_missing_assistant_message', 'role_alternation']);
  assert.deepEqual(at(5), ['invalid_json']);
  assert.deepEqual(at(7), ['final_turn_not_assistant']);
  assert.deepEqual(at(8), ['unrecognized_role']);
  assert.deepEqual(at(9), ['invalid_utf8']);
  assert.deepEqual(at(10), ['message_unrecognized_key']);
  assert.ok(r.tokens && r.tokens.rows === 14 && r.tokens.min <= r.tokens.p5 && r.tokens.p95 <= r.tokens.max);
  assert.ok(r.tokens.overLimitLines.includes(6), 'the long row is over 60 tokens');
});

test('dedupFiles: exact and near duplicates; across two files they are leakage', async () => {
  const one = await dedupFiles([SUPPORT]);
  assert.deepEqual(one.groups.map((g) => [g.kind, g.rows.map((x) => x.line)]), [['exact', [1, 4]], ['near', [6, 13]]]);
  const d = work();
  const train = join(d, 'train.jsonl');
  const test2 = join(d, 'test.jsonl');
  copyFileSync(SUPPORT, train);
  writeFileSync(test2, `${JSON.stringify({ messages: [{ role: 'user', content: 'Convert 5 km to miles.' }, { role: 'assistant', content: '5 km is about 3.11 miles.' }] })}\n`);
  const both = await dedupFiles([train, test2]);
  assert.equal(both.leaks.length, 1);
  assert.deepEqual(both.leaks[0].rows, [{ file: train, line: 16 }, { file: test2, line: 1 }]);
});

test('convertFile keeps invalid lines byte for byte, in place', async () => {
  const out = join(work(), 'out.jsonl');
  const r = await convertFile(SUPPORT, out, 'sharegpt');
  assert.equal(r.converted, 14);
  assert.deepEqual(r.keptInvalid.map((k) => k.line), [5, 9]);
  const src = readFileSync(SUPPORT);
  const dst = readFileSync(out);
  const lines = (b: Buffer) => {
    const parts: Buffer[] = [];
    let s = 0;
    for (let i = b.indexOf(10); i >= 0; s = i + 1, i = b.indexOf(10, s)) parts.push(b.subarray(s, i));
    return parts;
  };
  assert.ok(lines(dst)[4].equals(lines(src)[4]));
  assert.ok(lines(dst)[8].equals(lines(src)[8]));
  assert.deepEqual((JSON.parse(lines(dst)[11].toString()) as { conversations: unknown[] }).conversations[0], { from: 'human', value: 'Write a haiku about autumn.' });
});

test('scanFile and redactFile: findings by line; redacted rows only where found', async () => {
  const scan = await scanFile(SUPPORT);
  assert.deepEqual(scan.lines.map((l) => [l.line, l.findings.map((f) => f.kind)]), [[2, ['email']], [11, ['credit_card']]]);
  const out = join(work(), 'redacted.jsonl');
  const r = await redactFile(SUPPORT, out);
  assert.deepEqual(r, { redactedRows: 2, replacements: 2, notScanned: [] });
  const text = readFileSync(out, 'latin1');
  assert.ok(text.includes('<EMAIL>') && text.includes('<CREDIT_CARD>') && !text.includes('jane.doe@'));
  const before = readFileSync(SUPPORT, 'latin1').split('\n');
  const after = text.split('\n');
  assert.equal(after.length, before.length);
  before.forEach((line, i) => {
    if (i !== 1 && i !== 10) assert.equal(after[i], line, `line ${i + 1} is untouched`);
  });
});

test('splitFile writes three files, deterministically, leaving invalid lines out', async () => {
  const d = work();
  const r1 = await splitFile(SUPPORT, { seed: 's', outDir: d, ratios: { train: 0.5, validation: 0.25, test: 0.25 } });
  assert.equal(r1.skipped, 2);
  assert.equal(r1.files.train.rows + r1.files.validation.rows + r1.files.test.rows, 14);
  const first = readFileSync(r1.files.train.path, 'utf8');
  await splitFile(SUPPORT, { seed: 's', outDir: d, ratios: { train: 0.5, validation: 0.25, test: 0.25 } });
  assert.equal(readFileSync(r1.files.train.path, 'utf8'), first);
  // Exact duplicates (lines 1 and 4) share a split, so they cannot leak.
  const inTrain = first.includes('how do I reset');
  assert.equal(first.includes('How do I reset'), inTrain);
});
