import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DatasetEditorPage } from './curationPage';
import { e2eSession, type E2eSession } from './harness/session';

let s: E2eSession;
let ds: DatasetEditorPage;
const DATASET = 'data/support-chat.jsonl';
const lines = (buf: Buffer) => {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = buf.indexOf(10); i >= 0; start = i + 1, i = buf.indexOf(10, start)) out.push(buf.subarray(start, i));
  return out;
};

before(async () => {
  s = await e2eSession('curation');
});

after(async () => {
  await s?.close();
});

test('a dataset opens in the Lathe Dataset editor with its problems per row', async () => {
  ds = await DatasetEditorPage.open(s.workbench, DATASET);
  const summary = await ds.waitForSummary(/duplicate groups/);
  assert.match(summary, /support-chat\.jsonl · 16 lines · 14 valid rows · OpenAI chat/);
  assert.match(summary, /5 rows with errors/);
  assert.match(summary, /tokens min \d+/);
  assert.match(summary, /2 duplicate groups/);
  const rows = await ds.rows();
  const codes = new Map(rows.map((r) => [r.line, r.codes]));
  assert.match(codes.get('5') ?? '', /invalid_json/);
  assert.match(codes.get('8') ?? '', /unrecognized_role/);
  assert.match(codes.get('9') ?? '', /invalid_utf8/);
  assert.match(codes.get('2') ?? '', /pii/);
  assert.match(codes.get('4') ?? '', /duplicate/);
  assert.match(codes.get('13') ?? '', /near_duplicate/);
  await ds.filterProblems('errors');
  await ds.waitForTotal(5);
  await s.workbench.screenshot('curation-problems');
  await ds.filterProblems('');
  await ds.waitForTotal(16);
  // Next Problem walks the rows that have problems (line 2 has an email address).
  await ds.frame.locator('#next-problem').click();
  await ds.frame.locator('.dd-header h2', { hasText: 'Line 2' }).waitFor();
  await ds.frame.locator('#next-problem').click();
  await ds.frame.locator('.dd-header h2', { hasText: 'Line 3' }).waitFor();
});

test('a row is shown as a chat, fixed in place, undone and redone, and saved with invalid lines kept byte for byte', async () => {
  await ds.selectRow(8);
  assert.deepEqual(await ds.problemCodes(), ['unrecognized_role']);
  assert.equal(await ds.frame.locator('.dd-msg').count(), 2);
  await s.workbench.screenshot('curation-row-chat');
  const fixed = (await ds.editor().inputValue()).replace('"usr"', '"user"');
  await ds.editor().fill(fixed);
  await ds.frame.locator('#apply-edit').click();
  await ds.frame.locator('.dd-ok').waitFor();
  await ds.waitForSummary(/4 rows with errors/);
  await s.workbench.screenshot('curation-row-fixed');
  // Undo and redo go through VS Code's own edit stack.
  await s.workbench.page.locator('.tab.active').click();
  await s.workbench.page.keyboard.press('Control+Z');
  await ds.waitForSummary(/5 rows with errors/);
  await s.workbench.page.keyboard.press('Control+Shift+Z');
  await ds.waitForSummary(/4 rows with errors/);
  const before = readFileSync(join(s.server.workspace, DATASET));
  await s.workbench.page.keyboard.press('Control+S');
  const file = join(s.server.workspace, DATASET);
  const deadline = Date.now() + 20_000;
  while (readFileSync(file).equals(before) && Date.now() < deadline) await s.workbench.page.waitForTimeout(200);
  const after = lines(readFileSync(file));
  const orig = lines(before);
  assert.equal(after.length, orig.length);
  assert.deepEqual(JSON.parse(after[7].toString()).messages[0], { role: 'user', content: 'Hello' });
  for (const i of [0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15]) assert.ok(after[i].equals(orig[i]), `line ${i + 1} unchanged byte for byte`);
});

test('tag and rate a row, then filter by tag', async () => {
  await ds.selectRow(12);
  await ds.frame.locator('#tag-input').fill('poetry');
  await ds.frame.locator('#tag-input').press('Enter');
  await ds.frame.locator('.chip[data-tag="poetry"]').waitFor();
  await ds.frame.locator('.star[data-rating="4"]').click();
  await ds.frame.locator('.star.on').nth(3).waitFor();
  await ds.frame.locator('#filter-tag').selectOption('poetry');
  await ds.waitForTotal(1);
  assert.deepEqual((await ds.rows()).map((r) => r.line), ['12']);
  await ds.frame.locator('#filter-tag').selectOption('');
  await ds.waitForTotal(16);
  // Tags and ratings are saved beside the dataset, never into its rows.
  const before = readFileSync(join(s.server.workspace, DATASET));
  await s.workbench.page.locator('.tab.active').click();
  await s.workbench.page.keyboard.press('Control+S');
  const sidecar = join(s.server.workspace, `${DATASET}.lathe.json`);
  const deadline = Date.now() + 20_000;
  while (!existsSync(sidecar) && Date.now() < deadline) await s.workbench.page.waitForTimeout(200);
  assert.match(readFileSync(sidecar, 'utf8'), /"poetry"/);
  assert.ok(readFileSync(join(s.server.workspace, DATASET)).equals(before));
});

