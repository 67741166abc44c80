/**
 * Refactorings in a real VS Code with the embedded model: Generate Doc Comment and Extract
 * Function each show their edit in a diff preview, apply on Apply, leave the file changed
 * and free of parse errors, and one undo restores it. Explain Selection says which models can
 * explain code when the model in use is the embedded FIM model.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createLogger } from '../../extension/core/common/logger';
import { sourceAssets } from '../../extension/core/context/assets';
import { ContextEngine } from '../../extension/core/context/engine';
import { parseErrors } from '../../extension/core/refactor/editCheck';
import { e2eSession, type E2eSession } from './harness/session';

const REPO = join(__dirname, '..', '..');
const FILE = 'src/invoice.ts';
let s: E2eSession;
let syntax: ContextEngine;

before(async () => {
  s = await e2eSession('refactor', {
    'lathe.engine.threads': 1,
    'lathe.completions.enabled': false,
    'files.refactoring.autoSave': false,
    'editor.lightbulb.enabled': 'off',
    'diffEditor.renderSideBySide': true,
  });
  syntax = new ContextEngine({ assets: sourceAssets(REPO), log: createLogger({ log: () => undefined }, 'e2e') });
});

after(async () => {
  syntax?.dispose();
  await s?.close();
});

const onDisk = () => readFileSync(join(s.server.workspace, FILE), 'utf8');

async function parseClean(text: string): Promise<boolean> {
  const doc = await syntax.syntaxOf({ uri: `/e2e/${Date.now()}.ts`, languageId: 'typescript', version: 1, text });
  return !!doc && parseErrors(doc.grammar.parser, text).count === 0;
}

/** Waits for the file on disk to satisfy `check` (after a save). */
async function waitForDisk(check: (text: string) => boolean, what: string): Promise<string> {
  const page = s.workbench.page;
  await page.keyboard.press('Control+S');
  for (let i = 0; i < 100; i++) {
    const text = onDisk();
    // An empty read is the editor's save in progress (it truncates, then writes).
    if (text && check(text)) return text;
    await page.waitForTimeout(100);
  }
  throw new Error(`the file never ${what}:\n${onDisk()}`);
}

/** The diff preview: shown beside the file with the notification, screenshot taken, then applied. */
async function previewThenApply(shot: string): Promise<void> {
  const page = s.workbench.page;
  const tab = page.locator('.tab', { hasText: '(Lathe preview)' });
  await tab.waitFor({ state: 'visible', timeout: 120_000 });
  await page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible', timeout: 15_000 });
  // The preview's own notification (the one with Apply): the progress notification before it
  // may still be fading out.
  const toast = page.locator('.notification-toast', { has: page.locator('.monaco-button', { hasText: 'Apply' }) });
  await toast.waitFor({ state: 'visible', timeout: 15_000 });
  await s.workbench.screenshot(shot);
  await toast.locator('.monaco-button', { hasText: 'Apply' }).click();
  await tab.waitFor({ state: 'detached', timeout: 15_000 });
}

/** Focuses the source editor again and undoes once. */
async function undoOnce(): Promise<void> {
  await s.workbench.openFile(FILE);
  await s.workbench.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await s.workbench.page.keyboard.press('Control+Z');
}

test('Generate Doc Comment: preview, apply, parse-clean, one undo restores the file', async () => {
  const original = onDisk();
  await s.workbench.waitForStatus(/Lathe: model (ready|loading)/);
  await s.workbench.openFile(FILE);
  await s.workbench.goTo(7, 3);
  await s.workbench.runCommand('Lathe: Generate Doc Comment');
  await previewThenApply('refactor-doc-preview');
  const changed = await waitForDisk((t) => t !== original, 'changed');
  assert.match(changed, /\/\*\*\n( \*.*\n)+ \*\/\nexport function invoiceTotal/, 'a doc comment sits right above the function');
  assert.match(changed, / \* @param lines -.*\n \* @param taxRate -.*\n \* @returns/, 'one @param per parameter in order, then @returns');
  assert.ok(await parseClean(changed), 'the edited file parses without errors');
  await s.workbench.screenshot('refactor-doc-applied');
  await undoOnce();
  await waitForDisk((t) => t === original, 'returned to its original text after one undo');
});

test('Extract Function: name picked from the model, preview, apply, parse-clean, one undo restores the file', async () => {
  const original = onDisk();
  await s.workbench.openFile(FILE);
  await s.workbench.selectLines(7, 8);
  // The command's own name picker may open before the palette was ever seen closed: wait for the picker by its title.
  await s.workbench.startCommand('Lathe: Extract Function');
  const picker = s.workbench.page.locator('.quick-input-widget', { has: s.workbench.page.locator('.quick-input-title', { hasText: 'Name of the extracted function' }) });
  await picker.waitFor({ state: 'visible', timeout: 120_000 });
  const rows = picker.locator('.quick-input-list .monaco-list-row');
  await rows.first().waitFor({ state: 'visible', timeout: 15_000 });
  assert.ok((await rows.count()) >= 3, 'at least three name candidates');
  await s.workbench.screenshot('refactor-extract-names');
  const name = (await rows.first().getAttribute('aria-label'))?.split(/[ ,]/)[0] ?? '';
  await s.workbench.page.keyboard.press('Enter');
  await previewThenApply('refactor-extract-preview');
  const changed = await waitForDisk((t) => t !== original, 'changed');
  assert.ok(name.length > 0, 'a name was picked');
  assert.ok(changed.includes(`let subtotal = ${name}(lines);`), `the statements became a call:\n${changed}`);
  assert.match(changed, new RegExp(`function ${name}\\(lines: Line\\[\\]\\) \\{\\n  let subtotal = 0;\\n  for \\(const line of lines\\) subtotal \\+= line\\.price \\* line\\.quantity;\\n  return subtotal;\\n\\}`));
  assert.ok(await parseClean(changed), 'the edited file parses without errors');
  await undoOnce();
  await waitForDisk((t) => t === original, 'returned to its original text after one undo');
});

test('Explain Selection with the embedded model says which models can do it', async () => {
  await s.workbench.openFile(FILE);
  await s.workbench.selectLines(7, 9);
  await s.workbench.runCommand('Lathe: Explain Selection');
  const dialog = s.workbench.page.locator('.monaco-dialog-box', { hasText: 'needs an instruction-following (chat) model' });
  await dialog.waitFor({ state: 'visible', timeout: 60_000 });
  const text = await dialog.innerText();
  assert.match(text, /fill-in-the-middle code model/);
  assert.match(text, /Lathe: Select Model → Chat model/);
  assert.match(text, /lathe\.chat\.model\.path/);
  await s.workbench.screenshot('refactor-explain-needs-chat-model');
  // Its button opens the model picker for the chat role.
  await dialog.locator('.monaco-button', { hasText: 'Select a Chat Model…' }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  const picker = s.workbench.page.locator('.quick-input-widget');
  await picker.locator('.quick-input-title', { hasText: 'Select the chat model' }).waitFor({ state: 'visible', timeout: 15_000 });
  await picker.locator('.monaco-list-row', { hasText: 'Same as the completion model' }).waitFor({ state: 'visible' });
  await s.workbench.screenshot('refactor-explain-select-chat-model');
  await s.workbench.page.keyboard.press('Escape');
});
