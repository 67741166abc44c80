/**
 * Context assembly: token budget, sources on every piece, KV-cache-friendly order, and the
 * pieces themselves (enclosing scopes, imported definitions, similar code, recent edits).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateWorkspace } from '../../../extension/cli/bench/contextSource';
import type { ContextEngine, ContextResult } from '../../../extension/core/context/engine';
import type { PieceKind } from '../../../extension/core/context/pieces';
import { approximateTokenCounter } from '../../../extension/core/models/tokenCounter';
import type { DocumentSnapshot } from '../../../extension/core/context/types';
import { fileSystemSource } from '../../../extension/core/context/workspaceSource';
import { FIXTURES, fixtureDoc, offsetAfter, testEngine } from './helpers';

const ORDER: readonly PieceKind[] = ['recent-edit', 'scope', 'definition', 'similar', 'prefix', 'suffix'];

function assertOrdered(result: ContextResult): void {
  const ranks = result.pieces.map((p) => ORDER.indexOf(p.kind));
  assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), `pieces out of order: ${result.pieces.map((p) => p.kind).join(', ')}`);
  assert.deepEqual(result.pieces.slice(-2).map((p) => p.kind), ['prefix', 'suffix']);
}

describe('context assembly', () => {
  let engine: ContextEngine;
  const ws = generateWorkspace(1_200);
  const big: DocumentSnapshot = { uri: '/bench/main.ts', languageId: 'typescript', version: 1, text: ws.main };

  before(async () => {
    engine = testEngine({ workspaceRoot: FIXTURES }).engine;
    await engine.indexWorkspace(fileSystemSource(join(FIXTURES, 'typescript')), new AbortController().signal);
    await engine.openDocument({ uri: '/bench/lib.ts', languageId: 'typescript', version: 1, text: ws.lib });
  });
  after(() => engine.dispose());

  test('stays within the token budget, and each piece counts its own text', async () => {
    for (const maxTokens of [96, 256, 1024]) {
      for (const marker of ['    const result = ', 'return cached;\n    }\n']) {
        const result = await engine.assemble({ doc: big, offset: offsetAfter(big.text, marker), budget: { maxTokens } });
        assert.ok(result.tokens.total <= maxTokens, `${result.tokens.total} tokens for a budget of ${maxTokens}`);
        for (const p of result.pieces) {
          const joined = approximateTokenCounter.count(p.text);
          if (p.kind !== 'prefix' && p.kind !== 'suffix') assert.equal(p.tokens, joined, `${p.kind} token count`);
          else {
            // Windows sum their lines' counts: never below the joined count, at most one more per line.
            const lineCount = p.text.split('\n').length;
            assert.ok(p.tokens >= joined && p.tokens <= joined + lineCount, `${p.kind}: ${p.tokens} tokens, ${joined} joined`);
          }
        }
        assert.equal(result.context, result.pieces.filter((p) => p.kind !== 'prefix' && p.kind !== 'suffix').map((p) => p.text).join(''));
        assertOrdered(result);
      }
    }
  });

  test('uses the caller-supplied token counter', async () => {
    const perChar = { name: 'characters', count: (s: string) => s.length };
    const result = await engine.assemble({ doc: big, offset: 20_000, counter: perChar, budget: { maxTokens: 300 } });
    assert.ok(result.prefix.length + result.suffix.length + result.context.length <= 300);
    assert.equal(result.tokens.prefix, result.prefix.length);
  });

  test('every piece carries its source file and range', async () => {
    const doc = fixtureDoc(join('typescript', 'main.ts'));
    const offset = offsetAfter(doc.text, 'sum += ');
    const result = await engine.assemble({ doc, offset, budget: { maxTokens: 1024 } });
    assert.equal(result.syntax, true);
    const definition = result.pieces.find((p) => p.kind === 'definition' && p.detail === 'area');
    assert.ok(definition, 'the imported function is in the context');
    assert.match(definition.uri, /typescript\/shapes\.ts$/);
    assert.deepEqual([definition.range.startLine, definition.range.endLine], [5, 7]);
    assert.equal(definition.text, '// Definition: typescript/shapes.ts:6\nexport function area(rect: Rect): number\n');
    const prefix = result.pieces.find((p) => p.kind === 'prefix');
    const suffix = result.pieces.find((p) => p.kind === 'suffix');
    assert.ok(prefix && suffix);
    assert.equal(prefix.text, doc.text.slice(0, offset));
    assert.deepEqual(prefix.range, { startLine: 0, startCharacter: 0, endLine: 8, endCharacter: 13 });
    assert.deepEqual([suffix.range.startLine, suffix.range.startCharacter], [8, 13]);
    assert.equal(prefix.uri, doc.uri);
  });

  test('enclosing scopes whose headers are outside the prefix window are included', async () => {
    const offset = offsetAfter(big.text, 'const step3 = ');
    const result = await engine.assemble({ doc: big, offset, budget: { maxTokens: 200, contextShare: 0.5 } });
    const scopes = result.pieces.filter((p) => p.kind === 'scope');
    const methodLine = big.text.lastIndexOf('(values: number[], key: string): number {', offset);
    const methodStart = big.text.lastIndexOf('\n', methodLine) + 1;
    assert.ok(result.pieces.find((p) => p.kind === 'prefix')!.range.startLine > 0);
    assert.equal(scopes.length, 2, 'the class and the method');
    assert.match(scopes[0].text, /^\/\/ Enclosing scope: .*main\.ts:\d+\nexport class \w+Service\d+\n$/);
    assert.equal(scopes[1].text.split('\n')[1], `${big.text.slice(methodStart, methodLine)}(values: number[], key: string): number`);
  });

  test('consecutive keystrokes keep the prompt before the cursor as a prefix of the next one', async () => {
    const marker = '    const result = ';
    let text = big.text;
    let offset = offsetAfter(text, marker);
    let previous: string | undefined;
    for (const [i, ch] of [...'step0 + step1'].entries()) {
      text = text.slice(0, offset) + ch + text.slice(offset);
      offset++;
      const doc = { ...big, version: 10 + i, text };
      await engine.updateDocument(doc, [{ startOffset: offset - 1, oldEndOffset: offset - 1, newText: ch }]);
      const result = await engine.assemble({ doc, offset, budget: { maxTokens: 512 } });
      const prompt = result.context + result.prefix;
      if (previous !== undefined) assert.ok(prompt.startsWith(previous), `keystroke ${i}: the previous prompt is not a prefix of this one`);
      previous = prompt;
    }
  });

  test('the prefix window starts on a line that is a multiple of 16 when the budget cuts it', async () => {
    for (const at of [30_000, 31_000, 32_000]) {
      const result = await engine.assemble({ doc: big, offset: at, budget: { maxTokens: 1024 } });
      const prefix = result.pieces.find((p) => p.kind === 'prefix')!;
      assert.ok(prefix.range.startLine > 0);
      assert.equal(prefix.range.startLine % 16, 0);
      assert.equal(prefix.range.startCharacter, 0);
    }
  });

  test('the prefix window start does not move while typing on one line', async () => {
    const start = offsetAfter(big.text, '    const result = ');
    let text = big.text;
    const starts = new Set<number>();
    for (let i = 0; i < 12; i++) {
      text = text.slice(0, start + i) + 's' + text.slice(start + i);
      const result = await engine.assemble({ doc: { ...big, version: 100 + i, text }, offset: start + i + 1, budget: { maxTokens: 400 } });
      starts.add(result.pieces.find((p) => p.kind === 'prefix')!.range.startLine);
    }
    assert.equal(starts.size, 1, `window starts: ${[...starts].join(', ')}`);
  });

  test('similar code from an open document and recent edits elsewhere are included', async () => {
    const { engine: local } = testEngine();
    try {
      const doc = fixtureDoc(join('typescript', 'main.ts'));
      const other: DocumentSnapshot = {
        uri: '/ws/other.ts',
        languageId: 'typescript',
        version: 1,
        text: 'export class Totals {\n  sum(items: Rect[]): number {\n    let sum = 0;\n    for (const item of items) {\n      sum += area(item) * 2;\n    }\n    return sum;\n  }\n}\n',
      };
      await local.openDocument(other);
      const edited = `${other.text}\nexport const EDITED_MARKER = 42;\n`;
      await local.updateDocument({ ...other, version: 2, text: edited });
      const result = await local.assemble({ doc, offset: offsetAfter(doc.text, 'sum += '), budget: { maxTokens: 1024 } });
      const similar = result.pieces.find((p) => p.kind === 'similar');
      assert.ok(similar, 'similar snippet');
      assert.equal(similar.uri, other.uri);
      assert.ok(similar.text.includes('for (const item of items)'));
      const edit = result.pieces.find((p) => p.kind === 'recent-edit');
      assert.ok(edit, 'recent edit');
      assert.equal(edit.uri, other.uri);
      assert.ok(edit.text.includes('EDITED_MARKER'));
      assertOrdered(result);
    } finally {
      local.dispose();
    }
  });
});
