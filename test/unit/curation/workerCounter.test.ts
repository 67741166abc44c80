import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DatasetSession } from '../../../extension/core/curation/document/session';
import { WorkerTokenCounter } from '../../../extension/core/curation/document/workerCounter';
import { splitLines } from '../../../extension/core/curation/jsonl/lines';
import { modelTokenCounter } from '../../../extension/core/curation/lint/modelCounter';

const MODEL = join(__dirname, '..', '..', 'fixtures', 'models', 'tiny-llama');
const SCRIPT = join(__dirname, '..', '..', '..', 'extension', 'core', 'curation', 'document', 'tokenWorker.ts');
const SUPPORT = join(__dirname, '..', '..', 'fixtures', 'workspace', 'data', 'support-chat.jsonl');
const worker = new WorkerTokenCounter(SCRIPT, MODEL, 'tiny-llama');
after(() => worker.dispose());

test('the worker counts exactly what the tokenizer counts in this thread', async () => {
  const local = modelTokenCounter(MODEL);
  const texts = ['Hello, world!', '', 'def add(a, b):\n    return a + b', 'ünïcödé 🙂'];
  assert.deepEqual(await worker.countMany(texts), texts.map((t) => local.count(t)));
  assert.deepEqual(await worker.countMany([]), []);
});

test('a session counts the dataset through the worker with the same results', async () => {
  const lines = splitLines(readFileSync(SUPPORT));
  const inThread = new DatasetSession(lines, { counter: modelTokenCounter(MODEL), maxTokens: 4096 });
  const viaWorker = new DatasetSession(lines, { counter: modelTokenCounter(MODEL), maxTokens: 4096, batchCounter: worker });
  await inThread.analyze();
  await viaWorker.analyze();
  assert.deepEqual(viaWorker.summary('x').tokens, inThread.summary('x').tokens);
  assert.ok(viaWorker.summary('x').tokens!.min > 0);
});

test('after dispose, requests fail instead of hanging', async () => {
  const w = new WorkerTokenCounter(SCRIPT, MODEL, 'tiny-llama');
  w.dispose();
  await assert.rejects(w.countMany(['x']), /disposed/);
});
