/**
 * Per language, on the fixtures under test/fixtures/context/<lang>/: the enclosing scopes at
 * a cursor, an imported name resolved to its definition in another file, the multi-line
 * decision at an empty block and mid-line, and truncation where a completion closes the block.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { resolveDefinitions } from '../../../extension/core/context/definitions';
import { ImportsTracker } from '../../../extension/core/context/imports';
import { enclosingScopes } from '../../../extension/core/context/scopes';
import { fileSystemSource } from '../../../extension/core/context/workspaceSource';
import type { ContextEngine } from '../../../extension/core/context/engine';
import { FIXTURES, fixtureDoc, offsetAfter, testEngine } from './helpers';

interface LanguageCase {
  readonly dir: string;
  readonly main: string;
  /** Cursor after this text; the scopes around it, outermost first. */
  readonly scopeAt: string;
  readonly scopes: readonly string[];
  /** Identifier used in `main` and the file (relative to `dir`) that defines it. */
  readonly imported: { readonly name: string; readonly definedIn: RegExp };
  /** Cursor after this text sits on the blank line of an empty block. */
  readonly emptyBlock: string;
  /** Cursor after this text has code after it on the line. */
  readonly midLine: string;
  /** A completion at `emptyBlock` that runs past the block's end, and what should remain. */
  readonly completion: string;
  readonly truncated: string;
}

const CASES: readonly LanguageCase[] = [
  {
    dir: 'typescript', main: 'main.ts', scopeAt: 'sum += ', scopes: ['Layout', 'total'],
    imported: { name: 'area', definedIn: /shapes\.ts$/ },
    emptyBlock: 'clear(): void {\n    ', midLine: 'let sum = ',
    completion: 'this.items = [];\n  }\n\n  reset(): void {\n  }', truncated: 'this.items = [];',
  },
  {
    dir: 'tsx', main: 'main.tsx', scopeAt: 'sum + ', scopes: ['Panel'],
    imported: { name: 'area', definedIn: /shapes\.ts$/ },
    emptyBlock: 'render(): void {\n    ', midLine: 'const total = ',
    completion: 'return;\n  }\n\n  other(): void {\n  }', truncated: 'return;',
  },
  {
    dir: 'javascript', main: 'main.js', scopeAt: 'sum += ', scopes: ['Layout', 'total'],
    imported: { name: 'area', definedIn: /shapes\.js$/ },
    emptyBlock: 'clear() {\n    ', midLine: 'let sum = ',
    completion: 'this.items = [];\n  }\n\n  reset() {\n  }', truncated: 'this.items = [];',
  },
  {
    dir: 'python', main: 'main.py', scopeAt: 'total += ', scopes: ['Layout', 'total'],
    imported: { name: 'area', definedIn: /shapes\.py$/ },
    emptyBlock: 'def clear(self) -> None:\n        ', midLine: 'total = ',
    completion: 'self.items = []\n\n    def reset(self):\n        pass', truncated: 'self.items = []',
  },
  {
    dir: 'go', main: 'main.go', scopeAt: 'sum += ', scopes: ['Total'],
    imported: { name: 'Area', definedIn: /shapes\/shapes\.go$/ },
    emptyBlock: 'func (l *Layout) Clear() {\n\t', midLine: 'sum := ',
    completion: 'l.items = nil\n}\n\nfunc (l *Layout) Reset() {\n}', truncated: 'l.items = nil',
  },
  {
    dir: 'rust', main: 'main.rs', scopeAt: 'sum += ', scopes: ['Layout', 'total'],
    imported: { name: 'area', definedIn: /shapes\.rs$/ },
    emptyBlock: 'pub fn clear(&mut self) {\n        ', midLine: 'let mut sum = ',
    completion: 'self.items.clear();\n    }\n\n    pub fn reset(&mut self) {\n    }', truncated: 'self.items.clear();',
  },
  {
    dir: 'java', main: 'Layout.java', scopeAt: 'sum += ', scopes: ['Layout', 'total'],
    imported: { name: 'Geometry', definedIn: /com\/example\/shapes\/Geometry\.java$/ },
    emptyBlock: 'public void clear() {\n        ', midLine: 'double sum = ',
    completion: 'items.clear();\n    }\n\n    public void reset() {\n    }', truncated: 'items.clear();',
  },
  {
    dir: 'csharp', main: 'Layout.cs', scopeAt: 'sum += ', scopes: ['Example', 'Layout', 'Total'],
    imported: { name: 'Area', definedIn: /Geometry\.cs$/ },
    emptyBlock: 'public void Clear()\n        {\n            ', midLine: 'double sum = ',
    completion: 'items.Clear();\n        }\n\n        public void Reset()\n        {\n        }', truncated: 'items.Clear();',
  },
  {
    dir: 'cpp', main: 'layout.cpp', scopeAt: 'sum += ', scopes: ['Layout', 'total'],
    imported: { name: 'area', definedIn: /shapes\.(h|cpp)$/ },
    emptyBlock: 'void clear() {\n    ', midLine: 'double sum = ',
    completion: 'items_.clear();\n  }\n\n  void reset() {\n  }', truncated: 'items_.clear();',
  },
  {
    dir: 'ruby', main: 'layout.rb', scopeAt: 'sum += ', scopes: ['Layout', 'total'],
    imported: { name: 'area', definedIn: /shapes\.rb$/ },
    emptyBlock: 'def clear\n    ', midLine: 'sum = ',
    completion: '@items = []\n  end\n\n  def reset\n  end', truncated: '@items = []',
  },
  {
    dir: 'php', main: 'Layout.php', scopeAt: '$sum += ', scopes: ['Layout', 'total'],
    imported: { name: 'Geometry', definedIn: /Geometry\.php$/ },
    emptyBlock: 'public function clear(): void\n    {\n        ', midLine: '$sum = ',
    completion: '$this->items = [];\n    }\n\n    public function reset(): void\n    {\n    }', truncated: '$this->items = [];',
  },
  {
    dir: 'bash', main: 'layout.sh', scopeAt: 'sum=$((sum + ', scopes: ['total'],
    imported: { name: 'area', definedIn: /shapes\.sh$/ },
    emptyBlock: 'clear_items() {\n  ', midLine: 'local sum=',
    completion: 'unset ITEMS\n}\n\nreset() {\n  :\n}', truncated: 'unset ITEMS',
  },
];

