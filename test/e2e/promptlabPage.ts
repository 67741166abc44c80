/**
 * Page object for the Prompt Lab panel in code-server: opening it, polling a UI condition, and
 * answering VS Code's simple file dialog (a quick input) with a path. Waits are on UI state.
 */
import type { Frame } from 'playwright-core';
import type { Workbench } from './harness/workbench';

export class PromptLabPage {
  private constructor(private readonly workbench: Workbench, readonly view: Frame) {}

  static async open(workbench: Workbench): Promise<PromptLabPage> {
    await workbench.runCommand('Lathe: Open Prompt Lab');
    const view = await workbench.webview('Prompt Lab');
    await view.locator('#app[data-state="ready"]').waitFor({ timeout: 30_000 });
    return new PromptLabPage(workbench, view);
  }

  /** Polls a UI condition every 200 ms until true or `timeoutMs`; a timeout leaves a screenshot. */
  async until(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await condition()) return;
      await this.workbench.page.waitForTimeout(200);
    }
    const shot = await this.workbench.screenshot(`promptlab-timeout-${what.replace(/[^a-z0-9]+/gi, '-')}`);
    throw new Error(`timed out waiting until ${what} (screenshot: ${shot})`);
  }

  /** Opens a workspace prompt from the list and waits for its analysis. */
  async openPrompt(fileName: string): Promise<void> {
    await this.view.locator(`.pl-prompt-item[data-path$="${fileName}"]`).click();
    await this.view.locator(`#app[data-doc="${fileName}"]`).waitFor({ timeout: 15_000 });
    await this.view.locator('#app[data-analysis="ok"]').waitFor({ timeout: 60_000 });
  }

  /** Types `path` into the open dialog the host just showed and accepts it. */
  async answerFileDialog(path: string): Promise<void> {
    const input = this.workbench.page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await this.until(async () => (await input.inputValue()).startsWith('/'), 'the open dialog shows a folder');
    // The simple file dialog may still rewrite its value while it lists the folder: type the
    // path again until it sticks.
    await this.until(async () => {
      if ((await input.inputValue()) === path) return true;
      await input.fill(path);
      return false;
    }, 'the dataset path is typed');
    await this.workbench.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: 15_000 });
  }
}
