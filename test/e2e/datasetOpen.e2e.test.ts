/**
 * *.jsonl files that look like training data open in the Lathe Dataset editor by themselves,
 * in one tab; other JSON Lines stay text, and Lathe: Open Dataset Editor from a text tab shows
 * the dataset editor in that tab's place. Problem labels are whole at 1,400 px, and a content
 * of the wrong type is labelled as such.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DatasetEditorPage } from './curationPage';
import { e2eSession, type E2eSession } from './harness/session';

let s: E2eSession;

before(async () => {
  s = await e2eSession('dataset-open');
});

after(async () => {
  await s?.close();
});

/** Polls until `condition` holds (UI state, no fixed sleeps). */
async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await s.workbench.page.waitForTimeout(200);
  }
  throw new Error(`timed out waiting until ${what} (screenshot: ${await s.workbench.screenshot(`dataset-open-timeout-${what.replace(/[^a-z0-9]+/gi, '-')}`)})`);
}

test('a training-data .jsonl opens in the dataset editor by itself, in a single tab, with whole problem labels', async () => {
  await s.workbench.quickOpen('data/support-chat.jsonl');
  const ds = await DatasetEditorPage.attach(s.workbench, 'support-chat.jsonl');
  await ds.waitForSummary(/duplicate groups/);
  await until(async () => (await s.workbench.tabCount('support-chat.jsonl')) === 1, 'one tab shows support-chat.jsonl');
  // At 1,400 px no problem label is cut: it wraps, never overflows its cell.
  const cut = await ds.frame.locator('.dt-body .dt-problems').evaluateAll((cells) =>
    cells.filter((c) => c.scrollWidth > c.clientWidth + 1 || c.scrollHeight > c.clientHeight + 1).map((c) => c.textContent),
  );
  assert.deepEqual(cut, []);
  const labels = await ds.frame.locator('.dt-body .dt-problems .pb').allTextContents();
  assert.ok(labels.some((l) => /Unrecognized role/.test(l)), `labels: ${labels.join(' | ')}`);
  await s.workbench.screenshot('dataset-open-auto');
});

test('a content of the wrong type is labelled as such, naming the field', async () => {
  const row = { messages: [{ role: 'user', content: 42 }, { role: 'assistant', content: 'a' }] };
  writeFileSync(join(s.server.workspace, 'data', 'typed.jsonl'), `${JSON.stringify(row)}\n`);
  await s.workbench.quickOpen('data/typed.jsonl');
  const ds = await DatasetEditorPage.attach(s.workbench, 'typed.jsonl');
  await ds.selectRow(1);
  assert.deepEqual(await ds.problemCodes(), ['content_type']);
  assert.match(await ds.frame.locator('.dd-problems').innerText(), /messages\[0\]\.content must be a string or a list of parts, got number/);
  assert.match(await ds.frame.locator('.dt-body .dt-problems .pb').first().innerText(), /Wrong content type/);
  await s.workbench.screenshot('dataset-open-content-type');
});

test('other JSON Lines stay text; Open Dataset Editor from its tab replaces the tab instead of adding one', async () => {
  writeFileSync(join(s.server.workspace, 'data', 'events.jsonl'), '{"level":"info","msg":"started"}\n{"level":"warn","msg":"slow"}\n');
  await s.workbench.openFile('data/events.jsonl');
  assert.equal(await s.workbench.tabCount('events.jsonl'), 1);
  await s.workbench.runCommand('Lathe: Open Dataset Editor');
  await DatasetEditorPage.attach(s.workbench, 'events.jsonl');
  await until(async () => (await s.workbench.tabCount('events.jsonl')) === 1, 'one tab shows events.jsonl');
  await s.workbench.screenshot('dataset-open-command-in-place');
});
