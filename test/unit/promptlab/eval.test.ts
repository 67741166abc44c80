import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkLabel, EXPECTED_CHECK, readAssertions, rowChecks } from '../../../extension/core/promptlab/eval/assertions';
import { parseCsvDataset, parseDataset, parseJsonlDataset } from '../../../extension/core/promptlab/eval/dataset';
import { evaluate, rowStatus } from '../../../extension/core/promptlab/eval/evaluate';
import { compareRuns, listRuns, loadRun, parseRun, runsDir, saveRun, serializeRun } from '../../../extension/core/promptlab/eval/runLog';
import { passRateText } from '../../../webview/promptlab/evalSummary';
import { parsePrompty } from '../../../extension/core/promptlab/prompty/parse';
import { FakeGenerator } from './fakeGenerator';

const PROMPT = `---
name: add
model:
  parameters:
    temperature: 0
sample:
  b: 9
lathe:
  assert:
    - type: equals
    - type: regex
      value: "^\\\\d+$"
---
user:
What is {{ a }} + {{ b }}? Reply with the number only.
`;

test('JSONL rows parse; a bad line becomes a row error naming its line', () => {
  const rows = parseJsonlDataset('{"a":1}\n\nnot json\n[1]\n{"b":2}\n');
  assert.deepEqual(rows.map((r) => ('error' in r ? `${r.line}:err` : `${r.line}:${JSON.stringify(r.values)}`)), ['1:{"a":1}', '3:err', '4:err', '5:{"b":2}']);
});

test('CSV rows parse with quotes, embedded commas and newlines', () => {
  const rows = parseCsvDataset('question,expected\n"a, b",1\n"multi\nline ""q""",2\nshort\n', 'd.csv');
  assert.deepEqual(rows[0], { index: 0, line: 2, values: { question: 'a, b', expected: '1' } });
  assert.deepEqual(rows[1], { index: 1, line: 3, values: { question: 'multi\nline "q"', expected: '2' } });
  assert.deepEqual(rows[2], { index: 2, line: 5, error: 'has 1 fields, the header has 2' });
  assert.equal(parseDataset('x\n1\n', 'D.CSV').length, 1);
  assert.throws(() => parseCsvDataset('a\n"open\n', 'd.csv'), /d\.csv:2: a quoted field is never closed/);
});

test('assertion specs are validated with their field', () => {
  assert.throws(() => readAssertions([{ type: 'sounds-good' }], 'p', 'lathe.assert'), /lathe\.assert\.0\.type: unknown assertion type/);
  assert.throws(() => readAssertions([{ type: 'regex', value: '(' }], 'p', 'lathe.assert'), /lathe\.assert\.0\.value: invalid regular expression/);
});

test('evaluation runs every row, reports a missing variable by row and field (sample does not fill it), and keeps going', async () => {
  const gen = new FakeGenerator({ respond: (prompt) => (prompt.includes('2 + 2') ? '4' : prompt.includes('1 + 1') ? 'two' : '7'), totalMs: 50 });
  const file = parsePrompty(PROMPT, '/w/add.prompty');
  const rows = parseJsonlDataset('{"a":2,"b":2,"expected":"4"}\n{"a":1,"expected":"2"}\n{"a":1,"b":1,"expected":"2"}\n{"a":3,"b":4,"expected":"7","assert":[{"type":"contains","value":"{{ expected }}"}]}\n');
  const seen: number[] = [];
  const run = await evaluate({ generator: gen, file, rows, datasetPath: 'd.jsonl', onRow: (_r, done) => seen.push(done), now: () => new Date('2026-01-02T03:04:05.000Z') });
  assert.deepEqual(seen, [1, 2, 3, 4]);
  assert.equal(run.rows[0].passed, true);
  assert.equal(run.rows[1].error, "row 2 (line 2): missing variable 'b'");
  assert.equal(run.rows[2].passed, false);
  assert.deepEqual(run.rows[2].checks.map((c) => [c.type, c.pass]), [['equals', false], ['regex', false]]);
  assert.deepEqual(run.rows[3].checks.map((c) => [c.type, c.pass]), [['equals', true], ['regex', true], ['contains', true]]);
  assert.equal(run.rows[3].latencyMs, 50);
  assert.equal(run.passRate, 0.5);
  assert.deepEqual(run.byAssertion.map((s) => [s.type, s.passRate]), [['equals', 2 / 3], ['regex', 2 / 3], ['contains', 1]]);
  assert.equal(run.model, 'fake-model');
});

test('runs are saved as JSONL next to the prompt, reloaded and compared', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-eval-'));
  const promptPath = join(dir, 'add.prompty');
  writeFileSync(promptPath, PROMPT);
  const file = parsePrompty(PROMPT, promptPath);
  const rows = parseJsonlDataset('{"a":2,"b":2,"expected":"4"}\n{"a":1,"b":1,"expected":"2"}\n');
  const first = await evaluate({ generator: new FakeGenerator({ respond: () => '4' }), file, rows, datasetPath: 'd', now: () => new Date('2026-01-01T00:00:00.000Z') });
  const second = await evaluate({ generator: new FakeGenerator({ respond: (p) => (p.includes('1 + 1') ? '2' : '5') }), file, rows, datasetPath: 'd', now: () => new Date('2026-01-02T00:00:00.000Z') });
  const p1 = await saveRun(first, promptPath);
  const p2 = await saveRun(second, promptPath);
  assert.equal(p1, join(runsDir(promptPath), '2026-01-01T00-00-00-000Z.jsonl'));
  assert.deepEqual(await listRuns(promptPath), [p1, p2]);
  const lines = readFileSync(p1, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string });
  assert.deepEqual(lines.map((l) => l.kind), ['run', 'row', 'row', 'summary']);
  const reloaded = await loadRun(p1);
  assert.deepEqual(reloaded, JSON.parse(JSON.stringify(first)));
  const cmp = compareRuns(second, reloaded, p1);
  assert.deepEqual({ improved: cmp.improved, regressed: cmp.regressed, changed: cmp.changedOutputs }, { improved: 1, regressed: 1, changed: 2 });
  assert.equal(cmp.passRateBefore, 0.5);
});

