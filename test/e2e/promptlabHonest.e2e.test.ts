/**
 * An honest Prompt Lab on the embedded model (lathe-code-mini, a small FIM code model without
 * a chat template): the header says what it can do, a visible note says it cannot follow chat
 * prompts and offers one click to choose a chat model, and Evaluate checks a dataset's
 * `expected` column instead of counting unchecked rows as passed.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { e2eSession, type E2eSession } from './harness/session';
import { PromptLabPage } from './promptlabPage';

let s: E2eSession;
let lab: PromptLabPage;

before(async () => {
  s = await e2eSession('promptlab-honest');
});

after(async () => {
  await s?.close();
});

test('the header says the embedded model is completion only, with a note and one click to choose a chat model', async () => {
  lab = await PromptLabPage.open(s.workbench);
  const { view } = lab;
  assert.equal(await view.locator('#model-name').textContent(), 'lathe-code-mini');
  assert.match((await view.locator('#model-capability').textContent()) ?? '', /^completion only · fill-in-the-middle · \d+-token window$/);
  const note = view.locator('#capability-note');
  await note.waitFor({ state: 'visible', timeout: 10_000 });
  const text = await note.innerText();
  assert.match(text, /lathe-code-mini is a small code-completion model without a chat template/);
  assert.match(text, /cannot follow instructions or answer questions/);
  assert.match(text, /plain-text transcript that it continues/);
  await s.workbench.screenshot('promptlab-honest-capability-note');
  await view.locator('#choose-chat-model').click();
  const picker = s.workbench.page.locator('.quick-input-widget');
  await picker.locator('.quick-input-title', { hasText: 'Lathe: Select the chat model' }).waitFor({ timeout: 15_000 });
  await s.workbench.screenshot('promptlab-honest-choose-chat-model');
  await s.workbench.page.keyboard.press('Escape');
  await picker.waitFor({ state: 'hidden', timeout: 10_000 });
});

test('Evaluate with an expected column and no assertions shows real pass and fail, and a row with nothing to check as unchecked', async () => {
  const { view } = lab;
  await lab.openPrompt('complete-code.prompty');
  await view.locator('#tab-eval').click();
  await view.locator('#evaluate').click();
  await lab.answerFileDialog(join(s.server.workspace, 'prompts', 'complete-code.data.csv'));
  const summary = view.locator('#eval-pass-rate');
  await summary.waitFor({ timeout: 120_000 });
  // Row 1 continues a for loop with " {" (greedy), row 2 does not name Paris, row 3 has an empty expected cell.
  assert.equal(await summary.textContent(), 'Pass rate 50% (1/2) · 1 row not checked');
  const rows = view.locator('.pl-eval-grid tbody tr');
  assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status'))), ['pass', 'fail', 'unchecked']);
  assert.match((await rows.nth(0).textContent()) ?? '', /✓ contains expected/);
  assert.match((await rows.nth(1).textContent()) ?? '', /✗ contains expected/);
  assert.match((await rows.nth(2).locator('.pl-cell-status').textContent()) ?? '', /^no checks$/);
  await s.workbench.screenshot('promptlab-honest-evaluate-expected');
});
