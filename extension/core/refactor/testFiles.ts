/**
 * Where the tests of a source file live, and which framework they use. An existing test file
 * wins (same folder `*.test.ts` / `*_test.go` / `test_*.py`, or a `test/` or `tests/` tree that
 * mirrors the source path); otherwise the new file goes where the project already keeps tests.
 * The framework comes from the test file's imports, then package.json / pyproject.toml.
 */
import { basename, dirname, extname, join, relative, sep } from 'node:path';
import type { GrammarId } from '../context/languages';
import { RefactorError } from './errors';

/** Read access to the project's files (the host passes the workspace file system, the CLI the disk). */
export interface FileProbe {
  exists(path: string): Promise<boolean>;
  read(path: string): Promise<string | undefined>;
  /** File names in a folder ([] when it does not exist). */
  list(dir: string): Promise<string[]>;
}

export type TestFramework = 'node:test' | 'vitest' | 'jest' | 'mocha' | 'pytest' | 'unittest' | 'go' | 'rust';

export interface TestFileChoice {
  readonly path: string;
  readonly exists: boolean;
  readonly framework: TestFramework;
  /** Why this framework (for the preview and the CLI). */
  readonly frameworkReason: string;
  /** Rust: tests go into the source file itself. */
  readonly sameFile: boolean;
}

type Family = 'js' | 'python' | 'go' | 'rust';

function familyOf(grammar: GrammarId): Family | undefined {
  if (grammar === 'typescript' || grammar === 'tsx' || grammar === 'javascript') return 'js';
  if (grammar === 'python' || grammar === 'go' || grammar === 'rust') return grammar;
  return undefined;
}

/** Test file candidates for `source`, most conventional first. */
export function testFileCandidates(source: string, root: string, grammar: GrammarId): string[] {
  const family = familyOf(grammar);
  const dir = dirname(source);
  const ext = extname(source);
  const stem = basename(source, ext);
  const rel = relative(root, dir);
  const parts = rel && !rel.startsWith('..') ? rel.split(sep) : [];
  // Mirrors: test/<dir>, then test/<dir without its first parts> (src/a/b.ts → test/a/b.test.ts).
  const mirrors = (top: string, name: string) => {
    const out: string[] = [];
    for (let i = 0; i <= parts.length; i++) out.push(join(root, top, ...parts.slice(i), name));
    return out;
  };
  switch (family) {
    case 'js': {
      const names = [`${stem}.test${ext}`, `${stem}.spec${ext}`];
      return [
        ...names.map((n) => join(dir, n)),
        join(dir, '__tests__', names[0]),
        ...['test', 'tests', join('test', 'unit')].flatMap((top) => names.flatMap((n) => mirrors(top, n))),
      ];
    }
    case 'python': {
      const names = [`test_${stem}.py`, `${stem}_test.py`];
      return [...names.map((n) => join(dir, n)), ...['tests', 'test'].flatMap((top) => names.flatMap((n) => mirrors(top, n)))];
    }
    case 'go':
      return [join(dir, `${stem}_test.go`)];
    case 'rust':
      return [source];
    default:
      return [];
  }
}

export async function findTestFile(source: string, root: string, grammar: GrammarId, probe: FileProbe): Promise<TestFileChoice> {
  const family = familyOf(grammar);
  if (!family) throw new RefactorError('unsupported-language', `Generate Tests supports TypeScript, JavaScript, Python, Go and Rust, not ${grammar}`);
  if (family === 'rust') return { path: source, exists: true, framework: 'rust', frameworkReason: "Rust's built-in #[test] in a tests module of the same file", sameFile: true };
  if (family === 'go') {
    const path = testFileCandidates(source, root, grammar)[0];
    return { path, exists: await probe.exists(path), framework: 'go', frameworkReason: "Go's testing package", sameFile: false };
  }
  const candidates = testFileCandidates(source, root, grammar);
  let path: string | undefined;
  for (const c of candidates) {
    if (await probe.exists(c)) {
      path = c;
      break;
    }
  }
  const exists = path !== undefined;
  path ??= await newTestPath(source, root, family, candidates, probe);
  const { framework, reason } = await detectFramework(path, exists, source, root, family, probe);
  return { path, exists, framework, frameworkReason: reason, sameFile: false };
}

