import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { e2eSession, type E2eSession } from './harness/session';

const TINY_LLAMA = join(__dirname, '..', 'fixtures', 'models', 'tiny-llama');
const TINY_LLAMA_KEEP = join(__dirname, '..', 'fixtures', 'models', 'tiny-llama-keep');

/** Polls a UI condition (no fixed sleeps): every 200 ms until true or 30 s. */
async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await s.workbench.page.waitForTimeout(200);
  }
  const shot = await s.workbench.screenshot(`promptlab-timeout-${what.replace(/[^a-z0-9]+/gi, '-')}`);
  throw new Error(`timed out waiting until ${what} (screenshot: ${shot})`);
}

let s: E2eSession;
let view: Frame;

before(async () => {
  s = await e2eSession('promptlab', { 'lathe.model.path': TINY_LLAMA });
});

after(async () => {
  await s?.close();
});

test('Prompt Lab opens and lists the workspace prompts', async () => {
  await s.workbench.runCommand('Lathe: Open Prompt Lab');
  view = await s.workbench.webview('Prompt Lab');
  await view.locator('#app[data-state="ready"]').waitFor({ timeout: 30_000 });
  assert.equal(await view.locator('#model-name').textContent(), 'tiny-llama');
  await view.locator('.pl-prompt-item[data-path$="explain-code.prompty"]').waitFor({ timeout: 30_000 });
});

test('a .prompty loads with its inputs, parameters and a token count from the model', async () => {
  await view.locator('.pl-prompt-item[data-path$="explain-code.prompty"]').click();
  await view.locator('#app[data-doc="explain-code.prompty"]').waitFor({ timeout: 15_000 });
  await view.locator('#app[data-analysis="ok"]').waitFor({ timeout: 60_000 });
  assert.equal(await view.locator('#input-language').evaluate((el) => (el as unknown as { value: string }).value), 'TypeScript');
  assert.match(await view.locator('#input-code').evaluate((el) => (el as unknown as { value: string }).value), /export const add/);
  assert.equal(await view.locator('#param-maxTokens').evaluate((el) => (el as unknown as { value: string }).value), '48');
  await view.locator('#token-count', { hasText: 'prompt tokens' }).waitFor({ timeout: 30_000 });
  assert.match(await view.locator('#token-count').innerText(), /^\d+ prompt tokens · context \d+/);
});

test('running streams tokens into the output with a logprob heatmap', async () => {
  await view.locator('#run').click();
  await view.locator('.pl-run[data-state="done"]').waitFor({ timeout: 120_000 });
  const tokens = await view.locator('#output .lk-tok').count();
  assert.ok(tokens > 0, 'streamed tokens were rendered');
  const stats = await view.locator('#run-stats').innerText();
  const reported = Number(/\+ (\d+) output tokens/.exec(stats)?.[1]);
  assert.equal(tokens, reported, `rendered ${tokens} tokens, stats say: ${stats}`);
  assert.ok((await view.locator('#output [class*="lk-heat-"]').count()) === tokens, 'every token has a heat class');
  await view.locator('#output .lk-tok').first().hover();
  await view.locator('.lk-tooltip:not([hidden]) .lk-alt').first().waitFor({ timeout: 10_000 });
  await s.workbench.screenshot('promptlab-run');
});

test('a template error is reported with its file line before running', async () => {
  const template = view.locator('#template textarea');
  const original = await template.inputValue();
  await template.fill(`${original}\n{% frobnicate %}`);
  await view.locator('#problem', { hasText: 'frobnicate' }).waitFor({ timeout: 15_000 });
  assert.match(await view.locator('#problem').innerText(), /explain-code\.prompty:\d+: template: Unknown statement type: frobnicate/);
  assert.ok(await view.locator('#run').evaluate((el) => el.hasAttribute('disabled')));
  await s.workbench.screenshot('promptlab-template-error');
  await template.fill(original);
  await view.locator('#problem').waitFor({ state: 'hidden', timeout: 15_000 });
});

