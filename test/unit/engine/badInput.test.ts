import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { DecoderModel } from '../../../extension/core/engine/worker/decoderModel';
import { createEngine } from '../../../extension/core/engine/client/engine';
import { EngineError, type EngineErrorCode } from '../../../extension/core/engine/shared/errors';
import { ModelFolderError } from '../../../extension/core/models/errors';
import { readModelFolder } from '../../../extension/core/models/folder';
import type { DtypeChoice } from '../../../extension/core/models/onnxFiles';
import { copyModel, loadRunner, run, testLogger, TINY, WORKER_TS } from './helpers';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function broken(edit: (dir: string) => void): string {
  const { dir, cleanup } = copyModel(TINY);
  cleanups.push(cleanup);
  edit(dir);
  return dir;
}

function editJson(file: string, change: (doc: Record<string, unknown>) => void): void {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  change(doc);
  writeFileSync(file, JSON.stringify(doc));
}

async function loadFails(dir: string, code: EngineErrorCode, file: string, problem: RegExp, dtype: DtypeChoice = 'auto'): Promise<void> {
  await assert.rejects(DecoderModel.load({ modelDir: dir, dtype, threads: 1 }, testLogger()), (err: unknown) => {
    assert.ok(err instanceof EngineError, `expected an EngineError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.ok(err.file?.endsWith(file), `error should name ${file}: ${err.file}`);
    assert.ok(err.message.includes(file), `message should name ${file}: ${err.message}`);
    assert.match(err.message, problem);
    return true;
  });
}

describe('bad model folders', () => {
  it('a missing config.json, tokenizer.json or onnx/ is a missing-file error naming it', async () => {
    await loadFails(broken((d) => rmSync(join(d, 'config.json'))), 'missing-file', 'config.json', /missing/);
    await loadFails(broken((d) => rmSync(join(d, 'tokenizer.json'))), 'missing-file', 'tokenizer.json', /missing/);
    await loadFails(broken((d) => rmSync(join(d, 'onnx'), { recursive: true })), 'missing-file', 'onnx', /no onnx\/ directory/);
    await loadFails(broken(() => undefined), 'missing-file', 'onnx', /model_q4\.onnx/, 'q4');
  });

  it('a corrupt or truncated .onnx is an invalid-file error naming the graph', async () => {
    await loadFails(broken((d) => writeFileSync(join(d, 'onnx', 'model.onnx'), 'this is not a protobuf')), 'invalid-file', 'model.onnx', /onnxruntime cannot load/);
    const truncate = (d: string) => {
      const f = join(d, 'onnx', 'model.onnx');
      writeFileSync(f, readFileSync(f).subarray(0, 5000));
    };
    await loadFails(broken(truncate), 'invalid-file', 'model.onnx', /onnxruntime cannot load/);
  });

  it('a config whose layer count disagrees with the graph is a model-mismatch', async () => {
    const dir = broken((d) => editJson(join(d, 'config.json'), (c) => (c.num_hidden_layers = 3)));
    await loadFails(dir, 'model-mismatch', 'model.onnx', /num_hidden_layers=3 but the graph has 2 layers/);
  });

  it('a graph without a KV input is a model-mismatch naming the input', async () => {
    const dir = broken((d) => {
      const f = join(d, 'onnx', 'model.onnx');
      const bytes = readFileSync(f).toString('latin1').split('past_key_values.1.value').join('past_key_values.1.valuX');
      writeFileSync(f, Buffer.from(bytes, 'latin1'));
    });
    await loadFails(dir, 'model-mismatch', 'model.onnx', /missing KV input 'past_key_values\.1\.value'/);
  });

  it('KV head count or head size that disagrees with config.json is a model-mismatch', async () => {
    await loadFails(broken((d) => editJson(join(d, 'config.json'), (c) => (c.num_key_value_heads = 4))), 'model-mismatch', 'model.onnx', /2 KV heads but config\.json implies 4/);
    await loadFails(broken((d) => editJson(join(d, 'config.json'), (c) => (c.head_dim = 8))), 'model-mismatch', 'model.onnx', /head size 16/);
  });

  it('a tokenizer.json that fails to parse is an invalid-file error naming it', async () => {
    await loadFails(broken((d) => writeFileSync(join(d, 'tokenizer.json'), '{"version": "1.0", "model": ')), 'invalid-file', 'tokenizer.json', /not valid JSON/);
    const badModel = broken((d) => editJson(join(d, 'tokenizer.json'), (t) => (t.model = { type: 'NoSuchModel' })));
    assert.throws(() => readModelFolder(badModel).tokenizer(), (err: unknown) => err instanceof ModelFolderError && err.code === 'invalid-file' && /tokenizer\.json/.test(err.message));
  });

  it('a config.json that is not JSON or lacks sizes is an invalid-file error naming it', async () => {
    await loadFails(broken((d) => writeFileSync(join(d, 'config.json'), 'num_hidden_layers: 2')), 'invalid-file', 'config.json', /not valid JSON/);
    await loadFails(broken((d) => editJson(join(d, 'config.json'), (c) => delete c.num_hidden_layers)), 'invalid-file', 'config.json', /num_hidden_layers/);
  });

  it('a prompt longer than the context window is a context-overflow error naming config.json', async () => {
    const runner = await loadRunner(TINY);
    try {
      const long = 'def f(x):\n    return x\n'.repeat(200);
      await assert.rejects(run(runner, { prompt: long, maxTokens: 4 }), (err: unknown) => {
        assert.ok(err instanceof EngineError);
        assert.equal(err.code, 'context-overflow');
        assert.match(err.message, /context window is 512 tokens/);
        assert.ok(err.file?.endsWith('config.json'));
        return true;
      });
      // The runner stays usable.
      assert.equal((await run(runner, { prompt: 'x', maxTokens: 2 })).completionTokens, 2);
    } finally {
      await runner.model.dispose();
    }
  });

  it('errors cross the worker boundary typed, and the engine reports the error state', async () => {
    const dir = broken((d) => editJson(join(d, 'config.json'), (c) => (c.num_hidden_layers = 5)));
    const engine = createEngine({ modelDir: dir, logger: testLogger(), threads: 1, workerPath: WORKER_TS });
    const states: string[] = [];
    engine.onStateChange((s) => states.push(s.kind === 'error' ? `error: ${s.message}` : s.kind));
    try {
      await assert.rejects(engine.generate({ prompt: 'x', maxTokens: 2 }), (err: unknown) => err instanceof EngineError && err.code === 'model-mismatch' && err.file!.endsWith('model.onnx'));
      assert.equal(states[0], 'loading');
      assert.match(states[1], /^error: .*num_hidden_layers=5/);
      assert.equal(engine.state.kind, 'error');
    } finally {
      engine.dispose();
    }
  });
});
