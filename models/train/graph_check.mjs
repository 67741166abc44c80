// Runs one ONNX decoder with onnxruntime-node two ways — the whole sequence in one step, and
// the first half then one token at a time with the KV cache — and writes both logits tables.
//   node models/train/graph_check.mjs <model-dir> <onnx-file> <request.json> <result.json>
// request: {"ids": [...]}; result: {"full": [[...]], "cached": [[...]], "inputs": [...], "ms": {...}}
import fs from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';

const [dir, file, reqPath, outPath] = process.argv.slice(2);
const cfg = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
const { ids } = JSON.parse(fs.readFileSync(reqPath, 'utf8'));
const layers = cfg.num_hidden_layers;
const kvHeads = cfg.num_key_value_heads;
const headDim = cfg.head_dim ?? cfg.hidden_size / cfg.num_attention_heads;
const t0 = performance.now();
const session = await ort.InferenceSession.create(path.join(dir, 'onnx', file), { graphOptimizationLevel: 'all', intraOpNumThreads: 1 });
const loadMs = performance.now() - t0;
const kvType = session.inputMetadata.find((m) => m.name === 'past_key_values.0.key').type;
const toFloat = (t) => {
  if (t.type === 'float32') return Array.from(t.data);
  const out = new Float32Array(t.data.length);
  const v = new DataView(new ArrayBuffer(2));
  for (let i = 0; i < out.length; i++) {
    const h = t.data[i];
    const e = (h >> 10) & 31, m = h & 1023, s = h & 0x8000 ? -1 : 1;
    out[i] = e === 0 ? s * m * 2 ** -24 : e === 31 ? (m ? NaN : s * Infinity) : s * (1 + m / 1024) * 2 ** (e - 15);
  }
  void v;
  return Array.from(out);
};
const empty = () => {
  const past = [];
  for (let i = 0; i < layers * 2; i++) past.push(new ort.Tensor(kvType, kvType === 'float16' ? new Uint16Array(0) : new Float32Array(0), [1, kvHeads, 0, headDim]));
  return past;
};
async function step(tokens, past, pastLen, keepAll) {
  const s = tokens.length, total = pastLen + s;
  const feeds = {
    input_ids: new ort.Tensor('int64', BigInt64Array.from(tokens, BigInt), [1, s]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
  };
  if (session.inputNames.includes('position_ids')) feeds.position_ids = new ort.Tensor('int64', BigInt64Array.from(tokens, (_, i) => BigInt(pastLen + i)), [1, s]);
  if (session.inputNames.includes('num_logits_to_keep')) feeds.num_logits_to_keep = new ort.Tensor('int64', BigInt64Array.of(keepAll ? 0n : 1n), []);
  for (let i = 0; i < layers; i++) {
    feeds[`past_key_values.${i}.key`] = past[2 * i];
    feeds[`past_key_values.${i}.value`] = past[2 * i + 1];
  }
  const out = await session.run(feeds);
  const present = [];
  for (let i = 0; i < layers; i++) present.push(out[`present.${i}.key`], out[`present.${i}.value`]);
  const [, rows, vocab] = out.logits.dims;
  const flat = toFloat(out.logits);
  const table = [];
  for (let r = 0; r < rows; r++) table.push(flat.slice(r * vocab, (r + 1) * vocab));
  return { table, present };
}
const t1 = performance.now();
const full = (await step(ids, empty(), 0, true)).table;
const fullMs = performance.now() - t1;
const half = Math.max(1, ids.length >> 1);
let r = await step(ids.slice(0, half), empty(), 0, true);
const cached = r.table;
const t2 = performance.now();
for (let i = half; i < ids.length; i++) {
  r = await step([ids[i]], r.present, i, false);
  cached.push(r.table[r.table.length - 1]);
}
const tokenMs = (performance.now() - t2) / Math.max(1, ids.length - half);
fs.writeFileSync(outPath, JSON.stringify({ full, cached, inputs: session.inputNames, kvType, logitsType: r.present[0].type, ms: { load: loadMs, full: fullMs, token: tokenMs } }));
await session.release();
