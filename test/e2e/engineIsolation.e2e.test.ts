/**
 * The model changes while a multi-line completion streams: the engine's process is closed in
 * the middle of a run (before, a worker thread was terminated inside onnxruntime's run(), which
 * aborted the extension host and every extension in it). The extension host must stay up:
 * Lathe keeps answering commands and completes with the new model.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { latheLog as readLatheLog } from './harness/latheLog';
import { e2eSession, TYPING_SETTINGS, type E2eSession } from './harness/session';
import { RESULTS_DIR } from './harness/workbench';

const FIRST = join(__dirname, '..', '..', 'models', 'lathe-code-mini');
const SECOND = join(__dirname, '..', 'fixtures', 'models', 'tiny-llama');

const SETTINGS = {
  'lathe.engine.threads': 1,
  'lathe.completions.multiline': 'always',
  'lathe.completions.maxTokens': 512,
  // At the slow pace below, the default 3 s would cut a suggestion before its first line ends.
  'lathe.completions.timeLimitMs': 30_000,
  ...TYPING_SETTINGS,
};

let s: E2eSession;

before(async () => {
  // Each decode step waits 500 ms in the inference process (a slow model's pace). A completion
  // then streams for seconds whatever the model answers: a model that writes one short line and
  // closes the block still outlasts a settings change landing (about 1.5 s here).
  process.env.LATHE_TEST_STEP_DELAY_MS = '500';
  s = await e2eSession('engine-isolation', { ...SETTINGS, 'lathe.model.path': FIRST });
});

after(async () => {
  await s?.close();
});

const latheLog = () => readLatheLog(s.server.userDataDir);

/** Sets a machine-scoped setting the way a user would, in the remote side's settings file. */
function setModelPath(path: string): void {
  const file = join(s.server.userDataDir, 'Machine', 'settings.json');
  writeFileSync(file, JSON.stringify({ ...SETTINGS, 'lathe.model.path': path }, null, 2));
}

async function waitForLog(re: RegExp, count: number, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = latheLog();
    if (matches(text, re) >= count) return text;
    if (Date.now() > deadline) throw new Error(`the Lathe log never showed ${re} ${count} time(s):\n${text}`);
    await s.workbench.page.waitForTimeout(200);
  }
}

function matches(text: string, re: RegExp): number {
  return text.split('\n').filter((l) => re.test(l)).length;
}

const USING_MODEL = /\[lathe\/model\] using model /;
const STOPPED_TO_CLOSE = /generate stopped to close the process after \d+ of at most \d+ tokens/;

test('changing lathe.model.path while a completion streams leaves the extension host up', async () => {
  const { workbench } = s;
  const page = workbench.page;
  const ghost = page.locator('.ghost-text-decoration, .ghost-text').first();
  await workbench.waitForStatus(/Lathe: model ready/);
  await workbench.openFile('src/math.ts');
  // Each attempt types the same function header into the unmodified file, which starts a
  // multi-line completion, and changes the model at once, while that completion streams. Waiting
  // for its first line to show instead made the test depend on the model: one that answers a
  // single short line has finished before the change lands. The process logs when a close stops
  // a running generate: an attempt whose completion had already finished does not count, and the
  // next one switches back.
  const typeHeader = async () => {
    await workbench.runCommand('File: Revert File');
    await workbench.cursorToEnd();
    await page.keyboard.type('\nexport function scale(p: Point, k: number): Point {');
    await page.keyboard.press('Enter');
  };
  // When no ghost text shows, the screenshot and the Lathe log say why (the log is gone with the
  // session's folder once the test ends).
  const waitForGhost = (label: string) =>
    ghost.waitFor({ state: 'visible', timeout: 60_000 }).catch(async (err: unknown) => {
      await workbench.screenshot(`engine-isolation-no-ghost-${label}`);
      writeFileSync(join(RESULTS_DIR, `engine-isolation-no-ghost-${label}.lathe.log`), latheLog());
      throw err;
    });
  let interrupted = 0;
  let switches = 0;
  for (let attempt = 0; attempt < 5 && interrupted === 0; attempt++) {
    const before = latheLog();
    await typeHeader();
    setModelPath(attempt % 2 === 0 ? SECOND : FIRST);
    switches++;
    await waitForLog(USING_MODEL, matches(before, USING_MODEL) + 1);
    await workbench.waitForStatus(/Lathe: model ready/);
    interrupted = matches(latheLog(), STOPPED_TO_CLOSE);
    await workbench.screenshot(`engine-isolation-switch-${attempt}`);
  }
  assert.ok(interrupted > 0, `no model change landed while a completion streamed in ${switches} attempts:\n${latheLog()}`);

  // The extension host never went down: Lathe activated once, and it still answers.
  const log = latheLog();
  assert.equal(matches(log, /Lathe \d+\.\d+\.\d+ activated/), 1, log);
  const server = readFileSync(join(RESULTS_DIR, 'engine-isolation.code-server.log'), 'utf8');
  assert.equal(matches(server, /Launched Extension Host Process/), 1, server);
  assert.equal(matches(server, /Extension Host Process exited/), 0, server);

  // And the new model completes, and the stats count what was shown.
  await typeHeader();
  await waitForGhost('after');
  await workbench.screenshot('engine-isolation-after');
  await workbench.runCommand('Lathe: Show Completion Stats');
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 10_000 });
  assert.match(await dialog.innerText(), /Shown: [1-9]/);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
});
