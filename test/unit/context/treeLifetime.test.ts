/**
 * A burst of edits, each parsed without waiting for the one before (as the editor reports
 * them), leaves every caller a live tree: the first resumes after later versions have replaced
 * its own twice, and it still reads its root node and runs queries on it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureDoc, testEngine } from './helpers';

test('edits parsed in one burst each get a live tree, and the engine keeps working', async () => {
  const { engine, logs } = testEngine();
  try {
    const doc = fixtureDoc('typescript/main.ts');
    await engine.openDocument(doc);
    // Versions sent without their changes take the path that awaits the parse.
    const versions = [1, 2, 3, 4].map((n) => ({ ...doc, version: doc.version + n, text: `${doc.text}\n// edit ${n}\n` }));
    const results = await Promise.all(versions.map((v) => engine.updateDocument(v)));
    for (const [i, syntax] of results.entries()) {
      assert.ok(syntax, `version ${versions[i].version} was parsed`);
      assert.ok(syntax.tree.rootNode, `version ${versions[i].version} still has its root node`);
      assert.equal(syntax.tree.rootNode.endIndex, versions[i].text.length);
    }
    const last = versions[versions.length - 1];
    const context = await engine.assemble({ doc: last, offset: last.text.length });
    assert.ok(context.prefix.length > 0);
    assert.deepEqual(logs.filter((l) => l.level === 'warn' || l.level === 'error'), []);
  } finally {
    engine.dispose();
  }
});