test('export splits writes train/validation/test files next to the dataset', async () => {
  await ds.frame.locator('#export-splits').click();
  await ds.frame.locator('#split-run').click();
  // The folder picker (simple dialog in code-server) starts in the dataset's folder: accept it.
  const picker = s.workbench.page.locator('.quick-input-widget');
  await picker.waitFor({ state: 'visible', timeout: 15_000 });
  await s.workbench.page.keyboard.press('Enter');
  const result = ds.frame.locator('#export-result li');
  await result.first().waitFor({ timeout: 30_000 });
  const texts = await result.allInnerTexts();
  assert.equal(texts.length, 3);
  const counts = texts.map((t) => Number(/: (\d+) rows?/.exec(t)?.[1]));
  assert.equal(counts.reduce((a, b) => a + b, 0), 14);
  await s.workbench.screenshot('curation-export');
  for (const split of ['train', 'validation', 'test']) {
    const text = readFileSync(join(s.server.workspace, 'data', `support-chat.${split}.jsonl`), 'utf8');
    for (const line of text.split('\n').filter(Boolean)) assert.ok(JSON.parse(line).messages, `${split} holds valid rows only`);
  }
});

test('redact PII in every matching row as one undoable edit', async () => {
  await ds.filterProblems('pii');
  await ds.waitForTotal(2);
  await ds.frame.locator('#bulk-redact').click();
  await ds.frame.locator('#notice', { hasText: 'Redacted 2 rows' }).waitFor();
  await ds.waitForTotal(0);
  await ds.filterProblems('');
  await ds.selectRow(2);
  assert.match(await ds.editor().inputValue(), /<EMAIL>/);
  await s.workbench.screenshot('curation-redacted');
  await s.workbench.page.locator('.tab.active').click();
  await s.workbench.page.keyboard.press('Control+Z');
  await ds.filterProblems('pii');
  await ds.waitForTotal(2);
  await ds.filterProblems('');
});

test('a file changed on disk while open (and saved) is reloaded, and the user is told', async () => {
  const file = join(s.server.workspace, DATASET);
  writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.from('{"messages": [{"role": "user", "content": "added outside"}, {"role": "assistant", "content": "ok"}]}\n')]));
  await ds.frame.locator('#notice', { hasText: 'changed on disk and was reloaded' }).waitFor({ timeout: 30_000 });
  await ds.waitForSummary(/17 lines/);
});

test('100,000 rows: the table renders only the rows in view and scrolls to the end', async () => {
  // Short rows keep the file small enough to open as text first; the row count is what matters.
  const rows = Array.from({ length: 100_000 }, (_, i) => JSON.stringify({ messages: [{ role: 'user', content: `question ${i + 1}` }, { role: 'assistant', content: `answer ${i + 1}` }] }));
  writeFileSync(join(s.server.workspace, 'data', 'big.jsonl'), `${rows.join('\n')}\n`);
  const big = await DatasetEditorPage.open(s.workbench, 'data/big.jsonl');
  await big.waitForTotal(100_000, 120_000);
  const rendered = Number(await big.frame.locator('.dt-table').getAttribute('data-rendered'));
  assert.ok(rendered > 0 && rendered < 120, `rendered ${rendered} row elements`);
  await big.frame.locator('.dt-viewport').focus();
  await big.frame.locator('.dt-viewport').press('End');
  await big.row(100_000).waitFor({ timeout: 30_000 });
  assert.ok(Number(await big.frame.locator('.dt-table').getAttribute('data-rendered')) < 120);
  await big.frame.locator('#filter-search').fill('question 99999');
  await big.waitForTotal(1, 30_000);
  await s.workbench.screenshot('curation-100k');
});

test('the webviews accepted every message the host sent (none rejected by the protocol checks)', async () => {
  // A probe first: it proves the webview's console errors are collected at all.
  await ds.frame.evaluate(() => console.error('[dataset] probe'));
  const deadline = Date.now() + 10_000;
  while (!s.workbench.webviewErrors('dataset').includes('[dataset] probe') && Date.now() < deadline) await s.workbench.page.waitForTimeout(100);
  assert.deepEqual(s.workbench.webviewErrors('dataset'), ['[dataset] probe']);
});
