// Builds every bundle Lathe ships: the extension host bundle, the inference worker, the CLI
// and the webview scripts; copies the tree-sitter wasm files. `--production` minifies and
// drops source maps, `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Node-side bundles (extension host, workers, CLI). onnxruntime-node is native: never bundled. */
const nodeEntries = [
  { in: 'extension/extension.ts', out: 'extension' },
  { in: 'extension/cli/main.ts', out: 'cli' },
  { in: 'extension/core/engine/worker/main.ts', out: 'engine-worker' },
  { in: 'extension/core/imagegen/worker/main.ts', out: 'imagegen-worker' },
  { in: 'extension/core/curation/document/tokenWorker.ts', out: 'curation-tokens' },
  { in: 'extension/core/promptlab/template/worker/main.ts', out: 'template-worker' },
];

/** Browser-side bundles, one per webview. */
const webviewEntries = [
  { in: 'webview/promptlab/main.ts', out: 'webview/promptlab' },
  { in: 'webview/curation/main.ts', out: 'webview/curation' },
];

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'info',
  absWorkingDir: root,
  outdir: join(root, 'dist'),
  define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
};

const nodeOptions = {
  ...common,
  entryPoints: nodeEntries,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'onnxruntime-node', 'sharp'],
  // web-tree-sitter and friends use import.meta.url to find their wasm; point it at the bundle.
  define: { ...common.define, 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
};

const webviewOptions = {
  ...common,
  entryPoints: webviewEntries,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
};

/** Copies the tree-sitter runtime and the grammars VS Code ships into dist/wasm. */
function copyWasm() {
  const out = join(root, 'dist', 'wasm');
  mkdirSync(out, { recursive: true });
  const grammars = join(root, 'node_modules', '@vscode', 'tree-sitter-wasm', 'wasm');
  for (const f of readdirSync(grammars)) if (f.endsWith('.wasm')) cpSync(join(grammars, f), join(out, f));
  const runtime = join(root, 'node_modules', 'web-tree-sitter', 'web-tree-sitter.wasm');
  if (existsSync(runtime)) cpSync(runtime, join(out, 'web-tree-sitter.wasm'));
  // The context engine's tree-sitter queries (<lang>/*.scm), read at runtime from dist/queries.
  cpSync(join(root, 'extension', 'core', 'context', 'queries'), join(root, 'dist', 'queries'), { recursive: true });
}

/**
 * Copies the onnxruntime-node runtime for this platform (not the other platforms' binaries)
 * into dist/node_modules, where the bundles resolve it; the .vsix ships exactly this.
 */
function copyOnnxRuntime() {
  const nm = join(root, 'node_modules');
  const out = join(root, 'dist', 'node_modules');
  const platformDir = join('bin', 'napi-v6', process.platform, process.arch);
  for (const [pkg, parts] of [
    ['onnxruntime-common', ['package.json', 'LICENSE', 'dist']],
    ['onnxruntime-node', ['package.json', 'LICENSE', 'dist', platformDir]],
  ]) {
    for (const part of parts) {
      const from = join(nm, pkg, part);
      if (existsSync(from)) cpSync(from, join(out, pkg, part), { recursive: true });
    }
  }
}

async function main() {
  copyWasm();
  copyOnnxRuntime();
  if (watch) {
    const contexts = await Promise.all([esbuild.context(nodeOptions), esbuild.context(webviewOptions)]);
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('[watch] watching for changes');
    return;
  }
  await Promise.all([esbuild.build(nodeOptions), esbuild.build(webviewOptions)]);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