test('a prompt that loops a hundred million times is a problem on its line, not a frozen editor', async () => {
  const template = view.locator('#template textarea');
  const original = await template.inputValue();
  await template.fill(`${original}\n{% for i in range(100000000) %}x{% endfor %}`);
  await view.locator('#problem', { hasText: 'loops more than' }).waitFor({ timeout: 15_000 });
  assert.match(await view.locator('#problem').innerText(), /explain-code\.prompty:\d+: template: the template loops more than 100,000 times/);
  assert.ok(await view.locator('#run').evaluate((el) => el.hasAttribute('disabled')));
  await s.workbench.screenshot('promptlab-loop-limit');
  await template.fill(original);
  await view.locator('#problem').waitFor({ state: 'hidden', timeout: 15_000 });
});

test('side by side runs two variants (parameters and model) and highlights their differences', async () => {
  await view.locator('#tab-compare').click();
  await view.locator('.pl-column[data-column="1"]').waitFor({ timeout: 10_000 });
  assert.equal(await view.locator('.pl-column').count(), 2);
  await view.locator('#col2-temperature input').fill('1.5');
  await view.locator('#col2-model input').fill(TINY_LLAMA_KEEP);
  await view.locator('#run-all').click();
  await view.locator('.pl-compare[data-state="done"]').waitFor({ timeout: 180_000 });
  assert.ok((await view.locator('.pl-column[data-column="0"] .lk-tok').count()) > 0, 'column 1 streamed');
  assert.ok((await view.locator('.pl-column[data-column="1"] .lk-diff').count()) === 1, 'column 2 shows a word diff');
  assert.match((await view.locator('.pl-column[data-column="0"] .pl-col-foot .pl-meta').textContent()) ?? '', /^tiny-llama · \d+ tokens/);
  assert.match((await view.locator('.pl-column[data-column="1"] .pl-col-foot .pl-meta').textContent()) ?? '', /^tiny-llama-keep · \d+ tokens/);
  assert.ok((await view.locator('.pl-column[data-column="1"] .lk-diff-added, .pl-column[data-column="1"] .lk-diff-removed').count()) > 0, 'differences are highlighted');
  await s.workbench.screenshot('promptlab-side-by-side');
});

test('picking a winner appends a DPO preference pair to the chosen dataset file', async () => {
  await view.locator('.pl-column[data-column="0"] vscode-button', { hasText: 'Prefer' }).click();
  // VS Code's save dialog (a quick input in the browser) proposes workspace/preferences.jsonl.
  const input = s.workbench.page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await until(async () => /preferences\.jsonl$/.test(await input.inputValue()), 'the save dialog proposes preferences.jsonl');
  await s.workbench.page.keyboard.press('Enter');
  await view.locator('#compare-status', { hasText: 'as DPO' }).waitFor({ timeout: 15_000 });
  const rows = readFileSync(join(s.server.workspace, 'preferences.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(rows.length, 1);
  assert.deepEqual(Object.keys(rows[0]), ['input', 'preferred_output', 'non_preferred_output']);
  const input0 = rows[0].input as { messages: Array<{ role: string; content: string }> };
  assert.deepEqual(input0.messages.map((m) => m.role), ['system', 'user']);
  assert.match(input0.messages[1].content, /export const add/);
  await s.workbench.screenshot('promptlab-preference-saved');
});

test('evaluation over a JSONL dataset shows pass rates and a results grid, and saves the run', async () => {
  await view.locator('#tab-eval').click();
  await view.locator('#evaluate').click();
  const input = s.workbench.page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  const dataset = join(s.server.workspace, 'prompts', 'explain-code.data.jsonl');
  await until(async () => (await input.inputValue()).startsWith('/'), 'the open dialog shows a folder');
  // The simple file dialog may still rewrite its value while it lists the folder: type the
  // path again until it sticks.
  let seen = '';
  await until(async () => {
    seen = await input.inputValue();
    if (seen === dataset) return true;
    await input.fill(dataset);
    return false;
  }, 'the dataset path is typed').catch((err: Error) => {
    throw new Error(`${err.message}; the dialog showed ${JSON.stringify(seen)}`);
  });
  await s.workbench.page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: 15_000 });
  await view.locator('#eval-summary strong', { hasText: 'Pass rate' }).waitFor({ timeout: 120_000 });
  assert.equal(await view.locator('.pl-eval-grid tbody tr').count(), 3);
  assert.match((await view.locator('.pl-eval-grid tbody tr').nth(2).textContent()) ?? '', /row 3 \(line 3\): missing variable 'code'/);
  const tags = await view.locator('#eval-summary vscode-tag').allTextContents();
  assert.deepEqual(tags.map((t) => t.replace(/ \d+%$/, '')), ['not-contains', 'rouge-l']);
  const runs = readdirSync(join(s.server.workspace, 'prompts', 'explain-code.runs'));
  assert.equal(runs.filter((f) => f.endsWith('.jsonl')).length, 1);
  await s.workbench.screenshot('promptlab-evaluate');
});

