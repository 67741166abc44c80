/**
 * One e2e session: code-server with the packaged extension and a fresh copy of the sample
 * workspace, plus Chromium on it. The .vsix and toolchain come from scripts/run-e2e.ts.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureToolchain } from '../../../scripts/provision';
import { startCodeServer, type RunningCodeServer } from './codeServer';
import { latheLog } from './latheLog';
import { RESULTS_DIR, Workbench } from './workbench';

/** Editor settings for tests that type code: exactly the keys pressed, nothing competing with ghost text. */
export const TYPING_SETTINGS: Readonly<Record<string, unknown>> = {
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
  'editor.suggestOnTriggerCharacters': false,
  'editor.acceptSuggestionOnEnter': 'off',
  'editor.formatOnType': false,
};

export interface E2eSession {
  readonly server: RunningCodeServer;
  readonly workbench: Workbench;
  close(): Promise<void>;
}

export async function e2eSession(name: string, settings: Record<string, unknown> = {}, workspaceSettings?: Record<string, unknown>): Promise<E2eSession> {
  const vsix = process.env.LATHE_VSIX;
  if (!vsix) throw new Error('LATHE_VSIX is not set: run the e2e tests through `npm run test:e2e`');
  const toolchain = ensureToolchain();
  mkdirSync(RESULTS_DIR, { recursive: true });
  const logFile = join(RESULTS_DIR, `${name}.code-server.log`);
  writeFileSync(logFile, '');
  const server = await startCodeServer({
    toolchain,
    vsix,
    workspaceFixture: join(__dirname, '..', '..', 'fixtures', 'workspace'),
    // The e2e tests check the completion plumbing with the embedded or random-weight models,
    // whose suggestions the confidence gate would mostly hide; the gate has its own unit tests.
    settings: { 'lathe.completions.confidence': 'off', ...settings },
    workspaceSettings,
    log: (line) => appendFileSync(logFile, `${line}\n`),
  });
  let workbench: Workbench;
  try {
    workbench = await Workbench.open(server.url, toolchain.chromium);
    await workbench.waitForLathe();
  } catch (err) {
    await server.stop();
    throw err;
  }
  return {
    server,
    workbench,
    async close() {
      await workbench.close();
      // The "Lathe" log channel beside the screenshots, for every session (the user data goes with the server).
      writeFileSync(join(RESULTS_DIR, `${name}.lathe.log`), latheLog(server.userDataDir));
      await server.stop();
    },
  };
}