const PLAIN = `---
name: plain
---
user:
{{ question }}
`;

test('a row with an expected field and no assertions is checked against it; a row with nothing to check never passes', async () => {
  // The observed failure: nonsense output, rows carrying "expected", no assertions anywhere → "100%".
  const gen = new FakeGenerator({ respond: (prompt) => (prompt.includes('capital') ? 'The capital is Paris.' : 'Assistant: Write a Particium-1.') });
  const file = parsePrompty(PLAIN, '/w/plain.prompty');
  const rows = parseJsonlDataset('{"question":"capital of France?","expected":"Paris"}\n{"question":"2+2?","expected":"4"}\n{"question":"hello"}\n');
  const run = await evaluate({ generator: gen, file, rows, datasetPath: 'd.jsonl' });
  assert.deepEqual(run.rows.map(rowStatus), ['pass', 'fail', 'unchecked']);
  assert.deepEqual(run.rows[0].checks, [{ type: 'contains', pass: true, implicit: true, message: undefined }]);
  assert.equal(run.rows[1].checks[0].message, 'the output does not contain the row\'s expected "4"');
  assert.equal(checkLabel(run.rows[1].checks[0]), 'contains expected');
  assert.equal(run.rows[2].passed, false, 'a row with no check is not passed');
  assert.equal(run.checkedRows, 2);
  assert.equal(run.passRate, 0.5);
});

test('a run with no checks at all has no pass rate', async () => {
  const file = parsePrompty(PLAIN, '/w/plain.prompty');
  const rows = parseJsonlDataset('{"question":"a"}\n{"question":"b"}\n{"question":"c"}\n');
  const run = await evaluate({ generator: new FakeGenerator({ respond: () => 'Assistant:' }), file, rows, datasetPath: 'd.jsonl' });
  assert.deepEqual(run.rows.map(rowStatus), ['unchecked', 'unchecked', 'unchecked']);
  assert.equal(run.passRate, null);
  assert.equal(run.checkedRows, 0);
  assert.deepEqual(run.byAssertion, []);
  const summary = { passRate: run.passRate, checkedRows: run.checkedRows, rows: run.rows.map((r) => ({ status: rowStatus(r) })) };
  assert.match(passRateText(summary), /^No checks: none of the 3 rows/);
  assert.equal(passRateText({ passRate: 0.5, checkedRows: 2, rows: [{ status: 'pass' }, { status: 'fail' }, { status: 'unchecked' }] }), 'Pass rate 50% (1/2) · 1 row not checked');
});

test('declared assertions replace the default check of expected, and errors count as checked failures', async () => {
  const withAssert = parsePrompty(`---\nname: p\nlathe:\n  assert:\n    - type: regex\n      value: "^\\\\d+$"\n---\nuser:\n{{ question }}\n`, '/w/p.prompty');
  const rows = parseJsonlDataset('{"question":"q","expected":"no match needed"}\n{"expected":"x"}\n');
  const run = await evaluate({ generator: new FakeGenerator({ respond: () => '42' }), file: withAssert, rows, datasetPath: 'd.jsonl' });
  assert.deepEqual(run.rows[0].checks.map((c) => [c.type, c.pass, c.implicit]), [['regex', true, undefined]]);
  assert.deepEqual(run.rows.map(rowStatus), ['pass', 'error']);
  assert.equal(run.passRate, 0.5);
});

test('a run saved without checkedRows loads with every row counted; the summary line carries checkedRows', () => {
  const text = ['{"kind":"run","prompt":"p","dataset":"d","model":"m","startedAt":"s"}', '{"kind":"row","index":0,"line":1,"output":"x","passed":true,"checks":[{"type":"equals","pass":true}]}', '{"kind":"summary","rows":1,"passRate":1,"byAssertion":[]}'].join('\n');
  const run = parseRun(text, 'old.jsonl');
  assert.equal(run.checkedRows, 1);
  assert.match(serializeRun({ ...run, passRate: null, checkedRows: 0 }), /"kind":"summary","rows":1,"passRate":null,"checkedRows":0/);
});

test('rowChecks: declared assertions first, else the expected field, else nothing', () => {
  assert.deepEqual(rowChecks([], { expected: 'a' }), [EXPECTED_CHECK]);
  assert.deepEqual(rowChecks([], { expected: null }), []);
  assert.deepEqual(rowChecks([], { expected: ' ' }), [], 'a blank CSV cell is no expectation');
  assert.deepEqual(rowChecks([], { expected: 0 }), [EXPECTED_CHECK]);
  assert.deepEqual(rowChecks([], {}), []);
  assert.deepEqual(rowChecks([{ type: 'equals' }], { expected: 'a' }), [{ type: 'equals' }]);
});
