import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FakeHub, repoFromFolder } from '../unit/helpers/fakeHub';
import { freePort } from './harness/codeServer';
import { e2eSession, TYPING_SETTINGS, type E2eSession } from './harness/session';

const ROOT = join(__dirname, '..', '..');
const MODEL = join(ROOT, 'test', 'fixtures', 'models', 'tiny-llama');

let server: ChildProcess | undefined;
let serveLog = '';
let port = 0;
let s: E2eSession;
/** A model hub on loopback with the Hugging Face layout, serving the fixture model as org/tiny. */
const hub = new FakeHub();

/** `lathe serve` on the fixture model, standing in for a model server running on this machine. */
async function startServe(): Promise<ChildProcess> {
  const proc = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'serve', '--model', MODEL, '--port', String(port), '--verbose'], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stderr.on('data', (d: Buffer) => (serveLog += d.toString()));
  await new Promise<void>((resolve, reject) => {
    proc.stdout.on('data', (d: Buffer) => d.toString().includes('lathe serve:') && resolve());
    proc.once('exit', (code) => reject(new Error(`lathe serve exited with ${code}: ${serveLog}`)));
  });
  return proc;
}

const servedCompletions = () => (serveLog.match(/POST \/v1\/completions 200/g) ?? []).length;

/** Waits until lathe serve has logged more completions than `count` (it logs when a request ends). */
async function serverAnsweredMoreThan(count: number, timeoutMs = 15_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (servedCompletions() <= count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return servedCompletions() > count;
}

before(async () => {
  port = await freePort();
  server = await startServe();
  await hub.start();
  hub.repos.set('org/tiny', repoFromFolder(MODEL));
  s = await e2eSession('models', {
    // The served model is found by the picker's probe of this extra port (besides 11434, 1234, 8080, 8000).
    'lathe.models.localServerPorts': [port],
    'lathe.models.hubUrl': hub.url,
    // Completions start on a local folder (the same fixture model the server runs).
    'lathe.model.path': MODEL,
    'lathe.engine.threads': 1,
    ...TYPING_SETTINGS,
  });
});

after(async () => {
  await s?.close();
  server?.kill('SIGTERM');
  await hub.stop();
});

/** Opens Lathe: Select Model for the completion role and returns the list's row labels once the probe has answered. */
async function openCompletionPicker(): Promise<string[]> {
  const { workbench } = s;
  const page = workbench.page;
  await workbench.startCommand('Lathe: Select Model');
  const roleRow = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Completion model' });
  await roleRow.waitFor({ state: 'visible', timeout: 15_000 });
  await roleRow.click();
  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  const texts = () => rows.evaluateAll((els) => els.map((e) => (e.textContent ?? '').replace(/\u00a0/g, ' ')));
  try {
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: `lathe serve on port ${port}` }).waitFor({ state: 'visible', timeout: 20_000 });
  } catch (err) {
    await workbench.screenshot('select-model-no-served-row');
    throw new Error(`lathe serve on port ${port} is not listed: ${(await texts()).join(' | ')}\n${String(err)}`);
  }
  return texts();
}

/** Filters the open list down to `text` (labels and details are searched) and accepts the focused row. */
async function chooseRow(text: string): Promise<void> {
  const page = s.workbench.page;
  await page.locator('.quick-input-widget input.input').fill(text);
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: text }).waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15_000 });
}

async function ghostTextAfterTyping(line: string): Promise<string> {
  const { workbench } = s;
  const page = workbench.page;
  await workbench.openFile('src/math.ts');
  await workbench.cursorToEnd();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  const ghost = page.locator('.ghost-text-decoration, .ghost-text').first();
  try {
    await ghost.waitFor({ state: 'visible', timeout: 60_000 });
  } catch (err) {
    await workbench.screenshot('select-model-no-ghost-text');
    throw new Error(`no ghost text after typing ${JSON.stringify(line)}; lathe serve said:\n${serveLog.slice(-3000)}\n${String(err)}`);
  }
  return (await page.locator('.ghost-text-decoration, .ghost-text').allInnerTexts()).join('');
}

