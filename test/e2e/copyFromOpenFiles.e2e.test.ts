/**
 * Prompt copy over the open files of a language, in a real VS Code: a line that only another open
 * file holds is suggested whole when the user starts typing it. Greedy decoding (one beam): the
 * random-weight fixture model's line search would decide by its own noise; the search has unit tests.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { e2eSession, TYPING_SETTINGS, type E2eSession } from './harness/session';

const MODEL = process.env.LATHE_E2E_MODEL ?? join(__dirname, '..', 'fixtures', 'models', 'tiny-llama');

let s: E2eSession;

before(async () => {
  s = await e2eSession('copy-from-open-files', {
    'lathe.model.path': MODEL,
    'lathe.engine.threads': 1,
    'lathe.completions.beams': 1,
    ...TYPING_SETTINGS,
  });
});

after(async () => {
  await s?.close();
});

test('a line another open file holds is suggested whole when the user starts typing it', async () => {
  const { workbench } = s;
  const page = workbench.page;
  await workbench.waitForStatus(/Lathe: model (ready|loading)/);
  // A call no definition explains: only the open routes.ts says how it goes on.
  const line = "app.mount('/ledger', handleLedgerExport, { retries: 7, region: 'eu-north' });";
  writeFileSync(join(s.server.workspace, 'src', 'routes.ts'), `// Routes of the ledger service.\n${line}\n`);
  await workbench.openFile('src/routes.ts');
  await workbench.openFile('src/math.ts');
  await workbench.cursorToEnd();
  await page.keyboard.type("\napp.mount('/ledger', handleLedg");
  await page.locator('.ghost-text-decoration, .ghost-text').first().waitFor({ state: 'visible', timeout: 60_000 });
  // A suggestion of an earlier keystroke may show first; the one for the last keystroke replaces it.
  const expected = line.slice(line.indexOf('handleLedg') + 'handleLedg'.length);
  const ghostText = async () => (await page.locator('.ghost-text-decoration, .ghost-text').allInnerTexts()).join('').replace(/\u00a0/g, ' ');
  let shown = await ghostText();
  for (let i = 0; i < 300 && shown !== expected; i++) {
    await page.waitForTimeout(100);
    shown = await ghostText();
  }
  await workbench.screenshot('copy-from-open-files');
  assert.equal(shown, expected);
});
