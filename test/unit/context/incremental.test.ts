/**
 * Incremental reparsing gives the same tree as parsing from scratch: for every grammar, a
 * seeded series of edits (typing, deleting, pasting lines, multi-change events) applied to the
 * cached tree is compared with a full parse of the resulting text after every step.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { ImportsTracker } from '../../../extension/core/context/imports';
import { LineIndex } from '../../../extension/core/context/lineIndex';
import { diffChange, type SyntaxDocument } from '../../../extension/core/context/parserService';
import type { TextChange } from '../../../extension/core/context/types';
import { FIXTURES, fixtureDoc, testEngine } from './helpers';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const SNIPPETS = ['x', ' ', '\n', '(', '}', 'foo', 'let y = 1;\n', '  return 0\n', '"', '# note\n', 'end\n'];

/** A random edit of `text`: insert a snippet, delete a span, or replace one. */
function randomChange(text: string, rand: () => number): TextChange {
  const start = Math.floor(rand() * (text.length + 1));
  const kind = rand();
  const snippet = SNIPPETS[Math.floor(rand() * SNIPPETS.length)];
  if (kind < 0.5) return { startOffset: start, oldEndOffset: start, newText: snippet };
  const end = Math.min(text.length, start + 1 + Math.floor(rand() * 12));
  return { startOffset: start, oldEndOffset: end, newText: kind < 0.75 ? '' : snippet };
}

function apply(text: string, changes: readonly TextChange[]): string {
  let t = text;
  for (const c of changes) t = t.slice(0, c.startOffset) + c.newText + t.slice(c.oldEndOffset);
  return t;
}

const MAIN_FILES = readdirSync(FIXTURES).map((dir) => {
  const file = readdirSync(join(FIXTURES, dir)).find((f) => /^(main|layout|Layout)\./.test(f));
  if (!file) throw new Error(`no main fixture in ${dir}`);
  return join(dir, file);
});

