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
