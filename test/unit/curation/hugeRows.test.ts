/**
 * Huge and deep rows are problems of their row: a 4 MB line is never parsed or tokenized (its
 * token count is estimated), a 20,000-deep line is never walked recursively, and the rest of the
 * file is linted, scanned, converted and redacted as usual.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { rowLimitsFlag } from '../../../extension/cli/commands/dataset';
import { jsonDepth, tooDeep } from '../../../extension/core/common/json/depth';
import { DatasetSession } from '../../../extension/core/curation/document/session';
import { splitLines } from '../../../extension/core/curation/jsonl/lines';
import { DEFAULT_MAX_ROW_BYTES } from '../../../extension/core/curation/jsonl/parse';
import { lintFile } from '../../../extension/core/curation/lint/file';
import { approximateCounter } from '../../../extension/core/curation/lint/tokens';
import type { TokenCounter } from '../../../extension/core/models/tokenCounter';
import { redactValue, scanValue } from '../../../extension/core/curation/pii/value';
import { convertFile } from '../../../extension/core/curation/tasks/convertFile';
import { redactFile, scanFile } from '../../../extension/core/curation/tasks/piiFile';
import { splitFile } from '../../../extension/core/curation/tasks/splits';

const chat = (user: string, answer: string) => JSON.stringify({ messages: [{ role: 'user', content: user }, { role: 'assistant', content: answer }] });
const HUGE = chat('summarize', 'a'.repeat(4_000_000));
const DEEP = `{"messages":[{"role":"user","content":${'['.repeat(20_000)}"x"${']'.repeat(20_000)}},{"role":"assistant","content":"y"}]}`;
const DEEP_ARRAY = '['.repeat(20_000) + ']'.repeat(20_000);

function dataset(): { dir: string; file: string; lines: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-huge-'));
  const lines = [chat('mail me at ann@example.com', 'ok'), HUGE, DEEP, DEEP_ARRAY, chat('hi', 'hello')];
  const file = join(dir, 'data.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  return { dir, file, lines };
}

/** A counter that remembers the longest text it was given. */
function spyCounter(): TokenCounter & { longest: number } {
  const spy = { name: 'spy', longest: 0, count: (text: string) => ((spy.longest = Math.max(spy.longest, text.length)), approximateCounter.count(text)) };
  return spy;
}

test('jsonDepth measures without recursion and treats cycles as infinitely deep', () => {
  assert.equal(jsonDepth('x'), 0);
  assert.equal(jsonDepth([]), 1);
  assert.equal(jsonDepth({ a: [1, { b: 2 }] }), 3);
  assert.equal(jsonDepth(JSON.parse(DEEP_ARRAY), 100_000), 20_000);
  assert.equal(tooDeep(JSON.parse(DEEP_ARRAY)), true);
  const shared = { x: 1 };
  assert.equal(jsonDepth({ a: shared, b: shared }), 2, 'a shared object is not a cycle');
  const cyclic: Record<string, unknown> = {};
  cyclic.self = { back: cyclic };
  assert.equal(jsonDepth(cyclic), Infinity);
});

test('dataset lint: the 4 MB row is over the size cap (never tokenized, count estimated), the 20,000-deep rows are too deep', async () => {
  const { file } = dataset();
  const counter = spyCounter();
  const r = await lintFile(file, { counter, maxTokens: 4096 });
  assert.equal(r.lines, 5);
  assert.equal(r.validRows, 2);
  const at = (line: number) => r.problems.find((p) => p.line === line)?.problems.map((p) => `${p.code}: ${p.message}`) ?? [];
  assert.deepEqual(at(2), [
    'row_too_large: the row is 3.8 MiB, over the 512 KiB row size cap: not parsed, tokenized or scanned (raise the cap to check it)',
    'too_long: about 1000022 tokens (estimated from its size), over the limit of 4096',
  ]);
  assert.match(at(3)[0], /^row_too_deep: the row nests more than 512 levels deep/);
  assert.match(at(4)[0], /^row_too_deep: /);
  assert.ok(counter.longest < 100, `the counter never saw the huge row (longest text: ${counter.longest})`);
  assert.deepEqual(r.tokens?.estimatedLines, [2]);
  assert.equal(r.tokens?.overLimit, 1);
});

