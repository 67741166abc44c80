import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DatasetModel } from '../../../extension/core/curation/document/model';
import { loadSidecar, saveSidecar, sidecarPath } from '../../../extension/core/curation/document/sidecar';
import { atomicWrite } from '../../../extension/core/common/fs/atomicWrite';
import { readLines, splitLines, type RawLine } from '../../../extension/core/curation/jsonl/lines';

/** A file with every awkward line: CRLF, invalid UTF-8, not JSON, blank, BOM, no final newline. */
const AWKWARD = Buffer.concat([
  Buffer.from('\ufeff{"prompt":"a","completion":"b"}\r\n'),
  Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x0a]),
  Buffer.from('not json {\n'),
  Buffer.from('\n'),
  Buffer.from('   \t\n'),
  Buffer.from('{"prompt":"c","completion":"d"}'),
]);

async function collect(path: string, chunkSize: number): Promise<RawLine[]> {
  const out: RawLine[] = [];
  for await (const l of readLines(path, { chunkSize })) out.push(l);
  return out;
}

const bytesOf = (gen: Iterable<Buffer>) => Buffer.concat([...gen]);

test('the line reader gives the same lines at every chunk size, and they rebuild the file exactly', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'lathe-doc-')), 'a.jsonl');
  writeFileSync(file, AWKWARD);
  const reference = splitLines(AWKWARD);
  assert.equal(reference.length, 6);
  assert.deepEqual(reference.map((l) => l.eol), ['\r\n', '\n', '\n', '\n', '\n', '']);
  for (const size of [1, 2, 3, 7, 64, 1 << 20]) {
    const lines = await collect(file, size);
    assert.deepEqual(lines.map((l) => [l.index, l.bytes.toString('hex'), l.eol]), reference.map((l) => [l.index, l.bytes.toString('hex'), l.eol]), `chunk ${size}`);
  }
  assert.ok(bytesOf(new DatasetModel(reference).serialize()).equals(AWKWARD));
});

test('editing one row keeps every other line byte for byte, invalid lines in place', () => {
  const model = new DatasetModel(splitLines(AWKWARD));
  model.apply(model.replacement(model.lineAt(0).id, '{"prompt":"A","completion":"B"}'));
  const expected = Buffer.concat([Buffer.from('{"prompt":"A","completion":"B"}\r\n'), AWKWARD.subarray(AWKWARD.indexOf(0x0a) + 1)]);
  assert.ok(bytesOf(model.serialize()).equals(expected));
  assert.ok(model.linesChanged);
});

test('delete and undo restore the same lines in the same places; redo deletes again', () => {
  const model = new DatasetModel(splitLines(AWKWARD));
  const ids = [model.lineAt(1).id, model.lineAt(3).id, model.lineAt(5).id];
  const del = { kind: 'delete' as const, ids };
  const undo = model.apply(del);
  assert.equal(model.lineCount, 3);
  // The former second-to-last line is now last; it keeps its newline and the output stays line-separated.
  assert.equal(bytesOf(model.serialize()).toString('latin1').split('\n').length, 4);
  model.apply(undo);
  assert.ok(bytesOf(model.serialize()).equals(AWKWARD));
  assert.ok(!model.linesChanged);
  model.apply(del);
  assert.equal(model.lineCount, 3);
});

test('a batch edit undoes as one step, in reverse order', () => {
  const model = new DatasetModel(splitLines(Buffer.from('{"a":1}\n{"a":2}\n')));
  const [a, b] = model.allLines();
  const undo = model.apply({ kind: 'batch', edits: [model.replacement(a.id, '{"a":10}'), model.replacement(b.id, '{"a":20}'), { kind: 'delete', ids: [a.id] }] });
  assert.equal(bytesOf(model.serialize()).toString(), '{"a":20}\n');
  model.apply(undo);
  assert.equal(bytesOf(model.serialize()).toString(), '{"a":1}\n{"a":2}\n');
});

test('appended rows go after a last line that had no newline', () => {
  const model = new DatasetModel(splitLines(Buffer.from('{"a":1}')));
  model.apply(model.appendition(['{"a":2}']));
  assert.equal(bytesOf(model.serialize()).toString(), '{"a":1}\n{"a":2}\n');
});

test('tags and ratings go to the sidecar by row content, not into the rows', async () => {
  const d = mkdtempSync(join(tmpdir(), 'lathe-meta-'));
  const file = join(d, 'data.jsonl');
  writeFileSync(file, '{"a":1}\n{"a":2}\n');
  const model = new DatasetModel(splitLines(readFileSync(file)));
  const undo = model.apply({ kind: 'meta', id: model.lineAt(1).id, meta: { tags: ['math'], rating: 4 } });
  assert.equal(await saveSidecar(file, model, false), true);
  await atomicWrite(file, model.serialize());
  assert.equal(readFileSync(file, 'utf8'), '{"a":1}\n{"a":2}\n', 'rows unchanged');
  // Reordered on disk by someone else: the meta follows the row.
  writeFileSync(file, '{"a":2}\n{"a":1}\n');
  const reopened = new DatasetModel(splitLines(readFileSync(file)));
  assert.equal(await loadSidecar(file, reopened), 1);
  assert.deepEqual(reopened.metaOf(reopened.lineAt(0).id), { tags: ['math'], rating: 4 });
  model.apply(undo);
  assert.deepEqual(model.metaOf(model.lineAt(1).id), { tags: [], rating: 0 });
  assert.ok(readFileSync(sidecarPath(file), 'utf8').includes('"math"'));
});
