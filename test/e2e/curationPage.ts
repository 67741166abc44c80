/**
 * Page object for the Lathe Dataset editor in code-server: opening a .jsonl file in it, the
 * row table, the detail pane, filters and split export. Waits are on UI state, never sleeps.
 */
import type { Frame, Locator, Page } from 'playwright-core';
import type { Workbench } from './harness/workbench';

export class DatasetEditorPage {
  private constructor(private readonly workbench: Workbench, readonly frame: Frame) {}

  get page(): Page {
    return this.workbench.page;
  }

  /** Opens `relativePath` through Quick Open, then runs "Lathe: Open Dataset Editor" on it. */
  static async open(workbench: Workbench, relativePath: string): Promise<DatasetEditorPage> {
    const page = workbench.page;
    const name = relativePath.split('/').pop()!;
    const input = page.locator('.quick-input-widget input.input');
    for (let attempt = 0; attempt < 20; attempt++) {
      await page.keyboard.press('Control+P');
      try {
        await input.waitFor({ state: 'visible', timeout: 1_500 });
        break;
      } catch {
        await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
      }
    }
    await input.fill(relativePath);
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.press('Enter');
    await page.locator(`.tab.active[aria-label^="${name}"]`).waitFor({ state: 'visible', timeout: 15_000 });
    await workbench.runCommand('Lathe: Open Dataset Editor');
    const frame = await workbench.webview(`Lathe Dataset: ${name}`, 120_000);
    await frame.locator('#app[data-state="ready"]').waitFor({ timeout: 120_000 });
    return new DatasetEditorPage(workbench, frame);
  }

  /**
   * Runs "Lathe: Open Dataset Editor" with no .jsonl text editor active, so it asks for the
   * file; types `absolutePath` into the (simple) open dialog. Large files never open as text.
   */
  static async openWithDialog(workbench: Workbench, absolutePath: string): Promise<DatasetEditorPage> {
    const page = workbench.page;
    const input = page.locator('.quick-input-widget input.input');
    // The palette and then the open dialog share the quick input: type the command, pick it,
    // and wait for the dialog's path prompt to replace it.
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill('>Lathe: Open Dataset Editor');
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Lathe: Open Dataset Editor' }).first().click();
    const deadline = Date.now() + 15_000;
    while (!(await input.inputValue().catch(() => '')).startsWith('/')) {
      if (Date.now() > deadline) throw new Error('the open dialog did not appear');
      await page.waitForTimeout(100);
    }
    await input.fill(absolutePath);
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: absolutePath.split('/').pop()! }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    const frame = await workbench.webview(`Lathe Dataset: ${absolutePath.split('/').pop()!}`, 120_000);
    const ready = frame.locator('#app[data-state="ready"]');
    await ready.waitFor({ timeout: 120_000 });
    return new DatasetEditorPage(workbench, frame);
  }

  summary(): Promise<string> {
    return this.frame.locator('#summary').innerText();
  }

  /** Waits until the summary text matches (analysis runs in the background). */
  async waitForSummary(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let text = '';
    while (Date.now() < deadline) {
      text = await this.summary();
      if (pattern.test(text)) return text;
      await this.page.waitForTimeout(200);
    }
    throw new Error(`summary never matched ${pattern}; last: ${text}`);
  }

  /** The table's rendered rows as { line, problems (codes) }. */
  async rows(): Promise<Array<{ line: string; codes: string }>> {
    return this.frame.locator('.dt-body .dt-row[data-id]').evaluateAll((els) =>
      els.map((e) => ({
        line: e.querySelector('.dt-line')?.textContent ?? '',
        codes: e.querySelector('.dt-problems [data-codes]')?.getAttribute('data-codes') ?? '',
      })),
    );
  }

  row(line: number): Locator {
    return this.frame.locator('.dt-body .dt-row[data-id]', { has: this.frame.locator('.dt-line', { hasText: new RegExp(`^${line}$`) }) });
  }

  async selectRow(line: number): Promise<void> {
    await this.row(line).click();
    await this.frame.locator('.dd-header h2', { hasText: `Line ${line}` }).waitFor();
  }

  problemCodes(): Promise<string[]> {
    return this.frame.locator('.dd-problems .dd-problem').evaluateAll((els) => els.map((e) => e.getAttribute('data-code') ?? ''));
  }

  editor(): Locator {
    return this.frame.locator('.dd-editor');
  }

  async filterProblems(value: string): Promise<void> {
    await this.frame.locator('#filter-problem').selectOption(value);
  }

  async total(): Promise<number> {
    return Number(await this.frame.locator('.dt-table').getAttribute('data-total'));
  }

  async waitForTotal(n: number, timeoutMs = 30_000): Promise<void> {
    await this.frame.locator(`.dt-table[data-total="${n}"]`).waitFor({ timeout: timeoutMs });
  }
}
