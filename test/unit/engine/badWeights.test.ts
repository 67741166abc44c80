import assert from 'node:assert/strict';
import { readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { DecoderModel } from '../../../extension/core/engine/worker/decoderModel';
import { EngineError, type EngineErrorCode } from '../../../extension/core/engine/shared/errors';
import type { DtypeChoice } from '../../../extension/core/models/onnxFiles';
import { copyModel, testLogger, TINY_QWEN } from './helpers';
import { ONNX_FLOAT, ONNX_FLOAT16, setValueTypes } from './onnxPatch';

/** Weight files that are broken in the ways real downloads and exports are: each load fails with a typed error naming the file and the problem. */
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function broken(edit: (onnxDir: string) => void): string {
  const { dir, cleanup } = copyModel(TINY_QWEN);
  cleanups.push(cleanup);
  edit(join(dir, 'onnx'));
  return dir;
}

function patch(file: string, edit: (bytes: Buffer) => void): void {
  const bytes = readFileSync(file);
  edit(bytes);
  writeFileSync(file, bytes);
}

async function loadFails(dir: string, dtype: DtypeChoice, code: EngineErrorCode, file: string, problem: RegExp): Promise<void> {
  await assert.rejects(DecoderModel.load({ modelDir: dir, dtype, threads: 1 }, testLogger()), (err: unknown) => {
    assert.ok(err instanceof EngineError, `expected an EngineError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.ok(err.file?.endsWith(file), `error should name ${file}: ${err.file}`);
    assert.ok(err.message.includes(file), `message should name ${file}: ${err.message}`);
    assert.match(err.message, problem);
    return true;
  });
}

describe('broken weight files', () => {
  it('missing external data is a missing-file error naming the data file and its graph', async () => {
    const dir = broken((d) => rmSync(join(d, 'model.onnx_data')));
    await loadFails(dir, 'fp32', 'missing-file', 'model.onnx_data', /is missing: model\.onnx keeps its weights there/);
  });

  it('truncated external data is an invalid-file error saying how many bytes are missing', async () => {
    const dir = broken((d) => truncateSync(join(d, 'model.onnx_data'), 100_000));
    await loadFails(dir, 'fp32', 'invalid-file', 'model.onnx_data', /truncated: it has 100000 bytes but model\.onnx reads up to byte \d+/);
  });

  it('a MatMulNBits graph on a runtime without that contrib op is an unsupported-op error', async () => {
    // A runtime built without com.microsoft ops rejects MatMulNBits exactly as this one rejects an
    // operator it has never heard of: "com.microsoft:<op>(-1) is not a registered function/op".
    const dir = broken((d) => patch(join(d, 'model_q4.onnx'), (b) => b.set(Buffer.from(b.toString('latin1').replaceAll('MatMulNBits', 'MatMulNBitz'), 'latin1'))));
    await loadFails(dir, 'q4', 'unsupported-op', 'model_q4.onnx', /contrib operator com\.microsoft:MatMulNBitz, which this onnxruntime build does not provide/);
  });

  it('an fp16 model whose KV inputs are declared float32 (or the reverse) is a model-mismatch', async () => {
    const fp32Inputs = broken((d) => patch(join(d, 'model_fp16.onnx'), (b) => assert.equal(setValueTypes(b, /past_key_values\.\d+\.(key|value)/, ONNX_FLOAT), 4)));
    await loadFails(fp32Inputs, 'fp16', 'model-mismatch', 'model_fp16.onnx', /'past_key_values\.0\.key' is float32 but 'present\.0\.key' is float16/);
    const fp16Inputs = broken((d) => patch(join(d, 'model_q4.onnx'), (b) => assert.equal(setValueTypes(b, /past_key_values\.\d+\.(key|value)/, ONNX_FLOAT16), 4)));
    await loadFails(fp16Inputs, 'q4', 'model-mismatch', 'model_q4.onnx', /'past_key_values\.0\.key' is float16 but 'present\.0\.key' is float32/);
  });

  it('an fp16 model whose KV inputs and outputs are both declared float32 is a model-mismatch naming the weights type', async () => {
    const dir = broken((d) => patch(join(d, 'model_fp16.onnx'), (b) => assert.equal(setValueTypes(b, /(past_key_values|present)\.\d+\.(key|value)/, ONNX_FLOAT), 8)));
    await loadFails(dir, 'fp16', 'model-mismatch', 'model_fp16.onnx', /its weights are float16 but its KV inputs \(e\.g\. 'past_key_values\.0\.key'\) are declared float32/);
  });

  it('a config.json vocabulary that disagrees with the logits is a model-mismatch naming both files', async () => {
    const dir = broken((d) => {
      const config = join(d, '..', 'config.json');
      writeFileSync(config, JSON.stringify({ ...JSON.parse(readFileSync(config, 'utf8')), vocab_size: 400 }));
    });
    await loadFails(dir, 'q4', 'model-mismatch', 'model_q4.onnx', /config\.json: 'logits' has 320 columns but config\.json says vocab_size=400/);
  });
});
