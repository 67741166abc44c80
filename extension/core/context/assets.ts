/**
 * Where the tree-sitter runtime, the grammars and the .scm queries live. Injected, never
 * guessed by the engine: the bundles pass `bundledAssets(__dirname)` (dist/wasm and
 * dist/queries next to dist/extension.js), unit tests pass `sourceAssets(repoRoot)`.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface ContextAssets {
  /** web-tree-sitter.wasm, the runtime. */
  readonly runtimeWasm: string;
  /** Folder of tree-sitter-<lang>.wasm grammars. */
  readonly grammarDir: string;
  /** Folder of <queries>/scopes.scm, imports.scm, tags.scm. */
  readonly queriesDir: string;
}

/** The layout esbuild.mjs writes: `<dist>/wasm/*.wasm` and `<dist>/queries/<lang>/*.scm`. */
export function bundledAssets(distDir: string): ContextAssets {
  return {
    runtimeWasm: join(distDir, 'wasm', 'web-tree-sitter.wasm'),
    grammarDir: join(distDir, 'wasm'),
    queriesDir: join(distDir, 'queries'),
  };
}

/** The source layout: grammars and runtime from node_modules, queries from the source tree. */
export function sourceAssets(repoRoot: string): ContextAssets {
  return {
    runtimeWasm: join(repoRoot, 'node_modules', 'web-tree-sitter', 'web-tree-sitter.wasm'),
    grammarDir: join(repoRoot, 'node_modules', '@vscode', 'tree-sitter-wasm', 'wasm'),
    queriesDir: join(repoRoot, 'extension', 'core', 'context', 'queries'),
  };
}

/**
 * For entry points that run both bundled and from source (the CLI and benchmarks): the bundled
 * layout when `<dir>/wasm` exists, otherwise the source layout of the nearest ancestor that
 * has node_modules/web-tree-sitter.
 */
export function locateAssets(dir: string): ContextAssets {
  if (existsSync(join(dir, 'wasm', 'web-tree-sitter.wasm'))) return bundledAssets(dir);
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'node_modules', 'web-tree-sitter', 'web-tree-sitter.wasm'))) return sourceAssets(d);
    if (dirname(d) === d) return bundledAssets(dir);
  }
}
