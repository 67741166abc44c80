import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DatasetSession } from '../../../extension/core/curation/document/session';
import { approximateCounter } from '../../../extension/core/curation/lint/tokens';
import { splitLines } from '../../../extension/core/curation/jsonl/lines';
import type { RowFilter } from '../../../extension/core/curation/document/views';

/** Every row. */
const EMPTY_FILTER: RowFilter = { problem: '', tag: '', rating: -1, search: '' };
const SUPPORT = join(__dirname, '..', '..', 'fixtures', 'workspace', 'data', 'support-chat.jsonl');

async function open(maxTokens = 4096): Promise<DatasetSession> {
  const s = new DatasetSession(splitLines(readFileSync(SUPPORT)), { counter: approximateCounter, maxTokens });
  await s.lintAll();
  return s;
}

test('the summary counts lines, valid rows, format and rows per problem', async () => {
  const s = await open();
  const sum = s.summary('support-chat.jsonl');
  assert.deepEqual({ lines: sum.lines, valid: sum.validRows, format: sum.format, errors: sum.errorRows }, { lines: 16, valid: 14, format: 'openai-chat', errors: 5 });
  assert.equal(sum.problemRows.invalid_json, 1);
  assert.equal(sum.tokens, null, 'no token statistics before analysis');
  assert.equal(sum.duplicates, null);
});

test('after analysis: tokens, PII and duplicates are problems too, and filters find them', async () => {
  const s = await open(60);
  await s.analyze();
  const sum = s.summary('x');
  assert.equal(sum.tokens?.overLimit, 2, JSON.stringify(sum.tokens));
  assert.deepEqual(sum.duplicates && { groups: sum.duplicates.groups, redundant: sum.duplicates.redundant }, { groups: 2, redundant: 2 });
  const lineNumbers = (problem: string) => s.page({ ...EMPTY_FILTER, problem }, 0, 100).rows.map((r) => r.line);
  assert.deepEqual(lineNumbers('pii'), [2, 11]);
  assert.deepEqual(lineNumbers('duplicate'), [4]);
  assert.deepEqual(lineNumbers('near_duplicate'), [13]);
  assert.deepEqual(lineNumbers('too_long'), [6, 13]);
  assert.deepEqual(lineNumbers('errors').filter((l) => l !== 6 && l !== 13), [3, 5, 8, 9, 10]);
});

test('pages are slices of the filtered rows; search and tag filters combine', async () => {
  const s = await open();
  const page = s.page(EMPTY_FILTER, 10, 4);
  assert.equal(page.total, 16);
  assert.deepEqual(page.rows.map((r) => r.line), [11, 12, 13, 14]);
  const id = s.model.lineAt(11).id;
  s.model.apply({ kind: 'meta', id, meta: { tags: ['poetry'], rating: 4 } });
  assert.deepEqual(s.page({ ...EMPTY_FILTER, tag: 'poetry' }, 0, 10).rows.map((r) => r.line), [12]);
  assert.deepEqual(s.page({ ...EMPTY_FILTER, rating: 5 }, 0, 10).total, 0);
  assert.deepEqual(s.page({ ...EMPTY_FILTER, search: 'HAIKU' }, 0, 10).rows.map((r) => r.line), [12]);
});

test('row detail: the chat segments, and an edit that fixes the row clears its problems', async () => {
  const s = await open();
  const line8 = s.model.lineAt(7);
  const d = s.detail(line8.id)!;
  assert.deepEqual(d.segments?.map((x) => x.role), ['usr', 'assistant']);
  assert.deepEqual(d.problems.map((p) => p.code), ['unrecognized_role']);
  const undo = s.model.apply(s.model.replacement(line8.id, d.text.replace('"usr"', '"user"')));
  assert.deepEqual(s.detail(line8.id)!.problems, []);
  assert.equal(s.detail(line8.id)!.edited, true);
  s.model.apply(undo);
  assert.deepEqual(s.detail(line8.id)!.problems.map((p) => p.code), ['unrecognized_role']);
});

test('next problem walks the rows with problems in the filtered view, wrapping both ways', async () => {
  const s = await open();
  const lineAt = (k: number | null) => (k === null ? null : s.page(EMPTY_FILTER, k, 1).rows[0].line);
  assert.equal(lineAt(s.nextProblem(EMPTY_FILTER, -1)), 3);
  assert.equal(lineAt(s.nextProblem(EMPTY_FILTER, 2)), 5);
  assert.equal(lineAt(s.nextProblem(EMPTY_FILTER, 9)), 3, 'wraps to the first');
  assert.equal(lineAt(s.nextProblem(EMPTY_FILTER, 2, true)), 10, 'backwards wraps to the last');
  assert.equal(s.nextProblem({ ...EMPTY_FILTER, problem: 'clean' }, -1), null);
});
