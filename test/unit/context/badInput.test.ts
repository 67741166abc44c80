/**
 * Bad input degrades to plain context without errors: unsupported languages, files over a
 * megabyte, minified one-line files, and a grammar that fails to load (logged once).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { approximateTokenCounter } from '../../../extension/core/models/tokenCounter';
import type { DocumentSnapshot } from '../../../extension/core/context/types';
import { ASSETS, fixtureDoc, offsetAfter, testEngine } from './helpers';

const BUDGET = { maxTokens: 512 };

describe('bad input', () => {
  const { engine } = testEngine();
  after(() => engine.dispose());

  test('an unsupported language gets plain prefix/suffix context', async () => {
    const text = '# Notes\n\nSome prose here.\nMore prose after the cursor.\n';
    const doc: DocumentSnapshot = { uri: '/tmp/notes.md', languageId: 'markdown', version: 1, text };
    const offset = offsetAfter(text, 'Some prose');
    const result = await engine.assemble({ doc, offset, budget: BUDGET });
    assert.equal(result.syntax, false);
    assert.deepEqual(result.pieces.map((p) => p.kind), ['prefix', 'suffix']);
    assert.equal(result.prefix, text.slice(0, offset));
    assert.equal(result.suffix, text.slice(offset));
    assert.equal(result.context, '');
    assert.deepEqual(await engine.completionShape(doc, offset), { multiline: false, reason: 'mid-line' });
    assert.deepEqual(await engine.truncate(doc, offset, ' here.\nNext line'), { text: ' here.\nNext line', truncated: false, reason: 'none' });
    assert.deepEqual(await engine.truncate(doc, offset, ' here.\nNext line', { multiline: false }), { text: ' here.', truncated: true, reason: 'single-line' });
  });

  test('a file over 1 MB is not parsed and gets bounded windows', async () => {
    const line = 'export const value = compute(input, { limit: 10, label: "x" });\n';
    const text = line.repeat(Math.ceil(1_200_000 / line.length));
    assert.ok(text.length > 1_000_000);
    const doc: DocumentSnapshot = { uri: '/tmp/huge.ts', languageId: 'typescript', version: 1, text };
    const offset = Math.floor(text.length / 2);
    const result = await engine.assemble({ doc, offset, budget: BUDGET });
    assert.equal(result.syntax, false);
    assert.equal(await engine.syntaxOf(doc), undefined);
    assert.ok(result.tokens.total <= BUDGET.maxTokens, `total ${result.tokens.total} within budget`);
    assert.ok(result.prefix.length < 8 * BUDGET.maxTokens && result.suffix.length < 8 * BUDGET.maxTokens);
    assert.ok(text.slice(0, offset).endsWith(result.prefix));
    assert.ok(text.slice(offset).startsWith(result.suffix));
  });

  test('a minified one-line file gets the tail of the line, within budget', async () => {
    const unit = 'function a(b){return b.map(function(c){return c*2}).filter(Boolean)};';
    const text = unit.repeat(Math.ceil(600_000 / unit.length));
    const doc: DocumentSnapshot = { uri: '/tmp/app.min.js', languageId: 'javascript', version: 1, text };
    const offset = text.length - 1_000;
    const result = await engine.assemble({ doc, offset, budget: BUDGET });
    assert.equal(result.syntax, false);
    assert.ok(result.prefix.length > 0 && text.slice(0, offset).endsWith(result.prefix));
    assert.ok(result.tokens.prefix <= BUDGET.maxTokens);
    assert.equal(approximateTokenCounter.count(result.prefix), result.tokens.prefix);
    assert.ok(result.suffix.length <= 1_000 && text.slice(offset).startsWith(result.suffix));
    const shape = await engine.completionShape(doc, offset);
    assert.equal(shape.multiline, false);
  });

  test('a grammar that fails to load is logged once; the language falls back to plain context', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lathe-grammars-'));
    try {
      writeFileSync(join(dir, 'tree-sitter-python.wasm'), 'this is not a wasm module');
      const { engine: broken, logs } = testEngine({ assets: { ...ASSETS, grammarDir: dir } });
      try {
        const doc = fixtureDoc(join('python', 'main.py'));
        const offset = offsetAfter(doc.text, 'total += ');
        const first = await broken.assemble({ doc, offset, budget: BUDGET });
        const second = await broken.assemble({ doc: { ...doc, version: 2 }, offset, budget: BUDGET });
        await broken.completionShape(doc, offset);
        for (const r of [first, second]) {
          assert.equal(r.syntax, false);
          assert.deepEqual(r.pieces.map((p) => p.kind), ['prefix', 'suffix']);
          assert.equal(r.prefix, doc.text.slice(0, offset));
        }
        const failures = logs.filter((l) => l.message.includes('tree-sitter-python.wasm'));
        assert.equal(failures.length, 1, JSON.stringify(logs));
        assert.equal(failures[0].level, 'warn');
      } finally {
        broken.dispose();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a missing query file is logged and the grammar still parses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lathe-queries-'));
    try {
      const { engine: partial, logs } = testEngine({ assets: { ...ASSETS, queriesDir: dir } });
      try {
        const doc = fixtureDoc(join('go', 'main.go'));
        const syntax = await partial.syntaxOf(doc);
        assert.ok(syntax, 'parsed without queries');
        assert.equal(syntax.grammar.queries.scopes, undefined);
        const r = await partial.assemble({ doc, offset: offsetAfter(doc.text, 'sum += '), budget: BUDGET });
        assert.equal(r.syntax, true);
        assert.equal(logs.filter((l) => l.level === 'warn' && l.message.includes('scopes.scm')).length, 1);
      } finally {
        partial.dispose();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
