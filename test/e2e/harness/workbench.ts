/**
 * Page object for the VS Code workbench in Chromium: command palette, editors, output
 * channels, webviews, screenshots. Every wait is on a real UI state, never a fixed sleep.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

export const RESULTS_DIR = join(__dirname, '..', '..', '..', 'test-results');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

export class Workbench {
  /** Every console error of the page and its frames (webviews log rejected messages there). */
  private readonly consoleErrors: string[] = [];

  private constructor(private readonly browser: Browser, readonly page: Page) {
    page.on('console', (m) => {
      if (m.type() === 'error') this.consoleErrors.push(m.text());
    });
  }

  static async open(url: string, executablePath: string): Promise<Workbench> {
    const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    // On a busy machine the page's load event can take longer than playwright's 30 s default;
    // the waits below are on the workbench itself.
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120_000 });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    // The status bar renders once the workbench has restored.
    await page.locator('.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    return new Workbench(browser, page);
  }

  /** Console errors a webview logged under its tag, e.g. '[promptlab] rejected notification …'. */
  webviewErrors(tag: string): string[] {
    return this.consoleErrors.filter((e) => e.startsWith(`[${tag}] `));
  }

  /** Waits until Lathe has activated: its status bar item is rendered. */
  async waitForLathe(timeoutMs = 60_000): Promise<void> {
    await this.page.locator('.statusbar-item', { hasText: 'Lathe' }).first().waitFor({ state: 'visible', timeout: timeoutMs });
  }

  async close(): Promise<void> {
    await this.browser.close();
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(RESULTS_DIR, { recursive: true });
    const path = join(RESULTS_DIR, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  /**
   * Opens the quick input with `key` (F1: the command palette, Control+P: Quick Open) and types
   * `text`. Right after load the workbench may still be binding keys: retry until it opens.
   */
  async quickInput(key: 'F1' | 'Control+P', text: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input.input');
    for (let attempt = 0; attempt < 20; attempt++) {
      await this.page.keyboard.press(key);
      try {
        await input.waitFor({ state: 'visible', timeout: 1_500 });
        break;
      } catch {
        await this.page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
      }
    }
    await input.fill(text);
  }

  /** Opens the command palette with `>` and the query typed; returns the visible row labels. */
  async searchCommands(query: string): Promise<string[]> {
    await this.quickInput('F1', `>${query}`);
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.first().waitFor({ state: 'visible', timeout: 15_000 });
    const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''));
    await this.page.keyboard.press('Escape');
    return labels;
  }

  /** Runs a command by its palette title, e.g. "Lathe: Show Logs", and waits until the palette closes. */
  async runCommand(title: string): Promise<void> {
    await this.startCommand(title);
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15_000 });
  }

  /** Accepts a command in the palette (Enter once its row is the focused one); one that asks for input keeps the quick input open. */
  async startCommand(title: string): Promise<void> {
    await this.quickInput('F1', `>${title}`);
    await this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row.focused', { hasText: title }).waitFor({ state: 'visible', timeout: 15_000 });
    await this.page.keyboard.press('Enter');
  }

  /** Opens a workspace file through Quick Open and waits for its text editor. */
  async openFile(relativePath: string): Promise<void> {
    await this.quickOpen(relativePath);
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ state: 'visible' });
  }

  /** Opens a workspace file through Quick Open and waits for its tab (in whichever editor opens it). */
  async quickOpen(relativePath: string): Promise<void> {
    const name = relativePath.split('/').pop()!;
    await this.quickInput('Control+P', relativePath);
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: name }).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    await this.page.keyboard.press('Enter');
    await this.page.locator(`.tab.active[aria-label^="${name}"]`).waitFor({ state: 'visible', timeout: 15_000 });
  }

  /** The editor tabs whose label starts with `name`. */
  tabCount(name: string): Promise<number> {
    return this.page.locator(`.tabs-container .tab[aria-label^="${name}"]`).count();
  }

  /** Puts the cursor at the very end of the active editor. */
  async cursorToEnd(): Promise<void> {
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await this.page.keyboard.press('Control+End');
  }

  /** Moves the cursor to a 1-based line and column through Go to Line. */
  async goTo(line: number, column = 1): Promise<void> {
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** Selects whole lines `from`..`to` (1-based, inclusive) in the active editor. */
  async selectLines(from: number, to: number): Promise<void> {
    await this.goTo(from, 1);
    for (let i = from; i <= to; i++) await this.page.keyboard.press('Shift+ArrowDown');
  }

  /** Waits for a status bar item whose accessible label matches. */
  async waitForStatus(label: RegExp, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const labels = await this.page.locator('.statusbar-item a, .statusbar-item').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
      if (labels.some((l) => label.test(l))) return;
      await this.page.waitForTimeout(250);
    }
    throw new Error(`no status bar item matched ${label} within ${timeoutMs} ms`);
  }

  /** Waits until the Output view shows `needle` (the Output channel must already be shown). */
  async waitForOutput(needle: string | RegExp, timeoutMs = 30_000): Promise<string> {
    const view = this.page.locator('.output-view .view-lines, .panel .view-lines').first();
    await view.waitFor({ state: 'visible', timeout: timeoutMs });
    const deadline = Date.now() + timeoutMs;
    let text = '';
    while (Date.now() < deadline) {
      text = (await view.innerText()).replace(/\u00a0/g, ' ');
      if (typeof needle === 'string' ? text.includes(needle) : needle.test(text)) return text;
      await this.page.waitForTimeout(250);
    }
    throw new Error(`output never showed ${needle}; last text:\n${text}`);
  }

  /**
   * The content frame of the webview whose document title is `title` (our webview HTML sets
   * it), waiting until that frame exists. With several webviews open, the newest wins.
   */
  async webview(title: string, timeoutMs = 30_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const frames = this.page.frames().filter((f) => f.name() === 'active-frame' || f.url().includes('fake.html'));
      for (const f of frames.reverse()) {
        const t = await f.title().catch(() => '');
        if (t === title) return f;
      }
      await this.page.waitForTimeout(200);
    }
    throw new Error(`no webview titled '${title}' appeared within ${timeoutMs} ms`);
  }
}
