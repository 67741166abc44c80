import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { e2eSession, type E2eSession } from './harness/session';

const TINY_SD = join(__dirname, '..', 'fixtures', 'models', 'tiny-sd');
const TINY_LLAMA = join(__dirname, '..', 'fixtures', 'models', 'tiny-llama');

let s: E2eSession;

before(async () => {
  s = await e2eSession('imagegen', { 'lathe.image.modelPath': TINY_SD, 'lathe.model.path': TINY_LLAMA });
});

after(async () => {
  await s?.close();
});

test('Lathe: Generate Image… saves a PNG next to the active file and opens it in the image preview', async () => {
  const page = s.workbench.page;
  await s.workbench.openFile('src/math.ts');
  await s.workbench.startCommand('Lathe: Generate Image');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Lathe: Generate Image' }).waitFor({ timeout: 15_000 });
  await page.locator('.quick-input-widget input.input').fill('red heart');
  await page.keyboard.press('Enter');
  await page.locator('.tab.active[aria-label^="red-heart-"]').waitFor({ timeout: 60_000 });
  const files = readdirSync(join(s.server.workspace, 'src')).filter((f) => /^red-heart-\d+\.png$/.test(f));
  assert.equal(files.length, 1, `one PNG next to math.ts: ${files.join(', ')}`);
  const png = readFileSync(join(s.server.workspace, 'src', files[0]));
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  assert.ok(png.includes(Buffer.from('prompt\0red heart', 'latin1')), 'the prompt is in a tEXt chunk');
  assert.ok(!existsSync(join(s.server.workspace, '.lathe', 'gallery')), 'nothing went to the gallery');
  // VS Code's image preview (a webview) shows the 32×32 picture
  const deadline = Date.now() + 30_000;
  let shown = false;
  while (!shown && Date.now() < deadline) {
    for (const f of page.frames()) {
      const widths = await f.locator('img').evaluateAll((els) => els.map((e) => (e as unknown as { naturalWidth: number }).naturalWidth)).catch(() => [] as number[]);
      if (widths.includes(32)) shown = true;
    }
    if (!shown) await page.waitForTimeout(200);
  }
  assert.ok(shown, 'the image preview shows the generated PNG');
  await s.workbench.screenshot('imagegen-command');
});

/** Polls a UI condition (no fixed sleeps): every 200 ms until true or the timeout. */
async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await s.workbench.page.waitForTimeout(200);
  }
  const shot = await s.workbench.screenshot(`imagegen-timeout-${what.replace(/[^a-z0-9]+/gi, '-')}`);
  throw new Error(`timed out waiting until ${what} (screenshot: ${shot})`);
}

test('Prompt Lab Text + Image: one prompt streams text and draws the picture side by side, and the pair lands in the gallery', async () => {
  await s.workbench.runCommand('Lathe: Open Prompt Lab');
  const view = await s.workbench.webview('Prompt Lab');
  await view.locator('#app[data-state="ready"]').waitFor({ timeout: 30_000 });
  await view.locator('#tab-text-image').click();
  await view.locator('#ti[data-loaded="true"]').waitFor({ timeout: 30_000 });
  assert.match(await view.locator('#ti-model').innerText(), /tiny-sd · sizes in multiples of 4/);
  assert.equal(await view.locator('#ti-size').evaluate((el) => (el as unknown as { value: string }).value), '32x32');
  await view.locator('#ti-prompt').evaluate((el, v) => {
    (el as unknown as { value: string }).value = v;
  }, 'a red heart');
  await view.locator('#ti-negative').evaluate((el, v) => {
    (el as unknown as { value: string }).value = v;
  }, 'blue');
  await view.locator('#ti-steps').evaluate((el) => {
    (el as unknown as { value: string }).value = '6';
  });
  await view.locator('#ti-generate').click();
  await view.locator('#ti[data-state="done"]').waitFor({ timeout: 120_000 });
  assert.ok(Number(await view.locator('#ti').getAttribute('data-previews')) >= 1, 'progressive previews were shown');
  assert.ok((await view.locator('#ti-text .lk-tok').count()) > 0, 'the text streamed in');
  assert.match(await view.locator('#ti-text-stats').innerText(), /tiny-llama · \d+ tokens/);
  const width = await view.locator('#ti-image').evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth);
  assert.equal(width, 32);
  assert.match(await view.locator('#ti-image-stats').innerText(), /32×32 · seed 1 · 6 steps .* negative "blue"/);
  // the text and the picture sit side by side: the image column starts right of the text column, on the same row
  const text = await view.locator('#ti-text-side').boundingBox();
  const image = await view.locator('#ti-image-side').boundingBox();
  assert.ok(text && image && image.x >= text.x + text.width - 1 && Math.abs(image.y - text.y) < 4, `side by side: ${JSON.stringify({ text, image })}`);
  await view.locator('#ti-gallery .ti-card').first().waitFor({ timeout: 15_000 });
  const gallery = join(s.server.workspace, '.lathe', 'gallery');
  await until(async () => existsSync(gallery) && readdirSync(gallery).some((f) => f.endsWith('.json')), 'the pair is in the gallery');
  const files = readdirSync(gallery).sort();
  assert.deepEqual(files, ['a-red-heart-1.json', 'a-red-heart-1.png']);
  const sidecar = JSON.parse(readFileSync(join(gallery, 'a-red-heart-1.json'), 'utf8')) as { textPrompt: string; text: string };
  assert.equal(sidecar.textPrompt, 'a red heart');
  await view.locator('#ti-image').scrollIntoViewIfNeeded();
  await s.workbench.page.mouse.move(5, 5);
  await s.workbench.screenshot('imagegen-text-image');
});

test('a gallery pair becomes a multimodal chat row in the chosen dataset', async () => {
  const view = await s.workbench.webview('Prompt Lab');
  await view.locator('#ti-gallery .ti-card vscode-button', { hasText: 'Save as Row' }).first().click();
  const input = s.workbench.page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await until(async () => /text-image-pairs\.jsonl$/.test(await input.inputValue()), 'the save dialog proposes text-image-pairs.jsonl');
  await s.workbench.page.keyboard.press('Enter');
  await view.locator('#ti-gallery .ti-card .pl-meta', { hasText: 'appended to' }).waitFor({ timeout: 15_000 });
  const rows = readFileSync(join(s.server.workspace, 'text-image-pairs.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { messages: Array<{ role: string; content: Array<{ type: string; image_url?: { url: string } }> }> });
  assert.equal(rows.length, 1);
  assert.deepEqual(rows[0].messages.map((m) => m.role), ['user', 'assistant']);
  assert.deepEqual(rows[0].messages[1].content.map((p) => p.type), ['text', 'image_url']);
  assert.equal(rows[0].messages[1].content[1].image_url?.url, '.lathe/gallery/a-red-heart-1.png');
});

test('the Prompt Lab webview rejected no host message', async () => {
  const view = await s.workbench.webview('Prompt Lab');
  await view.evaluate(() => console.error('[promptlab] probe'));
  await until(async () => s.workbench.webviewErrors('promptlab').includes('[promptlab] probe'), 'the probe error is collected');
  assert.deepEqual(s.workbench.webviewErrors('promptlab').filter((e) => e !== '[promptlab] probe'), []);
});