test('Select Model lists the embedded model and a served one; switching moves completions to the server and back', async () => {
  const { workbench } = s;
  await workbench.waitForStatus(/Lathe: model (ready|loading)/);
  const rows = await openCompletionPicker();
  await workbench.screenshot('select-model-list');
  const embedded = rows.find((r) => r.includes('lathe-code-mini'));
  const served = rows.find((r) => r.includes(`lathe serve on port ${port}`));
  assert.ok(embedded, `the embedded model is listed: ${rows.join(' | ')}`);
  assert.ok(rows.some((r) => r.includes('tiny-llama') && r.includes('fixtures/models/tiny-llama (fp32')), `the local folder from settings is listed: ${rows.join(' | ')}`);
  assert.ok(served, `the served model is listed: ${rows.join(' | ')}`);
  assert.match(embedded, /completion ✓ · chat ✗/);
  assert.match(served, /tiny-llama/);
  assert.match(served, /completion ✓/);
  assert.match(served, /reports fill-in-the-middle tokens/);
  assert.ok(rows.some((r) => r.includes('Add Model Folder')));

  // Switch the completion model to the served one: completions now come from lathe serve.
  await chooseRow(`lathe serve on port ${port}`);
  await workbench.runCommand('Lathe: Show Logs');
  await workbench.waitForOutput(new RegExp(`using the remote server http://127\\.0\\.0\\.1:${port}/v1 \\(model tiny-llama\\)`));
  await workbench.waitForStatus(/Lathe: model ready/);
  const before = servedCompletions();
  const remoteGhost = await ghostTextAfterTyping('\nexport function area(p: Point): number {');
  assert.ok(remoteGhost.trim().length > 0);
  assert.ok(await serverAnsweredMoreThan(before), `lathe serve answered the completion:\n${serveLog}`);
  await workbench.screenshot('select-model-served-ghost-text');

  // And back to the local folder: the server gets no more completion requests.
  await workbench.page.keyboard.press('Escape');
  await openCompletionPicker();
  await chooseRow('models/tiny-llama (fp32');
  await workbench.runCommand('Lathe: Show Logs');
  // (a long path wraps in the Output view)
  await workbench.waitForOutput(/completion model: tiny-llama \([^)]*fixtures\/models\/\s*tiny-llama\)/);
  await workbench.waitForStatus(/Lathe: model ready/);
  const afterSwitch = servedCompletions();
  await ghostTextAfterTyping('\nexport function perimeter(p: Point): number {');
  assert.equal(servedCompletions(), afterSwitch, 'the local model answered, not the server');
  await workbench.screenshot('select-model-local-ghost-text');
});

test('Download a Model… fetches a repository from the hub with progress, validates it, and offers it for its roles', async () => {
  const { workbench } = s;
  const page = workbench.page;
  await workbench.startCommand('Lathe: Download a Model…');
  const rows = page.locator('.quick-input-widget .monaco-list-row');
  await rows.filter({ hasText: 'Qwen2.5-Coder 0.5B Instruct' }).waitFor({ state: 'visible', timeout: 15_000 });
  await workbench.screenshot('download-model-list');
  await rows.filter({ hasText: 'Any repository id' }).click();
  const input = page.locator('.quick-input-widget input.input');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'repository id' }).waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill('org/tiny');
  await page.keyboard.press('Enter');
  const variant = rows.filter({ hasText: 'onnx/model.onnx' });
  await variant.waitFor({ state: 'visible', timeout: 15_000 });
  assert.match(await variant.innerText(), /fp32[\s\S]*1 MB · onnx\/model\.onnx/);
  await page.keyboard.press('Enter');
  const ready = page.locator('.notification-toast', { hasText: 'org/tiny (fp32) is ready' });
  await ready.waitFor({ state: 'visible', timeout: 60_000 });
  assert.match(await ready.innerText(), /completion: fill-in-the-middle tokens[\s\S]*chat: no chat template/);
  await workbench.screenshot('download-model-ready');
  await ready.locator('.monaco-button', { hasText: 'Use for Completions' }).click();
  await workbench.runCommand('Lathe: Show Logs');
  await workbench.waitForOutput(/completion model: org\/tiny \(downloaded\)/);
  assert.ok(hub.fileRequests('onnx/model.onnx').length >= 1, 'the weights came from the hub');

  // The picker lists it under Downloaded, as the completion model in use.
  await workbench.startCommand('Lathe: Select Model');
  await rows.filter({ hasText: 'Completion model' }).click();
  const downloaded = rows.filter({ hasText: 'org/tiny' });
  await downloaded.waitFor({ state: 'visible', timeout: 15_000 });
  assert.match((await downloaded.getAttribute('aria-label')) ?? '', /^check\s+org\/tiny, completion ✓ · chat ✗[\s\S]*Downloaded$/);
  // The folder that was in the settings before stays listed, now remembered as a local folder.
  assert.match((await rows.filter({ hasText: 'fixtures/models/tiny-llama' }).getAttribute('aria-label')) ?? '', /tiny-llama, completion ✓ · chat ✗[\s\S]*Local folders$/);
  await workbench.screenshot('download-model-in-picker');
  await page.keyboard.press('Escape');
});
