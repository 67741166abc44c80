/**
 * A cloned repository's .vscode/settings.json cannot redirect the user's code or files without
 * asking: its lathe.backend.url is used only after the user allows that URL, and its
 * lathe.completions.captureFile outside the workspace only after the user allows that file.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freePort } from './harness/codeServer';
import { EMBEDDED_MODEL, startServe } from './harness/serve';
import { e2eSession, type E2eSession } from './harness/session';

let server: ChildProcess | undefined;
let s: E2eSession;
let url: string;
const outside = join(mkdtempSync(join(tmpdir(), 'lathe-outside-')), 'captured.jsonl');

before(async () => {
  const port = await freePort();
  // The embedded model, served: it answers a function header with code, where random weights
  // often answer something post-processing drops.
  server = await startServe(port, EMBEDDED_MODEL);
  url = `http://127.0.0.1:${port}/v1`;
  s = await e2eSession(
    'trust',
    {
      'editor.autoClosingBrackets': 'never',
      'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
      'editor.suggestOnTriggerCharacters': false,
      'editor.acceptSuggestionOnEnter': 'off',
    },
    // What a cloned repository could bring along.
    { 'lathe.backend.url': url, 'lathe.backend.fimTemplate': 'qwen', 'lathe.completions.captureFile': outside },
  );
});

after(async () => {
  await s?.close();
  server?.kill();
});

/** The modal dialog showing `needle`, once it is up. */
async function dialogWith(needle: string): Promise<string> {
  const dialog = s.workbench.page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 60_000 });
  const text = (await dialog.innerText()).replace(/\u00a0/g, ' ');
  assert.ok(text.includes(needle), `the dialog shows ${needle}:\n${text}`);
  return text;
}

async function clickDialogButton(label: string): Promise<void> {
  const dialog = s.workbench.page.locator('.monaco-dialog-box');
  await dialog.locator('.dialog-buttons a.monaco-button, .dialog-buttons .monaco-button', { hasText: label }).first().click();
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
}

test("a backend URL from the workspace's settings is asked about before any code is sent, then used", async () => {
  const { workbench } = s;
  const text = await dialogWith(`Send your code to ${url}?`);
  assert.match(text, /This workspace's settings \(not yours\) point lathe\.backend\.url at it/);
  await workbench.screenshot('trust-backend-url-question');
  await clickDialogButton('Allow');
  await workbench.waitForStatus(/Lathe: model ready/);
  await workbench.runCommand('Lathe: Show Logs');
  await workbench.waitForOutput(new RegExp(`allowed the backend URL ${url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(workspace-setting\\)`));
  await workbench.waitForOutput(/remote model lathe-code-mini/);
});

test('a capture file outside the workspace is written only after the user allows that file', async () => {
  const { workbench } = s;
  const page = workbench.page;
  await workbench.openFile('src/math.ts');
  // Should one answer still post-process to nothing, a user would type on: the test types
  // another function header into the reverted file.
  const ghost = page.locator('.ghost-text-decoration, .ghost-text').first();
  const headers = ['area(p: Point): number', 'perimeter(p: Point): number', 'norm(p: Point): number'];
  for (const [i, header] of headers.entries()) {
    await workbench.runCommand('File: Revert File');
    await workbench.cursorToEnd();
    await page.keyboard.type(`\nexport function ${header} {`);
    await page.keyboard.press('Enter');
    const shown = await ghost.waitFor({ state: 'visible', timeout: 20_000 }).then(() => true, () => false);
    if (shown) break;
    await workbench.screenshot(`trust-no-ghost-${i}`);
    if (i === headers.length - 1) throw new Error(`no suggestion after ${headers.length} function headers`);
  }
  await page.keyboard.press('Tab');
  await dialogWith(`append your accepted completions to ${outside}, outside the workspace`);
  assert.equal(existsSync(outside), false, 'nothing is written while the question is open');
  await workbench.screenshot('trust-capture-file-question');
  await clickDialogButton('Allow');
  let lines: string[] = [];
  for (let i = 0; i < 100 && lines.length === 0; i++) {
    if (existsSync(outside)) lines = readFileSync(outside, 'utf8').split('\n').filter(Boolean);
    else await page.waitForTimeout(100);
  }
  assert.equal(lines.length, 1, 'the accepted completion was captured into the allowed file');
  assert.equal((JSON.parse(lines[0]) as { source: string }).source, 'accepted-completion');
});
