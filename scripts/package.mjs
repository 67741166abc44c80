// Builds for production and packages a linux-x64 .vsix with @vscode/vsce. Only the files
// .vscodeignore lets through are shipped: dist (bundles + the linux-x64 onnxruntime binary),
// media and the embedded models. README links stay relative: the packaged README shows media/ from the
// extension's own folder (there is no repository URL to rewrite them to).
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';

function run(cmd, args) {
  const res = spawnSync(cmd, args, { stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

const { name, version } = JSON.parse(readFileSync('package.json', 'utf8'));
const out = process.argv[2] ?? `${name}-linux-x64-${version}.vsix`;
run(process.execPath, ['esbuild.mjs', '--production']);
run(process.execPath, ['node_modules/@vscode/vsce/vsce', 'package', '--no-dependencies', '--target', 'linux-x64', '--skip-license', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out]);
console.log(`${out}: ${(statSync(out).size / 1e6).toFixed(1)} MB`);
