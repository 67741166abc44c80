/**
 * End-to-end tests: provisions code-server + Node 24 if missing, packages the .vsix, then runs
 * test/e2e/*.e2e.test.ts with node's test runner against a real VS Code in headless Chromium.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureToolchain } from './provision';

const root = resolve(__dirname, '..');
ensureToolchain();
mkdirSync(join(root, '.cache', 'e2e'), { recursive: true });
const vsix = join(root, '.cache', 'e2e', `lathe-e2e-${process.pid}.vsix`);
const pkg = spawnSync(process.execPath, [join(root, 'scripts', 'package.mjs'), vsix], { stdio: 'inherit', cwd: root });
if (pkg.status !== 0) process.exit(pkg.status ?? 1);

const filters = process.argv.slice(2);
const files = readdirSync(join(root, 'test', 'e2e'))
  .filter((f) => f.endsWith('.e2e.test.ts') && (filters.length === 0 || filters.some((x) => f.includes(x))))
  .map((f) => join('test', 'e2e', f));
const res = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
  { stdio: 'inherit', cwd: root, env: { ...process.env, LATHE_VSIX: vsix } },
);
rmSync(vsix, { force: true });
process.exit(res.status ?? 1);
