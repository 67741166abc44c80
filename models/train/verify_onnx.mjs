// Verify an engine-contract model folder with the same npm packages the extension uses.
//   node models/train/verify_onnx.mjs <model-dir> [onnx-file-name] [--encode-json out.json]
// Checks: tokenizer loads and round-trips code (indentation, unicode, special tokens);
// onnxruntime-node runs a first step with zero-length past and a second step with past;
// shapes follow the contract; cached step logits equal a full forward pass (1e-4).
import fs from 'node:fs';
import path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import ort from 'onnxruntime-node';

const dir = process.argv[2];
const onnxName = process.argv[3] && !process.argv[3].startsWith('--') ? process.argv[3] : 'model.onnx';
const encIdx = process.argv.indexOf('--encode-json');
// dynamically quantized graphs (DynamicQuantizeLinear) quantize activations per call, so cached and
// full passes differ slightly; allow a looser tolerance for them
const tol = /int8|quant|q4|uint8/.test(onnxName) ? 0.1 : 1e-4;
const fail = (m) => { console.error('FAIL', m); process.exit(1); };
const assert = (c, m) => { if (!c) fail(m); };

const cfg = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
const gen = JSON.parse(fs.readFileSync(path.join(dir, 'generation_config.json'), 'utf8'));
const tj = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'));
const tc = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer_config.json'), 'utf8'));
assert(cfg.model_type === 'llama', 'model_type');
assert(Array.isArray(gen.eos_token_id) || Number.isInteger(gen.eos_token_id), 'eos_token_id');
const tok = new Tokenizer(tj, tc);

const samples = [
  'def f(x):\n    return x',
  'class A:\n    def m(self):\n        if self.x:\n            return {"k": [1, 2, 3]}\n\n\n',
  'export const f = (a: number): string => `${a}`;\n\tindent\t\ttabs\r\n',
  '// unicode: héllo wörld — 漢字 😀 ∑ λx → y\nconst s = "naïve café";\n',
  '<|fim_prefix|>def add(a, b):\n    <|fim_suffix|>\n<|fim_middle|>return a + b<|endoftext|><|file_sep|>x.py\n',
  '    \n        \n  trailing   ',
  'func main() {\n\tfmt.Println("hi")\n}\n',
];
const encodings = {};
for (const s of samples) {
  const e = tok.encode(s);
  const d = tok.decode(e.ids);
  assert(d === s, `round-trip failed for ${JSON.stringify(s)} -> ${JSON.stringify(d)}`);
  encodings[s] = e.ids;
}
for (const sp of ['<|endoftext|>', '<|fim_prefix|>', '<|fim_middle|>', '<|fim_suffix|>', '<|file_sep|>']) {
  const ids = tok.encode(sp).ids;
  assert(ids.length === 1, `special token ${sp} not a single id: ${ids}`);
}
const spaces = tok.encode('\n        return').ids;
console.log(`tokenizer ok: vocab ${tok.get_vocab(true).size}, '\\n        return' -> ${spaces.length} tokens`);
if (encIdx > 0) fs.writeFileSync(process.argv[encIdx + 1], JSON.stringify(encodings));

const L = cfg.num_hidden_layers;
const kvh = cfg.num_key_value_heads ?? cfg.num_attention_heads;
const hd = cfg.head_dim ?? cfg.hidden_size / cfg.num_attention_heads;
const V = cfg.vocab_size;
const sess = await ort.InferenceSession.create(path.join(dir, 'onnx', onnxName), { intraOpNumThreads: 2 });
const hasPos = sess.inputNames.includes('position_ids');
const hasKeep = sess.inputNames.includes('num_logits_to_keep');
console.log(`inputs: ${sess.inputNames.join(', ')}`);
assert(sess.outputNames[0] === 'logits', 'first output logits');
for (let i = 0; i < L; i++) for (const kv of ['key', 'value']) {
  assert(sess.inputNames.includes(`past_key_values.${i}.${kv}`), `missing past ${i} ${kv}`);
  assert(sess.outputNames.includes(`present.${i}.${kv}`), `missing present ${i} ${kv}`);
}
const i64 = (arr, dims) => new ort.Tensor('int64', BigInt64Array.from(arr.map(BigInt)), dims);
async function step(ids, past, pastLen, keep) {
  const b = 1, s = ids.length;
  const feeds = { input_ids: i64(ids, [b, s]), attention_mask: i64(Array(pastLen + s).fill(1), [b, pastLen + s]) };
  if (hasPos) feeds.position_ids = i64(ids.map((_, j) => pastLen + j), [b, s]);
  if (hasKeep) feeds.num_logits_to_keep = i64([keep], []);
  for (let i = 0; i < L; i++) for (const kv of ['key', 'value']) {
    feeds[`past_key_values.${i}.${kv}`] = past ? past[`present.${i}.${kv}`]
      : new ort.Tensor('float32', new Float32Array(0), [b, kvh, 0, hd]);
  }
  return sess.run(feeds);
}
const prompt = encodings[samples[0]];
const s = prompt.length;
const t0 = performance.now();
const r1 = await step(prompt, null, 0, 0);
assert(JSON.stringify(r1.logits.dims) === JSON.stringify([1, s, V]), `logits dims ${r1.logits.dims}`);
assert(JSON.stringify(r1['present.0.key'].dims) === JSON.stringify([1, kvh, s, hd]), `present dims ${r1['present.0.key'].dims}`);
const lastRow = (t) => { const n = t.dims[1]; return t.data.slice((n - 1) * V, n * V); };
const argmax = (a) => a.reduce((bi, v, i) => (v > a[bi] ? i : bi), 0);
const next = argmax(lastRow(r1.logits));
const r2 = await step([next], r1, s, 0);
assert(JSON.stringify(r2.logits.dims) === JSON.stringify([1, 1, V]), `step2 logits dims ${r2.logits.dims}`);
assert(JSON.stringify(r2['present.0.key'].dims) === JSON.stringify([1, kvh, s + 1, hd]), `step2 present dims`);
const full = await step([...prompt, next], null, 0, 0);
const a = lastRow(full.logits), c = lastRow(r2.logits);
let err = 0; for (let i = 0; i < V; i++) err = Math.max(err, Math.abs(a[i] - c[i]));
assert(err < tol, `cached vs full logits differ by ${err}`);
if (hasKeep) {
  const rk = await step(prompt, null, 0, 1);
  assert(JSON.stringify(rk.logits.dims) === JSON.stringify([1, 1, V]), `keep=1 logits dims ${rk.logits.dims}`);
  let e2 = 0; const lr = lastRow(r1.logits);
  for (let i = 0; i < V; i++) e2 = Math.max(e2, Math.abs(lr[i] - rk.logits.data[i]));
  assert(e2 < tol, `keep=1 logits differ ${e2}`);
}
console.log(`onnx ok (${onnxName}): step1 logits ${r1.logits.dims}, step2 logits ${r2.logits.dims}, ` +
  `present ${r2['present.0.key'].dims}, cached-vs-full max err ${err.toExponential(2)}, ` +
  `${(performance.now() - t0).toFixed(0)} ms`);
