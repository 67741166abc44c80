// Greedy decoding with onnxruntime-node over a list of prompts (token ids), KV cache, batch 1.
//   node models/train/onnx_eval.mjs <model-dir> <onnx-file> <request.json> <result.json>
// request: {items: [{ids}], max_new, eos: [ids]}; result: {results: [{ids, first_logits}], ms_per_token, first_step_ms}
import fs from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';

const [dir, file, reqPath, outPath] = process.argv.slice(2);
const cfg = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
const req = JSON.parse(fs.readFileSync(reqPath, 'utf8'));
const L = cfg.num_hidden_layers, kvh = cfg.num_key_value_heads ?? cfg.num_attention_heads;
const hd = cfg.head_dim ?? cfg.hidden_size / cfg.num_attention_heads, V = cfg.vocab_size;
const sess = await ort.InferenceSession.create(path.join(dir, 'onnx', file), {
  intraOpNumThreads: 2, interOpNumThreads: 1,
  // spinning intra-op threads are ~1.7x slower on a shared, oversubscribed CPU (measured: 22 vs 13 ms/token int8)
  extra: { session: { intra_op: { allow_spinning: '0' } } },
});
const hasPos = sess.inputNames.includes('position_ids');
const hasKeep = sess.inputNames.includes('num_logits_to_keep');
const i64 = (arr, dims) => new ort.Tensor('int64', BigInt64Array.from(arr.map(BigInt)), dims);
const eos = new Set(req.eos);
const results = [];
let stepMs = 0, steps = 0, firstMs = 0;
for (const item of req.items) {
  let past = null, total = 0, cur = item.ids;
  const ids = [];
  let firstLogits = null;
  for (let t = 0; t < req.max_new; t++) {
    const s = cur.length;
    const feeds = { input_ids: i64(cur, [1, s]), attention_mask: i64(Array(total + s).fill(1), [1, total + s]) };
    if (hasPos) feeds.position_ids = i64(cur.map((_, j) => total + j), [1, s]);
    if (hasKeep) feeds.num_logits_to_keep = new ort.Tensor('int64', BigInt64Array.of(1n), []);
    for (let i = 0; i < L; i++) for (const kv of ['key', 'value']) {
      feeds[`past_key_values.${i}.${kv}`] = past ? past[`present.${i}.${kv}`]
        : new ort.Tensor('float32', new Float32Array(0), [1, kvh, 0, hd]);
    }
    const t0 = performance.now();
    const out = await sess.run(feeds);
    const dt = performance.now() - t0;
    if (t === 0) firstMs += dt; else { stepMs += dt; steps++; }
    const rows = out.logits.dims[1];
    const row = out.logits.data.subarray((rows - 1) * V, rows * V);
    if (!firstLogits) firstLogits = Array.from(row);
    let best = 0; for (let i = 1; i < V; i++) if (row[i] > row[best]) best = i;
    ids.push(best);
    total += s; past = out; cur = [best];
    if (eos.has(best)) break;
  }
  results.push({ ids, first_logits: firstLogits });
}
fs.writeFileSync(outPath, JSON.stringify({
  results, ms_per_token: +(stepMs / Math.max(1, steps)).toFixed(3), first_step_ms: +(firstMs / req.items.length).toFixed(2),
}));
console.log(`${file}: ${req.items.length} prompts, ${(stepMs / Math.max(1, steps)).toFixed(2)} ms/token, first step ${(firstMs / req.items.length).toFixed(1)} ms`);
