import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { freePort } from './harness/codeServer';
import { startServe } from './harness/serve';
import { e2eSession, type E2eSession } from './harness/session';

let server: ChildProcess | undefined;
let s: E2eSession;

before(async () => {
  const port = await freePort();
  server = await startServe(port);
  s = await e2eSession('remote', {
    'lathe.backend.url': `http://127.0.0.1:${port}/v1`,
    'lathe.backend.fimTemplate': 'qwen',
    'editor.autoClosingBrackets': 'never',
    'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
    'editor.suggestOnTriggerCharacters': false,
  });
});

after(async () => {
  await s?.close();
  server?.kill();
});

test('with lathe.backend.url set, completions come from the remote server', async () => {
  const { workbench } = s;
  await workbench.waitForStatus(/Lathe: model ready/);
  await workbench.openFile('src/math.ts');
  await workbench.cursorToEnd();
  await workbench.page.keyboard.type('\nexport function area(p: Point): number {');
  await workbench.page.keyboard.press('Enter');
  const ghost = workbench.page.locator('.ghost-text-decoration, .ghost-text').first();
  await ghost.waitFor({ state: 'visible', timeout: 60_000 });
  assert.ok((await ghost.innerText()).trim().length > 0);
  await workbench.screenshot('remote-ghost-text');
  await workbench.runCommand('Lathe: Show Logs');
  await workbench.waitForOutput(/using the remote server http:\/\/127\.0\.0\.1:\d+\/v1/);
  await workbench.waitForOutput(/remote model tiny-llama/);
});
