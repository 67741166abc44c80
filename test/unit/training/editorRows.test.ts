/**
 * Repository context in the training rows (models/train/editor_rows.py) is picked the way the
 * editor's context engine picks it: definitions of the identifiers near the cursor, from sibling
 * files and from the current file outside the lines the prompt shows, as signatures or (small
 * types) whole; then the most similar window of a sibling. Never the answer's own identifiers:
 * the editor's document does not contain the answer yet. Needs python3 with numpy.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const TRAIN_DIR = resolve('models/train');
const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0);

const UTIL = `import os


def compute_total(items, tax):
    subtotal = sum(i.price for i in items)
    return subtotal * (1 + tax)


class Config:
    rate: float
    name: str


def only_in_the_answer(x):
    return x
`;
const SHAPES = `def area(w, h):\n    width = w\n    height = h\n    return width * height\n`;
const MAIN = `from util import compute_total, Config


def local_helper(a, b):
    return a + b


${'# filler\n'.repeat(60)}
def checkout(cart, cfg: Config):
    total = compute_total(cart.items, cfg.rate)
    shipped = only_in_the_answer(total)
    return shipped
`;

function corpus(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-editor-rows-'));
  const rows = [
    ['app/util.py', UTIL],
    ['app/shapes.py', SHAPES],
    ['app/main.py', MAIN],
  ].map(([path, text]) => {
    const sha = createHash('sha256').update(text).digest('hex');
    mkdirSync(join(dir, 'files', sha.slice(0, 2)), { recursive: true });
    writeFileSync(join(dir, 'files', sha.slice(0, 2), sha), text);
    return JSON.stringify({ path, sha256: sha, lang: 'python', package: 'app', heldout: false });
  });
  writeFileSync(join(dir, 'manifest.jsonl'), rows.join('\n') + '\n');
  return dir;
}

test('context pieces of a training row are the definitions the editor would look up, and similar code', { skip: !python && 'no python3 with numpy' }, () => {
  const dir = corpus();
  const script = `
import sys, json, argparse
sys.path.insert(0, ${JSON.stringify(TRAIN_DIR)})
import numpy as np
from editor_rows import EditorRows
class Enc:
    def encode(self, s, allow_special=False): return list(s.encode())
er = EditorRows(${JSON.stringify(dir)}, Enc(), {}, argparse.Namespace())
main = [i for i, d in enumerate(er.docs) if d["path"].endswith("main.py")][0]
text = er.text(main)
line = text.index("    shipped = ")
cursor = line + len("    shipped = ")
resume = text.index("\\n", cursor)  # the answer is the rest of the line
lines = text.split("\\n")
first = text.count("\\n", 0, text.index("def checkout"))  # the prompt shows from def checkout on
defs, similar = er.relevant_pieces(main, np.random.default_rng(0), text, cursor, resume, (first, len(lines)))
print(json.dumps({"defs": defs, "similar": similar}))
`;
  const r = spawnSync(python!, ['-c', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const { defs, similar } = JSON.parse(r.stdout) as { defs: string[]; similar: string[] };
  const sep = '<|file_sep|>';
  assert.ok(defs.includes(`${sep}app/util.py\ndef compute_total(items, tax):\n`), `a function is its signature: ${JSON.stringify(defs)}`);
  assert.ok(defs.includes(`${sep}app/util.py\nclass Config:\n    rate: float\n    name: str\n`), 'a small type is whole');
  assert.ok(defs.every((d) => !d.includes('only_in_the_answer')), 'the answer is not in the document, so its names are not looked up');
  assert.ok(defs.every((d) => !d.includes('def checkout')), 'the current file’s visible lines are not repeated');
  assert.equal(defs.indexOf(`${sep}app/util.py\ndef compute_total(items, tax):\n`) < defs.indexOf(`${sep}app/util.py\nclass Config:\n    rate: float\n    name: str\n`), true, 'nearest identifiers first');
  assert.equal(similar.length, 1);
  assert.ok(similar[0].startsWith(`${sep}app/util.py\n`), 'the sibling sharing the most identifiers with the lines above the cursor');
});
