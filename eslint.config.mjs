// Lint rules that hold the architecture: the core and protocol never import 'vscode', the core
// never imports the webview protocol, the protocol never imports core, and the webview only
// imports the protocol (and environment-free extension/base) from the extension side.
import tseslint from 'typescript-eslint';

const noVscode = { name: 'vscode', message: "extension/core, protocol, cli and unit tests must not import 'vscode': put VS Code code in extension/host." };
const noHost = { group: ['**/host/**', '**/host'], message: 'core code must not depend on host adapters.' };
/** Imports that climb up to the top-level folder `name` (e.g. '../../protocol/promptlab'). */
const noUp = (name, message) => ({ regex: `^(\\.\\./)+${name}(/|$)`, message });
const noProtocolInCore = noUp('protocol', 'extension/core speaks its own types: map them to protocol shapes in extension/host.');
/** Keeps code out of the engine's `folder`: client/ runs in the host, worker/ in the inference process. */
const notEngine = (folder, why) => ({ group: [`**/engine/${folder}/**`, `../${folder}/**`], message: `engine/${folder}/ ${why}.` });
const notWorker = notEngine('worker', 'runs in the inference process: use the engine through client/engine.ts');

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'test-results/**', 'models/**', 'out/**', 'test/fixtures/**'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  ...tseslint.configs.recommendedTypeChecked,
  {
    // Type information for every TypeScript file, from the tsconfig that includes it.
    languageOptions: { parserOptions: { project: ['./tsconfig.json', './tsconfig.webview.json'], tsconfigRootDir: import.meta.dirname } },
  },
  { files: ['**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Rejections carry AbortSignal.reason on purpose (callers abort with an Error).
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
      // node:test's test/describe/it return promises the runner awaits itself.
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }],
      }],
    },
  },
  {
    files: ['extension/core/**/*.ts', 'extension/protocol/**/*.ts', 'extension/cli/**/*.ts', 'test/unit/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode], patterns: [noHost] }] },
  },
  {
    // Core returns its own types; extension/host maps them to the webview protocol's shapes.
    files: ['extension/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode], patterns: [noHost, noProtocolInCore] }] },
  },
  {
    // The engine's folders say where code runs: client/ in the host (extension host, CLI), worker/
    // in the inference process, shared/ on both sides. Only the engine's own tests reach into worker/.
    // (core/imagegen runs its own onnxruntime sessions in a worker and shares the engine's
    // session options and fp16 helpers from worker/.)
    files: ['extension/core/**/*.ts'],
    ignores: ['extension/core/engine/**', 'extension/core/imagegen/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode], patterns: [noHost, noProtocolInCore, notWorker] }] },
  },
  {
    files: ['extension/cli/**/*.ts', 'test/bench/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode], patterns: [noHost, notWorker] }] },
  },
  {
    files: ['extension/host/**/*.ts', 'extension/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [notWorker] }] },
  },
  {
    files: ['extension/core/engine/client/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode], patterns: [noHost, noProtocolInCore, notEngine('worker', 'runs in the inference process: talk to it through shared/protocol.ts')] }] },
  },
  {
    files: ['extension/core/engine/worker/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode], patterns: [noHost, noProtocolInCore, notEngine('client', 'runs in the host, not in the inference process')] }] },
  },
  {
    files: ['extension/core/engine/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noVscode], patterns: [noHost, noProtocolInCore, notEngine('client', 'is host-side: shared/ stays usable on both sides'), notEngine('worker', 'is process-side: shared/ stays usable on both sides')] }],
    },
  },
  {
    // The protocol is plain data and schemas: the webview bundles it.
    files: ['extension/protocol/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode], patterns: [noHost, noUp('core', 'extension/protocol is bundled into the webview: it may use extension/base, not core.')] }] },
  },
  {
    // extension/base: environment-free helpers every part may use, the webview included.
    files: ['extension/base/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['vscode', 'node:*', '../*'], message: 'extension/base is environment-free: no VS Code, no Node modules, nothing outside base.' }],
      }],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'the webview runs in a browser: use the typed protocol.' }],
        patterns: [{ group: ['**/extension/core/**', '**/extension/host/**'], message: 'the webview may only import the protocol (types and constants).' }],
      }],
    },
  },
  {
    // Test doubles implement async interfaces without awaiting; e2e page callbacks run in the
    // browser, where the DOM types of the page are not part of the Node-side program.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    files: ['test/e2e/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
  },
);
