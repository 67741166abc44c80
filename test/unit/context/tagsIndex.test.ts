/**
 * The workspace tags index: built in the background from tags.scm, updated when files change,
 * bounded in memory, cancellable.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { TagsIndex } from '../../../extension/core/context/tagsIndex';
import { fileSystemSource, type WorkspaceSource } from '../../../extension/core/context/workspaceSource';
import { createLogger } from '../../../extension/core/common/logger';
import { FIXTURES, fixtureDoc, testEngine } from './helpers';

const quiet = createLogger({ log: () => undefined }, 'test');

describe('tags index', () => {
  const { engine } = testEngine({ reindexDelayMs: 0 });
  after(() => engine.dispose());

  test('indexes definitions of every language under a folder', async () => {
    const index = new TagsIndex(engine.parsers, quiet);
    const stats = await index.build(fileSystemSource(FIXTURES), new AbortController().signal);
    assert.equal(stats.files, index.fileCount);
    assert.ok(stats.files >= 25, `indexed ${stats.files} files`);
    const areaFiles = index.lookup('area').map((t) => t.uri.slice(FIXTURES.length + 1)).sort();
    for (const f of ['bash/shapes.sh', 'javascript/shapes.js', 'python/shapes.py', 'ruby/shapes.rb', 'rust/shapes.rs', 'typescript/shapes.ts']) {
      assert.ok(areaFiles.includes(f), `area defined in ${f}: ${areaFiles.join(', ')}`);
    }
    const [rect] = index.lookup('Rect').filter((t) => t.uri.endsWith('typescript/shapes.ts'));
    assert.equal(rect.kind, 'interface');
    assert.equal(rect.range.startLine, 0);
    assert.match(rect.snippet ?? '', /width: number;\n\s+height: number;/);
    const [area] = index.lookup('area').filter((t) => t.uri.endsWith('typescript/shapes.ts'));
    assert.equal(area.signature, 'export function area(rect: Rect): number');
    assert.equal(area.kind, 'function');
  });

  test('re-indexing a changed file replaces its definitions; deleting removes them', async () => {
    const index = new TagsIndex(engine.parsers, quiet);
    const uri = '/ws/src/util.ts';
    await index.indexText(uri, 'typescript', 'export function oldName(): void {}\nexport const LIMIT = 3;\n');
    assert.equal(index.lookup('oldName').length, 1);
    await index.indexText(uri, 'typescript', 'export function newName(a: number): number { return a; }\n');
    assert.equal(index.lookup('oldName').length, 0);
    assert.equal(index.lookup('LIMIT').length, 0);
    assert.equal(index.lookup('newName')[0].signature, 'export function newName(a: number): number');
    assert.equal(index.size, 1);
    index.removeFile(`file://${uri}`);
    assert.equal(index.lookup('newName').length, 0);
    assert.equal(index.fileCount, 0);
  });

  test('stays within its bounds by dropping the least recently indexed files', async () => {
    const index = new TagsIndex(engine.parsers, quiet, { maxTags: 6, maxFiles: 3 });
    for (let i = 0; i < 10; i++) {
      await index.indexText(`/ws/f${i}.ts`, 'typescript', `export function a${i}(): void {}\nexport function b${i}(): void {}\n`);
      assert.ok(index.size <= 6 && index.fileCount <= 3, `bounded after file ${i}: ${index.size} tags, ${index.fileCount} files`);
    }
    assert.equal(index.lookup('a9').length, 1, 'the newest file is kept');
    assert.equal(index.lookup('a0').length, 0, 'the oldest file was dropped');
  });

  test('building yields to the event loop and stops when aborted', async () => {
    const files = Array.from({ length: 50 }, (_, i) => ({ uri: `/ws/gen${i}.py`, languageId: 'python' }));
    const source: WorkspaceSource = {
      async *files() {
        yield* files;
      },
      read: async (uri) => `def fn_${uri.replace(/\W/g, '_')}(x):\n    return x\n`,
    };
    const index = new TagsIndex(engine.parsers, quiet, { sliceMs: 0 });
    const ac = new AbortController();
    let ticks = 0;
    const ticker = setInterval(() => {
      ticks++;
      if (index.fileCount >= 10) ac.abort(new Error('stop indexing'));
    }, 0);
    try {
      await assert.rejects(index.build(source, ac.signal), /stop indexing/);
    } finally {
      clearInterval(ticker);
    }
    assert.ok(ticks > 0, 'timers ran while the index was building');
    assert.ok(index.fileCount >= 10 && index.fileCount < files.length, `stopped early at ${index.fileCount} files`);
  });

  test('a file whose parse runs past the limit is skipped, and the parser still works after', async () => {
    const index = new TagsIndex(engine.parsers, quiet, { maxParseMs: 0 });
    const big = Array.from({ length: 4_000 }, (_, i) => `export function f${i}(a: number): number { return a + ${i}; }`).join('\n');
    assert.equal(await index.indexText('/ws/big.ts', 'typescript', big), undefined);
    assert.equal(index.lookup('f1').length, 0);
    const normal = new TagsIndex(engine.parsers, quiet);
    assert.equal(await normal.indexText('/ws/small.ts', 'typescript', 'export function g(): void {}\n'), 1);
    assert.equal(normal.lookup('g')[0].signature, 'export function g(): void');
  });

  test('an edited open document is re-indexed from its new text', async () => {
    const doc = fixtureDoc(join('typescript', 'shapes.ts'));
    await engine.openDocument(doc);
    assert.equal(engine.tags.lookup('perimeter').length, 0);
    const text = `${doc.text}\nexport function perimeter(rect: Rect): number {\n  return 2 * (rect.width + rect.height);\n}\n`;
    await engine.updateDocument({ ...doc, version: 2, text });
    for (let i = 0; i < 200 && engine.tags.lookup('perimeter').length === 0; i++) await delay(5);
    assert.equal(engine.tags.lookup('perimeter')[0]?.signature, 'export function perimeter(rect: Rect): number');
  });
});
