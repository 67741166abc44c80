import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { e2eSession, TYPING_SETTINGS, type E2eSession } from './harness/session';

const MODEL = process.env.LATHE_E2E_MODEL ?? join(__dirname, '..', 'fixtures', 'models', 'tiny-llama');

let s: E2eSession;

before(async () => {
  s = await e2eSession('completions', {
    'lathe.model.path': MODEL,
    'lathe.engine.threads': 1,
    ...TYPING_SETTINGS,
    'editor.autoIndent': 'full',
    'lathe.completions.captureFile': 'captured/accepted.jsonl',
  });
});

after(async () => {
  await s?.close();
});

test('typing a function header shows ghost text, and Tab accepts it into the file', async () => {
  const { workbench } = s;
  const page = workbench.page;
  await workbench.waitForStatus(/Lathe: model (ready|loading)/);
  await workbench.openFile('src/math.ts');
  await workbench.cursorToEnd();
  await page.keyboard.type('\nexport function scale(p: Point, k: number): Point {');
  await page.keyboard.press('Enter');

  const ghost = page.locator('.ghost-text-decoration, .ghost-text').first();
  await ghost.waitFor({ state: 'visible', timeout: 60_000 });
  // Ghost text is split into one element per syntax-highlighted piece (and per line).
  const pieces = await page.locator('.ghost-text-decoration, .ghost-text').allInnerTexts();
  const shown = pieces.join('').replace(/\u00a0/g, ' ');
  assert.ok(shown.trim().length > 0, 'ghost text has content');
  await workbench.screenshot('completions-ghost-text');

  await page.keyboard.press('Tab');
  await ghost.waitFor({ state: 'hidden', timeout: 10_000 });
  await page.keyboard.press('Control+S');
  await page.locator('.tab.active.dirty').waitFor({ state: 'detached', timeout: 10_000 });
  const saved = readFileSync(join(s.server.workspace, 'src', 'math.ts'), 'utf8');
  const header = 'export function scale(p: Point, k: number): Point {\n';
  assert.ok(saved.includes(header), 'the typed header is in the file');
  const body = saved.slice(saved.indexOf(header) + header.length);
  const words = (t: string) => t.replace(/\s+/g, ' ').trim();
  assert.ok(words(body).includes(words(shown)), `the accepted ghost text ${JSON.stringify(shown)} is in the file:\n${body}`);
  await workbench.screenshot('completions-accepted');

  // Opted in through lathe.completions.captureFile: the accept became a FIM row on disk.
  const captured = join(s.server.workspace, 'captured', 'accepted.jsonl');
  let lines: string[] = [];
  for (let i = 0; i < 100 && lines.length === 0; i++) {
    if (existsSync(captured)) lines = readFileSync(captured, 'utf8').split('\n').filter(Boolean);
    else await page.waitForTimeout(100);
  }
  assert.equal(lines.length, 1, 'one accepted completion captured');
  const row = JSON.parse(lines[0]) as { prefix: string; suffix: string; middle: string; language: string; path: string };
  assert.match(row.prefix, /export function scale\(p: Point, k: number\): Point \{\n[ \t]*$/, 'the FIM prefix ends at the cursor');
  assert.equal(words(row.middle), words(shown));
  assert.equal(row.language, 'typescript');
  assert.equal(row.path, 'src/math.ts');
});

/** Opens Show Completion Stats, returns the dialog's text and closes it. */
async function readStats(screenshot?: string): Promise<string> {
  const { workbench } = s;
  await workbench.runCommand('Lathe: Show Completion Stats');
  const dialog = workbench.page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 10_000 });
  const text = await dialog.innerText();
  if (screenshot) await workbench.screenshot(screenshot);
  await workbench.page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  return text;
}

test('Show Completion Stats reports the accepted suggestion', async () => {
  const text = await readStats('completions-stats');
  assert.match(text, /Accepted: [1-9]/);
  assert.match(text, /Shown: [1-9]/);
  assert.match(text, /Latency p50: \d+ ms/);
  assert.match(text, /In this workspace since /);
});

test('the stats are kept for the workspace across a window reload, and Reset Completion Stats zeroes them', async () => {
  const { workbench } = s;
  const page = workbench.page;
  const reloaded = page.waitForEvent('load', { timeout: 60_000 });
  await workbench.startCommand('Developer: Reload Window');
  await reloaded;
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  await workbench.waitForLathe();
  const kept = await readStats('completions-stats-after-reload');
  assert.match(kept, /Accepted: [1-9]/, `stats after the reload:\n${kept}`);
  assert.match(kept, /Shown: [1-9]/);

  await workbench.startCommand('Lathe: Reset Completion Stats');
  const confirm = page.locator('.monaco-dialog-box', { hasText: 'Reset the Lathe completion stats' });
  await confirm.waitFor({ state: 'visible', timeout: 10_000 });
  await confirm.getByRole('button', { name: 'Reset', exact: true }).click();
  await confirm.waitFor({ state: 'hidden', timeout: 10_000 });
  const zero = await readStats('completions-stats-reset');
  assert.match(zero, /Shown: 0\b/);
  assert.match(zero, /Accepted: 0\b/);
  assert.match(zero, /Latency p50: –/);
});
