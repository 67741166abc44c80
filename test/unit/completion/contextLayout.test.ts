import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fimTemplate } from '../../../extension/core/completion/fimTemplates';
import { parseContextLayout, renderContextHead } from '../../../extension/core/models/contextLayout';
import { readModelFolder } from '../../../extension/core/models/folder';

const definition = 'models/train/context_layout.json';
const layoutDoc = JSON.parse(readFileSync(definition, 'utf8')) as Record<string, unknown>;
const layout = parseContextLayout(layoutDoc, definition)!;
const fixture = JSON.parse(readFileSync('test/fixtures/context-layout/cases.json', 'utf8')) as {
  cases: { pieces: { path: string; code: string }[]; file: string | null; head: string }[];
};

/** The tiny fixture model with a lathe.json of our choosing. */
function folderWith(lathe: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-layout-'));
  cpSync('test/fixtures/models/tiny-llama', dir, { recursive: true });
  writeFileSync(join(dir, 'lathe.json'), JSON.stringify(lathe));
  return dir;
}

test('the editor renders repository context exactly as the training rows do (shared fixture)', () => {
  assert.ok(fixture.cases.length >= 3);
  for (const c of fixture.cases) assert.equal(renderContextHead(layout, c.pieces, c.file ?? undefined), c.head);
});

test('a model folder that declares the layout gets it in its FIM prompts; plain prompts stay bare', () => {
  const folder = readModelFolder(folderWith({ fim_format: 'spm', context_layout: layoutDoc }));
  const t = fimTemplate(folder.fim!);
  const pieces = [{ path: 'src/a/util.py', code: 'def helper(x):\n    return x * 2\n' }];
  assert.equal(
    t.build({ prefix: 'y = hel', suffix: '\nprint(y)\n', filePath: 'src/a/main.py', pieces }),
    '<|file_sep|>a/util.py\ndef helper(x):\n    return x * 2\n<|file_sep|>a/main.py\n<|fim_prefix|><|fim_suffix|>\nprint(y)\n<|fim_middle|>y = hel',
  );
  assert.equal(t.build({ prefix: 'p', suffix: 's' }), '<|fim_prefix|><|fim_suffix|>s<|fim_middle|>p', 'no path, no pieces: the bare prompt');
  // a free-form context without pieces (refactoring slots) keeps the separator form
  assert.equal(t.build({ prefix: 'p', suffix: 's', context: 'ctx\n', filePath: 'x/y.py' }), '<|file_sep|>ctx\n<|file_sep|>x/y.py\n<|fim_prefix|><|fim_suffix|>s<|fim_middle|>p');
  // without a declared layout the pieces change nothing
  const plain = fimTemplate(readModelFolder(folderWith({ fim_format: 'spm' })).fim!);
  assert.equal(plain.build({ prefix: 'p', suffix: 's', filePath: 'x/y.py', pieces }), '<|fim_prefix|><|fim_suffix|>s<|fim_middle|>p');
});

test('a malformed context_layout is an error naming lathe.json and the field', () => {
  const dir = folderWith({ context_layout: { ...layoutDoc, piece: '{path}' } });
  assert.throws(() => readModelFolder(dir), /lathe\.json: context_layout\.piece must be a template with \{path\} and \{code\}/);
  assert.throws(() => parseContextLayout({ ...layoutDoc, path_components: 0 }, 'l.json'), /l\.json: context_layout\.path_components must be an integer/);
});

test('the shipped model declares the same layout as the training definition (when it declares one)', () => {
  const shipped = JSON.parse(readFileSync('models/lathe-code-mini/lathe.json', 'utf8')) as { context_layout?: unknown };
  if (shipped.context_layout === undefined) return;
  assert.deepEqual(shipped.context_layout, layoutDoc);
});
