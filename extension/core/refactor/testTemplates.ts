/**
 * The text of generated tests per framework: a block (describe / TestCase class / tests module)
 * holding one case per branch, each case either written around a body the model filled or, when
 * the model had nothing usable, in the framework's own pending form (todo, skip, ignore), so an
 * empty case never passes silently.
 */
import { slug } from './testCases';
import type { TestFramework } from './testFiles';

export interface CaseTemplate {
  readonly title: string;
  /** Text up to the body (with the body's indentation). */
  readonly open: string;
  /** Text after the body. */
  readonly close: string;
  /** The whole case when it has no body. */
  readonly pending: string;
}

export interface BlockTemplate {
  readonly header: string;
  readonly cases: readonly CaseTemplate[];
  /** Between cases. */
  readonly separator: string;
  readonly footer: string;
  /** Import lines the block needs (the framework's; the subject's are added by the caller). */
  readonly imports: readonly string[];
  /** Extra imports only pending cases need (pytest's skip marker). */
  readonly pendingImports: readonly string[];
}

export interface BlockInput {
  readonly framework: TestFramework;
  /** The function (or method) under test, and the class holding it. */
  readonly functionName: string;
  readonly subject: string;
  readonly titles: readonly string[];
  readonly unit: string;
  readonly isAsync: boolean;
  readonly commonJs: boolean;
  /** Rust: the file already has a `mod tests` block (cases go inside it). */
  readonly inExistingModule?: boolean;
}

const quote = (t: string) => `'${t.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const camel = (s: string) => s.split('_').filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
const snake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

export function blockTemplate(input: BlockInput): BlockTemplate {
  const { unit: u, titles, functionName: fn } = input;
  const asyncWord = input.isAsync ? 'async ' : '';
  switch (input.framework) {
    case 'node:test':
    case 'vitest':
    case 'jest':
    case 'mocha': {
      const call = input.framework === 'node:test' ? 'test' : 'it';
      const imports = jsFrameworkImports(input.framework, input.commonJs);
      return {
        header: `describe(${quote(fn)}, () => {\n`,
        cases: titles.map((t) => ({
          title: t,
          open: `${u}${call}(${quote(t)}, ${asyncWord}() => {\n${u}${u}`,
          close: `\n${u}});\n`,
          pending: input.framework === 'mocha' ? `${u}it(${quote(t)});\n` : `${u}${call}.todo(${quote(t)});\n`,
        })),
        separator: '\n',
        footer: '});\n',
        imports,
        pendingImports: [],
      };
    }
    case 'pytest':
      return {
        header: '',
        cases: titles.map((t) => {
          const name = `test_${snake(fn)}_${slug(t)}`;
          return { title: t, open: `def ${name}():\n${u}`, close: '\n', pending: `@pytest.mark.skip(reason="no body was generated")\ndef ${name}():\n${u}pass\n` };
        }),
        separator: '\n\n',
        footer: '',
        imports: [],
        pendingImports: ['import pytest'],
      };
    case 'unittest':
      return {
        header: `class Test${camel(snake(fn))}(unittest.TestCase):\n`,
        cases: titles.map((t) => {
          const name = `test_${slug(t)}`;
          return { title: t, open: `${u}def ${name}(self):\n${u}${u}`, close: '\n', pending: `${u}def ${name}(self):\n${u}${u}self.skipTest("no body was generated")\n` };
        }),
        separator: '\n',
        footer: '',
        imports: ['import unittest'],
        pendingImports: [],
      };
    case 'go':
      return {
        header: '',
        cases: titles.map((t) => {
          const name = `Test${fn[0].toUpperCase()}${fn.slice(1)}_${camel(slug(t))}`;
          return { title: t, open: `func ${name}(t *testing.T) {\n\t`, close: '\n}\n', pending: `func ${name}(t *testing.T) {\n\tt.Skip("no body was generated")\n}\n` };
        }),
        separator: '\n',
        footer: '',
        imports: ['import "testing"'],
        pendingImports: [],
      };
    case 'rust': {
      const inner = u;
      return {
        header: input.inExistingModule ? '' : `#[cfg(test)]\nmod tests {\n${u}use super::*;\n\n`,
        cases: titles.map((t) => {
          const name = `${snake(fn)}_${slug(t)}`;
          return {
            title: t,
            open: `${inner}#[test]\n${inner}fn ${name}() {\n${inner}${u}`,
            close: `\n${inner}}\n`,
            pending: `${inner}#[test]\n${inner}#[ignore = "no body was generated"]\n${inner}fn ${name}() {}\n`,
          };
        }),
        separator: '\n',
        footer: input.inExistingModule ? '' : '}\n',
        imports: [],
        pendingImports: [],
      };
    }
  }
}

function jsFrameworkImports(framework: TestFramework, commonJs: boolean): string[] {
  const esm = (names: string, from: string) => (commonJs ? `const { ${names} } = require('${from}');` : `import { ${names} } from '${from}';`);
  const assert = commonJs ? "const assert = require('node:assert/strict');" : "import assert from 'node:assert/strict';";
  switch (framework) {
    case 'node:test':
      return [assert, esm('describe, test', 'node:test')];
    case 'vitest':
      return [esm('describe, expect, it', 'vitest')];
    case 'mocha':
      return [assert];
    default:
      return [];
  }
}

/** The import of the subject under test, in the test file's language and module style. */
export function subjectImport(framework: TestFramework, subject: string, from: string, isDefault: boolean, commonJs: boolean): string | undefined {
  switch (framework) {
    case 'node:test':
    case 'vitest':
    case 'jest':
    case 'mocha':
      if (commonJs) return isDefault ? `const ${subject} = require('${from}');` : `const { ${subject} } = require('${from}');`;
      return isDefault ? `import ${subject} from '${from}';` : `import { ${subject} } from '${from}';`;
    case 'pytest':
    case 'unittest':
      return `from ${from} import ${subject}`;
    default:
      return undefined;
  }
}