for (const c of CASES) {
  describe(`context engine: ${c.dir}`, () => {
    let engine: ContextEngine;
    const doc = fixtureDoc(join(c.dir, c.main));

    before(async () => {
      engine = testEngine({ workspaceRoot: join(FIXTURES, c.dir) }).engine;
      await engine.indexWorkspace(fileSystemSource(join(FIXTURES, c.dir)), new AbortController().signal);
    });
    after(() => engine.dispose());

    test('parses the fixture without errors', async () => {
      const syntax = await engine.syntaxOf(doc);
      assert.ok(syntax, 'the grammar loads and the file parses');
      if (c.dir !== 'python' && c.dir !== 'bash') assert.equal(syntax.tree.rootNode.hasError, false);
    });

    test('finds the enclosing scopes, outermost first', async () => {
      const syntax = await engine.syntaxOf(doc);
      assert.ok(syntax);
      const scopes = enclosingScopes(syntax, offsetAfter(doc.text, c.scopeAt));
      assert.deepEqual(scopes.map((s) => s.name), c.scopes);
      for (const s of scopes) assert.ok(doc.text.includes(s.signature.trim()), `signature ${JSON.stringify(s.signature)} is source text`);
    });

    test('resolves an imported name to its definition in another file', async () => {
      const syntax = await engine.syntaxOf(doc);
      assert.ok(syntax);
      const imports = new ImportsTracker().of(syntax);
      const [found] = resolveDefinitions(syntax, imports, [c.imported.name], engine.tags, { startLine: -1, endLine: -1 });
      assert.ok(found, `${c.imported.name} resolves`);
      assert.equal(found.tag.name, c.imported.name);
      assert.match(found.tag.uri, c.imported.definedIn);
      assert.ok(found.tag.signature.includes(c.imported.name), `signature ${JSON.stringify(found.tag.signature)} names it`);
    });

    test('multi-line at an empty block, single-line mid-line', async () => {
      const atBlock = await engine.completionShape(doc, offsetAfter(doc.text, c.emptyBlock));
      assert.deepEqual(atBlock, { multiline: true, reason: 'empty-block' });
      const midLine = await engine.completionShape(doc, offsetAfter(doc.text, c.midLine));
      assert.deepEqual(midLine, { multiline: false, reason: 'mid-line' });
    });

    test('truncates a completion where it closes the enclosing block', async () => {
      const result = await engine.truncate(doc, offsetAfter(doc.text, c.emptyBlock), c.completion);
      assert.equal(result.text, c.truncated);
      assert.equal(result.truncated, true);
      assert.equal(result.reason, c.dir === 'python' ? 'dedent' : 'block-end');
    });

    test('keeps a completion that stays inside the block', async () => {
      const result = await engine.truncate(doc, offsetAfter(doc.text, c.emptyBlock), c.truncated);
      assert.deepEqual(result, { text: c.truncated, truncated: false, reason: 'none' });
    });
  });
}
