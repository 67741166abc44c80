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

  /**
   * Opens `relativePath` (a file that looks like training data) through Quick Open: it switches
   * to the dataset editor by itself (lathe.datasets.openInEditor).
   */
  static async open(workbench: Workbench, relativePath: string): Promise<DatasetEditorPage> {
    await workbench.quickOpen(relativePath);
    return DatasetEditorPage.attach(workbench, relativePath.split('/').pop()!);
  }

  /** The dataset editor already showing the file `name`, once its rows are loaded. */
  static async attach(workbench: Workbench, name: string): Promise<DatasetEditorPage> {
    const frame = await workbench.webview(`Lathe Dataset: ${name}`, 120_000);
    await frame.locator('#app[data-state="ready"]').waitFor({ timeout: 120_000 });
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

  /**
   * Clicks a row until its detail shows: a click that lands while the table re-renders (a
   * page of rows arriving) hits a row element that is replaced, and is lost.
   */
  async selectRow(line: number): Promise<void> {
    const header = this.frame.locator('.dd-header h2', { hasText: `Line ${line}` });
    for (let attempt = 1; ; attempt++) {
      await this.row(line).click();
      try {
        await header.waitFor({ timeout: 10_000 });
        return;
      } catch (err) {
        if (attempt === 3) throw err;
      }
    }
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
