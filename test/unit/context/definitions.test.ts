/**
 * Which definitions a document can see: its imports (aliases included), its own folder, itself;
 * never a same-named definition in an unrelated folder or another language.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { identifiersNear, resolveDefinitions } from '../../../extension/core/context/definitions';
import type { ContextEngine } from '../../../extension/core/context/engine';
import { ImportsTracker } from '../../../extension/core/context/imports';
import type { DocumentSnapshot } from '../../../extension/core/context/types';
import { testEngine } from './helpers';

const NOTHING_VISIBLE = { startLine: -1, endLine: -1 };

describe('definition resolution', () => {
  let engine: ContextEngine;
  before(async () => {
    engine = testEngine().engine;
    await engine.tags.indexText('/ws/a/util.ts', 'typescript', 'export function sum(xs: number[]): number { return 0; }\n');
    await engine.tags.indexText('/ws/a/geo.ts', 'typescript', 'export function area(r: Rect): number { return 0; }\n');
    await engine.tags.indexText('/ws/b/helper.ts', 'typescript', 'export function helper(): void {}\n');
    await engine.tags.indexText('/ws/b/lib.rs', 'rust', 'pub fn helper() {}\n');
  });
  after(() => engine.dispose());

  async function resolve(doc: DocumentSnapshot, names: string[]) {
    const syntax = await engine.syntaxOf(doc);
    assert.ok(syntax);
    return resolveDefinitions(syntax, new ImportsTracker().of(syntax), names, engine.tags, NOTHING_VISIBLE).map((d) => [d.name, d.tag.uri, d.score]);
  }

  test('an aliased import resolves to the imported name in the imported module', async () => {
    const doc = { uri: '/ws/b/main.ts', languageId: 'typescript', version: 1, text: "import { area as surface } from '../a/geo';\nconst s = surface(r);\n" };
    assert.deepEqual(await resolve(doc, ['surface']), [['surface', '/ws/a/geo.ts', 3]]);
  });

  test('a local name that matches a definition in an unrelated folder is not resolved', async () => {
    const doc = { uri: '/ws/b/main.ts', languageId: 'typescript', version: 2, text: 'let sum = 0;\nsum += 1;\n' };
    assert.deepEqual(await resolve(doc, ['sum']), []);
  });

  test('a definition in the same folder is resolved, in the same language family only', async () => {
    const ts = { uri: '/ws/b/main.ts', languageId: 'typescript', version: 3, text: 'helper();\n' };
    assert.deepEqual(await resolve(ts, ['helper']), [['helper', '/ws/b/helper.ts', 1]]);
    const js = { uri: '/ws/b/app.js', languageId: 'javascript', version: 1, text: 'helper();\n' };
    assert.deepEqual(await resolve(js, ['helper']), [['helper', '/ws/b/helper.ts', 1]]);
    const rs = { uri: '/ws/b/main.rs', languageId: 'rust', version: 1, text: 'fn main() { helper(); }\n' };
    assert.deepEqual(await resolve(rs, ['helper']), [['helper', '/ws/b/lib.rs', 1]]);
  });

  test('identifiers are listed nearest to the cursor first, once each', () => {
    assert.deepEqual(identifiersNear('const total = area(rect) + area(other);\nreturn total'), ['total', 'return', 'other', 'area', 'rect', 'const']);
  });
});