test('the row size cap is configurable: raised, the 4 MB row is read and counted', async () => {
  const { file } = dataset();
  const counter = spyCounter();
  const r = await lintFile(file, { counter, maxTokens: 10_000_000, limits: rowLimitsFlag('8m') });
  assert.ok(!r.problems.some((p) => p.line === 2));
  assert.equal(r.validRows, 3);
  assert.ok(counter.longest >= 4_000_000);
  assert.deepEqual(rowLimitsFlag(undefined).maxRowBytes, DEFAULT_MAX_ROW_BYTES);
  assert.equal(rowLimitsFlag('600000').maxRowBytes, 600_000);
  assert.equal(rowLimitsFlag('512KiB').maxRowBytes, 512 * 1024);
  assert.throws(() => rowLimitsFlag('lots'), /--max-row-bytes must be a size/);
});

test('dataset pii: scans every other row and reports the rows it could not scan', async () => {
  const { file, dir, lines } = dataset();
  const scan = await scanFile(file);
  assert.equal(scan.rowsWithFindings, 1);
  assert.deepEqual(scan.lines.map((l) => l.line), [1]);
  assert.deepEqual(scan.notScanned.map((n) => n.line), [2, 3, 4]);
  const out = join(dir, 'redacted.jsonl');
  const redacted = await redactFile(file, out, undefined, undefined);
  assert.equal(redacted.redactedRows, 1);
  assert.deepEqual(redacted.notScanned.map((n) => n.line), [2, 3, 4]);
  const written = readFileSync(out, 'utf8').split('\n');
  assert.match(written[0], /<EMAIL>/);
  assert.deepEqual(written.slice(1, 5), lines.slice(1, 5), 'rows that could not be scanned are kept byte for byte');
});

test('dataset convert: deep and huge rows are kept verbatim and reported; every row is written', async () => {
  const { file, dir, lines } = dataset();
  const out = join(dir, 'converted.jsonl');
  const r = await convertFile(file, out, 'sharegpt');
  assert.equal(r.converted, 2);
  assert.deepEqual(r.keptInvalid.map((k) => k.line), [2, 3, 4]);
  assert.match(r.keptInvalid[1].reason, /nests more than 512 levels deep/);
  const written = readFileSync(out, 'utf8').split('\n');
  assert.equal(written.length, 6);
  assert.deepEqual(written.slice(1, 4), lines.slice(1, 4));
  const split = await splitFile(file, { seed: 's', outDir: join(dir, 'splits') });
  assert.equal(split.skipped, 3);
});

test('PII walks over a 20,000-deep value do not overflow the stack (scan is iterative, redact refuses)', () => {
  const deep = JSON.parse(`${'['.repeat(20_000)}"ann@example.com"${']'.repeat(20_000)}`) as unknown;
  assert.equal(scanValue(deep).length, 1);
  assert.throws(() => redactValue(deep), /nests more than 512 levels deep/);
});

test('the dataset editor estimates the token count of an over-cap row and never tokenizes it', async () => {
  const { lines } = dataset();
  const counter = spyCounter();
  const s = new DatasetSession(splitLines(Buffer.from(lines.join('\n') + '\n')), { counter, maxTokens: 4096 });
  await s.lintAll();
  await s.analyze();
  const codes = (i: number) => s.problemsAt(i, true).map((p) => `${p.code}: ${p.message}`);
  assert.deepEqual(codes(1).slice(0, 1), ['row_too_large: the row is 3.8 MiB, over the 512 KiB row size cap: not parsed, tokenized or scanned (raise the cap to check it)']);
  assert.ok(codes(1).includes('too_long: about 1000022 tokens (estimated from its size), over the limit of 4096 (spy)'), codes(1).join('\n'));
  assert.match(codes(2)[0], /^row_too_deep/);
  assert.ok(counter.longest < 100);
});
