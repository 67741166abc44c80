/**
 * The training scripts' checks before any training time is spent (models/train/preflight.py):
 * a checkpoint from another preset, shape flags that would change it, a tokenizer whose special
 * tokens differ from lathe.json or from the checkpoint, token streams from another tokenizer or
 * manifest, a corpus file whose sha256 disagrees with the manifest. Each stops with a message that
 * names the file and says what to do. preflight.py needs only Python's standard library.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const TRAIN_DIR = resolve('models/train');
const python = ['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['-c', 'import json'], { encoding: 'utf8' }).status === 0);

/** Runs `code` after `from preflight import *` with `dir` as a scratch folder; the message it exits with. */
function preflight(code: string, dir: string): { status: number | null; message: string } {
  const script = `import sys\nsys.path.insert(0, ${JSON.stringify(TRAIN_DIR)})\nfrom preflight import *\nD = ${JSON.stringify(dir)}\n${code}\nprint("passed")\n`;
  const r = spawnSync(python!, ['-c', script], { encoding: 'utf8' });
  return { status: r.status, message: `${r.stderr}${r.stdout}`.trim() };
}

const CPU = { d: 256, layers: 6, heads: 4, kv_heads: 2, ffn: 704, ctx: 384 };
const PRESETS = `{"cpu": ${JSON.stringify(CPU)}, "cpu2": ${JSON.stringify({ ...CPU, ctx: 1024 })}, "cuda": {"d": 768, "layers": 12, "heads": 12, "kv_heads": 4, "ffn": 2048, "ctx": 1024}}`;

test('a checkpoint of another preset, or a flag that changes its shape, stops before training', { skip: !python && 'no python3' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-preflight-'));
  const cuda = preflight(`check_preset("ckpt/cuda/latest.pt", {"preset": "cuda", "d": 768, "layers": 12, "heads": 12, "kv_heads": 4, "ffn": 2048}, "cpu2", ${PRESETS}, {})`, dir);
  assert.equal(cuda.status, 1);
  assert.match(cuda.message, /^ckpt\/cuda\/latest\.pt was trained with preset 'cuda' \(d 768 vs 256, layers 12 vs 6, heads 12 vs 4, kv_heads 4 vs 2, ffn 2048 vs 704\); --preset cpu2 cannot resume it\. Use another --ckpt-dir/);
  const shape = preflight(`check_preset("ckpt/v2/latest.pt", {"preset": "cpu2", **${JSON.stringify(CPU)}}, None, ${PRESETS}, {"layers": 8})`, dir);
  assert.match(shape.message, /^ckpt\/v2\/latest\.pt has layers 6; --layers 8 would change the model's shape/);
  // A v1 checkpoint records no preset: matched by its shapes, and the cpu2 run may start from its weights.
  assert.equal(preflight(`check_preset("resume/ckpt.pt", ${JSON.stringify(CPU)}, "cpu", ${PRESETS}, {})`, dir).message, 'passed');
});

test('special tokens that differ from lathe.json or from the checkpoint stop before training', { skip: !python && 'no python3' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-preflight-'));
  writeFileSync(join(dir, 'lathe.json'), JSON.stringify({ fim_prefix_token: '<|fim_prefix|>', fim_middle_token: '<|fim_middle|>', eos_token: '<|endoftext|>' }));
  const missing = preflight(`check_special_tokens({"<|fim_prefix|>": 1, "<|endoftext|>": 0}, D + "/lathe.json")`, dir);
  assert.equal(missing.status, 1);
  assert.match(missing.message, /the tokenizer lacks special tokens that .*lathe\.json declares: fim_middle_token = '<\|fim_middle\|>'/);
  const ids = preflight(`check_special_tokens({"<|fim_prefix|>": 1, "<|fim_middle|>": 2, "<|endoftext|>": 0}, D + "/lathe.json", {"<|fim_middle|>": 3})`, dir);
  assert.match(ids.message, /special token ids differ from the checkpoint's: <\|fim_middle\|>: checkpoint 3 vs tokenizer 2/);
});

test('token streams from another tokenizer or manifest, and a corpus file changed on disk, are named', { skip: !python && 'no python3' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-preflight-'));
  const data = join(dir, 'data');
  mkdirSync(data);
  writeFileSync(join(dir, 'tokenizer.json'), '{"model": {}}');
  writeFileSync(join(dir, 'manifest.jsonl.gz'), 'manifest');
  const none = preflight(`check_data(D + "/data", D + "/tokenizer.json")`, dir);
  assert.match(none.message, /data\/train\.bin or meta\.json not found: build the token streams with models\/train\/corpus\.py and models\/train\/data\.py/);
  writeFileSync(join(data, 'train.bin'), '');
  writeFileSync(join(data, 'meta.json'), JSON.stringify({ tokenizer_sha256: 'abc', manifest_sha256: 'def' }));
  const tok = preflight(`check_data(D + "/data", D + "/tokenizer.json")`, dir);
  assert.match(tok.message, /meta\.json: the streams were built with tokenizer sha256 abc, but .*tokenizer\.json has [0-9a-f]{64}; rerun models\/train\/data\.py/);
  const man = preflight(`import json\njson.dump({"tokenizer_sha256": sha256_file(D + "/tokenizer.json"), "manifest_sha256": "def"}, open(D + "/data/meta.json", "w"))\ncheck_data(D + "/data", D + "/tokenizer.json", D + "/manifest.jsonl.gz")`, dir);
  assert.match(man.message, /built from a corpus manifest with sha256 def, but .*manifest\.jsonl\.gz has [0-9a-f]{64}; rerun models\/train\/data\.py/);

  const sha = 'a'.repeat(64);
  mkdirSync(join(dir, 'corpus', 'files', 'aa'), { recursive: true });
  writeFileSync(join(dir, 'corpus', 'files', 'aa', sha), 'edited on disk');
  const row = { sha256: sha, path: '/usr/share/gocode/src/x/y.go', package: 'golang-x-dev', version: '1.0' };
  const corpus = preflight(`verify_corpus(D + "/corpus", [${JSON.stringify(row)}])`, dir);
  assert.equal(corpus.status, 1);
  assert.match(corpus.message, /sha256 [0-9a-f]{64} disagrees with the manifest \(a{64}, \/usr\/share\/gocode\/src\/x\/y\.go, package golang-x-dev 1\.0\); rerun models\/train\/corpus\.py/);
});