describe('incremental parsing equals a full parse', () => {
  const { engine } = testEngine();
  after(() => engine.dispose());

  for (const rel of MAIN_FILES) {
    test(rel, async () => {
      const base = fixtureDoc(rel);
      const first = await engine.parsers.parse(base);
      assert.ok(first, `${rel} parses`);
      const grammar = first.grammar;
      const rand = seeded(rel.length * 7919);
      let text = base.text;
      let version = base.version;
      for (let step = 0; step < 30; step++) {
        version++;
        let current;
        if (step % 3 === 2) {
          // The host only has the new text: the changed span is found by comparing texts.
          text = apply(text, [randomChange(text, rand)]);
          current = await engine.parsers.parse({ ...base, version, text });
        } else {
          // One event with one or two changes, each applying to the result of the previous.
          const changes: TextChange[] = [randomChange(text, rand)];
          if (step % 3 === 1) changes.push(randomChange(apply(text, changes), rand));
          text = apply(text, changes);
          current = engine.parsers.applyChanges(base.uri, version, changes);
        }
        assert.ok(current, `step ${step} reparsed`);
        assert.equal(current.text, text);
        const full = grammar.parser.parse(text);
        assert.ok(full);
        try {
          assert.equal(current.tree.rootNode.toString(), full.rootNode.toString(), `${rel}: tree after step ${step} differs from a full parse`);
          assert.equal(current.tree.rootNode.endIndex, full.rootNode.endIndex);
        } finally {
          full.delete();
        }
      }
    });
  }

  test('a new version reuses the cached tree instead of parsing from scratch', async () => {
    const base = fixtureDoc(join('typescript', 'main.ts'));
    const first = await engine.parsers.parse(base);
    assert.ok(first);
    const at = base.text.indexOf('return sum');
    const next = await engine.parsers.parse({ ...base, version: 2, text: `${base.text.slice(0, at)}x${base.text.slice(at)}` });
    assert.ok(next);
    // Nodes untouched by the edit keep their ids in an incremental parse.
    assert.equal(next.tree.rootNode.child(0)?.id, first.tree.rootNode.child(0)?.id);
    assert.notEqual(next.tree, first.tree);
  });

  test('imports updated edit by edit equal imports read afresh', async () => {
    const base = fixtureDoc(join('typescript', 'main.ts'));
    const first = await engine.parsers.parse({ ...base, uri: '/ws/imports.ts' });
    assert.ok(first);
    const tracker = new ImportsTracker();
    tracker.of(first);
    const bindingsOf = (doc: SyntaxDocument) => tracker.of(doc).map((b) => ({ localName: b.localName, importedName: b.importedName, source: b.source }));
    const edits: Array<(t: string) => string> = [
      (t) => t.replace('let sum = 0;', 'let sum = 0; // start'),
      (t) => `import { perimeter as outline } from './outline';\n${t}`,
      (t) => t.replace("import { area, type Rect } from './shapes';\n", ''),
      (t) => t.replace('return sum;', "const extra = require('./extra');\n    return sum;"),
      (t) => t.replace('outline', 'contour'),
      (t) => `${t}\nimport { late } from './late';\n`,
    ];
    let text = first.text;
    let fresh = 0;
    for (const [i, edit] of edits.entries()) {
      text = edit(text);
      const current = await engine.parsers.parse({ ...base, uri: '/ws/imports.ts', version: 10 + i, text });
      assert.ok(current?.change, `step ${i} is a single change from the previous version`);
      const tree = current.grammar.parser.parse(text);
      assert.ok(tree);
      try {
        const scratch: SyntaxDocument = { ...base, uri: `/ws/fresh-${fresh++}.ts`, version: 1, text, grammar: current.grammar, tree, lines: new LineIndex(text) };
        assert.deepEqual(bindingsOf(current), bindingsOf(scratch), `imports after step ${i}`);
      } finally {
        tree.delete();
      }
    }
    // A require() inside a method body is not a file-level import; the others are found.
    assert.deepEqual(bindingsOf((await engine.parsers.parse({ ...base, uri: '/ws/imports.ts', version: 15, text }))!).map((b) => b.localName), ['contour', 'late']);
  });

  test('diffChange finds the single changed span', () => {
    assert.deepEqual(diffChange('abcdef', 'abXYef'), { startOffset: 2, oldEndOffset: 4, newText: 'XY' });
    assert.deepEqual(diffChange('abc', 'abcd'), { startOffset: 3, oldEndOffset: 3, newText: 'd' });
    assert.deepEqual(diffChange('aaaa', 'aa'), { startOffset: 2, oldEndOffset: 4, newText: '' });
    assert.equal(diffChange('same', 'same'), undefined);
  });
});

test('a request for a variant of the current version (a suggest-widget item inserted) does not disturb the next edit', async () => {
  const { engine } = testEngine();
  try {
    const doc = { uri: '/ws/a.ts', languageId: 'typescript', version: 1, text: 'const items = [1, 2];\nconst n = items.\n' };
    await engine.openDocument(doc);
    const at = doc.text.indexOf('items.') + 'items.'.length;
    // The completion request completes the text as if the item "length" were inserted.
    const variant = { ...doc, text: doc.text.slice(0, at) + 'length' + doc.text.slice(at) };
    await engine.assemble({ doc: variant, offset: at + 'length'.length });
    // The user types "l" into the real text: the edit applies to the real tree, not the variant's.
    const change: TextChange = { startOffset: at, oldEndOffset: at, newText: 'l' };
    const next = { ...doc, version: 2, text: apply(doc.text, [change]) };
    const syntax = await engine.updateDocument(next, [change]);
    assert.equal(syntax?.text, next.text);
    assert.equal(syntax?.tree.rootNode.toString(), (await testEngine().engine.syntaxOf(next))?.tree.rootNode.toString());
  } finally {
    engine.dispose();
  }
});