/** A new test file goes where the project keeps tests: next to the source when its folder has tests, else a test/ tree. */
async function newTestPath(source: string, root: string, family: Family, candidates: string[], probe: FileProbe): Promise<string> {
  const siblings = await probe.list(dirname(source));
  const testLike = family === 'js' ? /\.(test|spec)\.[cm]?[jt]sx?$/ : /^test_.*\.py$|_test\.py$/;
  if (siblings.some((f) => testLike.test(f))) return candidates[0];
  // A test tree that already mirrors this folder (test/unit/refactor for extension/core/refactor).
  const parts = relative(root, dirname(source)).split(sep).filter(Boolean);
  for (const top of family === 'js' ? ['test', join('test', 'unit'), 'tests'] : ['tests', 'test']) {
    for (let i = 0; i < parts.length; i++) {
      const dir = join(root, top, ...parts.slice(i));
      if ((await probe.list(dir)).length > 0) return join(dir, basename(candidates[0]));
    }
  }
  for (const top of family === 'js' ? ['test', 'tests', '__tests__'] : ['tests', 'test']) {
    if ((await probe.list(join(root, top))).length > 0) {
      const rel = relative(root, dirname(source)).split(sep).filter(Boolean);
      const trimmed = rel[0] === 'src' || rel[0] === 'lib' ? rel.slice(1) : rel;
      const name = basename(candidates[0]);
      return join(root, top, ...(family === 'python' ? [] : trimmed), name);
    }
  }
  return candidates[0];
}

async function detectFramework(testPath: string, exists: boolean, source: string, root: string, family: 'js' | 'python', probe: FileProbe): Promise<{ framework: TestFramework; reason: string }> {
  const fromImports = (text: string | undefined): TestFramework | undefined => {
    if (!text) return undefined;
    if (family === 'python') {
      if (/^\s*(import pytest|from pytest\b)/m.test(text)) return 'pytest';
      if (/^\s*(import unittest|from unittest\b)/m.test(text)) return 'unittest';
      if (/^def test_/m.test(text)) return 'pytest';
      return undefined;
    }
    if (/from ['"]node:test['"]|require\(['"]node:test['"]\)/.test(text)) return 'node:test';
    if (/from ['"]vitest['"]/.test(text)) return 'vitest';
    if (/from ['"]@jest\/globals['"]|\bjest\.(fn|mock|spyOn)\(/.test(text)) return 'jest';
    if (/from ['"](mocha|chai)['"]|require\(['"](mocha|chai)['"]\)/.test(text)) return 'mocha';
    return undefined;
  };
  if (exists) {
    const f = fromImports(await probe.read(testPath));
    if (f) return { framework: f, reason: `${basename(testPath)} imports it` };
  }
  const dir = dirname(testPath);
  for (const name of await probe.list(dir)) {
    if (!(family === 'js' ? /\.(test|spec)\.[cm]?[jt]sx?$/ : /^test_.*\.py$|_test\.py$/).test(name)) continue;
    const f = fromImports(await probe.read(join(dir, name)));
    if (f) return { framework: f, reason: `${name} next to it imports it` };
  }
  // Project manifests, from the source's folder up to the root.
  for (let d = dirname(source); ; d = dirname(d)) {
    if (family === 'js') {
      const pkg = await probe.read(join(d, 'package.json'));
      const f = pkg ? frameworkFromPackageJson(pkg) : undefined;
      if (f) return { framework: f, reason: `${relative(root, join(d, 'package.json')) || 'package.json'} lists it` };
    } else {
      for (const name of ['pyproject.toml', 'setup.cfg', 'pytest.ini', 'tox.ini', 'conftest.py']) {
        const text = await probe.read(join(d, name));
        if (text === undefined) continue;
        if (name === 'pytest.ini' || name === 'conftest.py' || /\bpytest\b/.test(text)) return { framework: 'pytest', reason: `${name} mentions pytest` };
      }
    }
    if (d === root || dirname(d) === d || relative(root, d).startsWith('..')) break;
  }
  return family === 'js'
    ? { framework: 'node:test', reason: "no test framework found: Node's built-in test runner" }
    : { framework: 'unittest', reason: 'no test framework found: the standard library unittest' };
}

export function frameworkFromPackageJson(text: string): TestFramework | undefined {
  let pkg: { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; scripts?: Record<string, string> };
  try {
    pkg = JSON.parse(text) as typeof pkg;
  } catch {
    return undefined;
  }
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  if ('vitest' in deps) return 'vitest';
  if ('jest' in deps || 'ts-jest' in deps || '@jest/globals' in deps) return 'jest';
  if ('mocha' in deps) return 'mocha';
  const test = pkg.scripts?.test ?? '';
  if (/\bnode\b.*--test\b/.test(test)) return 'node:test';
  if (/\bvitest\b/.test(test)) return 'vitest';
  if (/\bjest\b/.test(test)) return 'jest';
  if (/\bmocha\b/.test(test)) return 'mocha';
  return undefined;
}
