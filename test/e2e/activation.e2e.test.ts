import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { e2eSession, type E2eSession } from './harness/session';

let s: E2eSession;

before(async () => {
  s = await e2eSession('activation');
});

after(async () => {
  await s?.close();
});

test('Lathe activates and logs its activation line', async () => {
  await s.workbench.runCommand('Lathe: Show Logs');
  const text = await s.workbench.waitForOutput(/Lathe \d+\.\d+\.\d+ activated/);
  assert.match(text, /\[lathe\] Lathe \d+\.\d+\.\d+ activated/);
  await s.workbench.screenshot('activation-log');
});

test('the Lathe commands appear in the command palette with their category', async () => {
  const labels = await s.workbench.searchCommands('Lathe:');
  for (const title of ['Lathe: Show Logs', 'Lathe: Open Prompt Lab']) {
    assert.ok(labels.some((l) => l.includes(title)), `missing ${title} in ${JSON.stringify(labels)}`);
  }
});

test('Open Prompt Lab shows the webview after the ready handshake', async () => {
  await s.workbench.runCommand('Lathe: Open Prompt Lab');
  const view = await s.workbench.webview('Prompt Lab');
  await view.locator('#app[data-state="ready"]').waitFor({ timeout: 30_000 });
  assert.equal(await view.locator('.pl-header h2').innerText(), 'Prompt Lab');
  assert.equal(await view.locator('#model-name').textContent(), 'lathe-code-mini');
  // The embedded model loads in the background from activation; the header follows its state
  // without a run (it may open on "loading").
  await view.locator('#model-state', { hasText: 'ready' }).waitFor({ timeout: 60_000 });
  await s.workbench.screenshot('promptlab-open');
});