test('a chain-of-thought template runs self-consistency and shows the vote and agreement', async () => {
  await view.locator('#tab-prompt').click();
  await view.locator('#cot-template').click();
  await view.locator('#cot-template vscode-option', { hasText: 'Self-consistency' }).click();
  await view.locator('#app[data-doc="self-consistency.prompty (unsaved)"]').waitFor({ timeout: 15_000 });
  assert.equal(await view.locator('#strategy').textContent(), 'Self-consistency × 5');
  await view.locator('#param-maxTokens input').fill('12');
  await view.locator('#app[data-analysis="ok"]').waitFor({ timeout: 15_000 });
  await view.locator('#run').click();
  await view.locator('.pl-run[data-state="done"]').waitFor({ timeout: 120_000 });
  assert.match((await view.locator('#answer .pl-agreement').textContent()) ?? '', /^[0-5]\/5 samples agree \(\d+%\)$/);
  const output = (await view.locator('#output').textContent()) ?? '';
  for (let i = 1; i <= 5; i++) assert.ok(output.includes(`── sample ${i}/5 ──`), `sample ${i} streamed`);
  await s.workbench.screenshot('promptlab-cot-self-consistency');
});

test('Explorer → Open Prompt Lab on a .prompty loads it into the panel', async () => {
  const page = s.workbench.page;
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'prompts' }).first().click();
  const file = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'explain-code.prompty' }).first();
  await file.waitFor({ timeout: 15_000 });
  await file.click({ button: 'right' });
  const item = page.locator('.context-view .action-label', { hasText: 'Open Prompt Lab' }).first();
  await item.waitFor({ timeout: 10_000 });
  await s.workbench.screenshot('promptlab-explorer-menu');
  await item.click();
  await view.locator('#app[data-doc="explain-code.prompty"]').waitFor({ timeout: 15_000 });
  assert.equal(await view.locator('#strategy').isVisible(), false);
});

test('the side bar view is the same Prompt Lab in a narrow layout', async () => {
  await s.workbench.page.locator('.activitybar .action-item a[aria-label^="Lathe"]').first().click();
  let side = view;
  await until(async () => (side = await s.workbench.webview('Prompt Lab')) !== view, 'the side bar webview opens');
  await side.locator('#app[data-state="ready"]').waitFor({ timeout: 30_000 });
  await side.locator('.pl-prompt-item[data-path$="explain-code.prompty"]').click();
  await side.locator('#app[data-analysis="ok"]').waitFor({ timeout: 30_000 });
  await s.workbench.screenshot('promptlab-sidebar');
});

test('the webviews accepted every message the host sent (none rejected by the protocol checks)', async () => {
  // A probe first: it proves the webview's console errors are collected at all.
  await view.evaluate(() => console.error('[promptlab] probe'));
  await until(async () => s.workbench.webviewErrors('promptlab').includes('[promptlab] probe'), 'the probe error is collected');
  assert.deepEqual(s.workbench.webviewErrors('promptlab').filter((e) => e !== '[promptlab] probe'), []);
});
