/**
 * Starts a real VS Code (code-server) with Lathe installed from its .vsix, fixed user
 * settings and a copy of a fixture workspace. Used by the e2e tests and by `npm start`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Toolchain } from '../../../scripts/provision';

export interface CodeServerOptions {
  readonly toolchain: Toolchain;
  readonly vsix: string;
  /** Folder copied into a fresh workspace (tests never modify the fixture itself). */
  readonly workspaceFixture: string;
  /** Extra user settings, merged over the fixed defaults. */
  readonly settings?: Record<string, unknown>;
  /** Settings of the workspace itself (its .vscode/settings.json), as a cloned repository would bring. */
  readonly workspaceSettings?: Record<string, unknown>;
  readonly port?: number;
  /** Keep the user/workspace folders here instead of a temp folder (npm start). */
  readonly stateDir?: string;
  readonly log?: (line: string) => void;
}

export interface RunningCodeServer {
  readonly url: string;
  readonly workspace: string;
  readonly userDataDir: string;
  stop(): Promise<void>;
}

/** Settings that make the workbench deterministic: no trust prompt, no welcome, no updates. */
export const FIXED_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'editor.inlineSuggest.enabled': true,
  'editor.minimap.enabled': false,
  'files.autoSave': 'off',
  'window.restoreWindows': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealthy(url: string, proc: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`code-server exited early with code ${proc.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not become healthy at ${url} within ${timeoutMs} ms`);
}

export async function startCodeServer(opts: CodeServerOptions): Promise<RunningCodeServer> {
  const log = opts.log ?? (() => {});
  const base = opts.stateDir ?? mkdtempSync(join(tmpdir(), 'lathe-e2e-'));
  const userDataDir = join(base, 'user-data');
  const extensionsDir = join(base, 'extensions');
  const workspace = join(base, 'workspace');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...FIXED_SETTINGS, ...opts.settings }, null, 2));
  // The extension host runs on the "remote" side, which reads machine-scoped settings (e.g.
  // lathe.model.path) only from Machine/settings.json.
  mkdirSync(join(userDataDir, 'Machine'), { recursive: true });
  writeFileSync(join(userDataDir, 'Machine', 'settings.json'), JSON.stringify({ ...opts.settings }, null, 2));
  // A persistent state folder (npm start) keeps the user's edits in its workspace copy.
  if (!opts.stateDir) rmSync(workspace, { recursive: true, force: true });
  if (!existsSync(workspace)) cpSync(opts.workspaceFixture, workspace, { recursive: true });
  if (opts.workspaceSettings) {
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(opts.workspaceSettings, null, 2));
  }

  const env = { ...process.env, PATH: `${join(opts.toolchain.nodeDir, 'bin')}:${process.env.PATH}` };
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  const install = spawnSync(opts.toolchain.codeServer, [...common, '--force', '--install-extension', opts.vsix], { env, encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`installing ${opts.vsix} failed:\n${install.stdout}\n${install.stderr}`);
  log(install.stdout.trim());

  const port = opts.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const proc = spawn(
    opts.toolchain.codeServer,
    ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', ...common, workspace],
    { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  proc.stdout?.on('data', (d: Buffer) => log(d.toString().trimEnd()));
  proc.stderr?.on('data', (d: Buffer) => log(d.toString().trimEnd()));
  const stop = async () => {
    if (proc.exitCode !== null || proc.pid === undefined) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    try {
      process.kill(-proc.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-proc.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5000);
    await exited;
    clearTimeout(timer);
    if (!opts.stateDir) rmSync(base, { recursive: true, force: true });
  };
  try {
    await waitForHealthy(url, proc, 60_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, workspace, userDataDir, stop };
}
