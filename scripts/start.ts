/**
 * `npm start`: builds and packages Lathe, provisions Node 24 + code-server if missing, starts
 * a real VS Code in the browser on 127.0.0.1 with Lathe installed and the sample workspace
 * open, and prints the URL. Ctrl+C stops everything it started.
 * Environment: LATHE_PORT (default 8080), LATHE_STATE_DIR (default .cache/start).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startCodeServer } from '../test/e2e/harness/codeServer';
import { ensureToolchain } from './provision';
import { errorMessage } from '../extension/base/errorText';

async function main(): Promise<void> {
  const root = resolve(__dirname, '..');
  const toolchain = ensureToolchain();
  const stateDir = resolve(process.env.LATHE_STATE_DIR ?? join(root, '.cache', 'start'));
  mkdirSync(stateDir, { recursive: true });
  const vsix = join(stateDir, 'lathe.vsix');
  const pkg = spawnSync(process.execPath, [join(root, 'scripts', 'package.mjs'), vsix], { stdio: 'inherit', cwd: root });
  if (pkg.status !== 0) process.exit(pkg.status ?? 1);

  const port = Number(process.env.LATHE_PORT ?? 8080);
  const server = await startCodeServer({
    toolchain,
    vsix,
    workspaceFixture: join(root, 'test', 'fixtures', 'workspace'),
    port,
    stateDir,
    log: (line) => process.stdout.write(`[code-server] ${line}\n`),
  });
  console.log(`\nLathe is running in VS Code at ${server.url}\n(workspace: ${server.workspace}; press Ctrl+C to stop)\n`);
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping code-server…');
    void server.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(errorMessage(err));
  process.exit(1);
});
