// Check an exported lathe-image-mini folder with the npm packages the extension uses.
//   node models/train/image/verify_onnx.mjs <model-dir> <export_checks.json>
// Tokenizer (@huggingface/tokenizers, CLIP-style padding) gives export.py's ids; each ONNX part
// (onnxruntime-node) matches PyTorch on fixed inputs; a whole guided DDIM run from the same noise gives
// the same image. Timings of the parts are measured too. Results go to lathe.json -> export_checks.
import fs from 'node:fs';
import path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import ort from 'onnxruntime-node';

const [dir, checksPath] = process.argv.slice(2);
if (!dir || !checksPath) {
  console.error('usage: node verify_onnx.mjs <model-dir> <export_checks.json>');
  process.exit(2);
}
const readJson = (p) => JSON.parse(fs.readFileSync(p, 'utf8'));
const ck = readJson(checksPath);
const fail = (m) => { console.error('FAIL', m); process.exit(1); };
const maxDiff = (a, b) => {
  if (a.length !== b.length) fail(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

// tokenizer: [bos, words..., eos] truncated to model_max_length keeping eos, padded with pad_token
const tc = readJson(path.join(dir, 'tokenizer', 'tokenizer_config.json'));
const tok = new Tokenizer(readJson(path.join(dir, 'tokenizer', 'tokenizer.json')), tc);
const padId = tok.token_to_id(tc.pad_token);
const clipIds = (text) => {
  let ids = Array.from(tok.encode(text).ids);
  if (ids.length > tc.model_max_length) ids = [...ids.slice(0, tc.model_max_length - 1), ids[ids.length - 1]];
  while (ids.length < tc.model_max_length) ids.push(padId);
  return ids;
};
const ids = ck.prompts.map(clipIds);
if (JSON.stringify(ids) !== JSON.stringify(ck.input_ids)) fail(`token ids ${JSON.stringify(ids)} vs ${JSON.stringify(ck.input_ids)}`);

const opts = { intraOpNumThreads: 2, interOpNumThreads: 1, extra: { session: { intra_op: { allow_spinning: '0' } } } };
const te = await ort.InferenceSession.create(path.join(dir, 'text_encoder', 'model.onnx'), opts);
const unet = await ort.InferenceSession.create(path.join(dir, 'unet', 'model.onnx'), opts);
const dec = await ort.InferenceSession.create(path.join(dir, 'vae_decoder', 'model.onnx'), opts);
const vcfg = readJson(path.join(dir, 'vae_decoder', 'config.json'));
const ucfg = readJson(path.join(dir, 'unet', 'config.json'));
const C = ucfg.in_channels, L = ucfg.sample_size;
const f32 = (data, dims) => new ort.Tensor('float32', Float32Array.from(data), dims);
const i64 = (rows) => new ort.Tensor('int64', BigInt64Array.from(rows.flat().map(BigInt)), [rows.length, rows[0].length]);

const encode = async (rows) => (await te.run({ input_ids: i64(rows) })).last_hidden_state;
const ehs = await encode(ids);
const res = { text_encoder: maxDiff(ehs.data, ck.last_hidden_state) };
const sample = f32(ck.sample, [2, C, L, L]);
let o = await unet.run({ sample, timestep: f32([ck.timestep], [1]), encoder_hidden_states: ehs });
res.unet = maxDiff(o.out_sample.data, ck.out_sample);
o = await unet.run({ sample, timestep: f32(ck.timestep_batch, [2]), encoder_hidden_states: ehs });
res.unet_timestep_per_image = maxDiff(o.out_sample.data, ck.out_sample_batch);
o = await dec.run({ latent_sample: sample });
res.vae_decoder = maxDiff(o.sample.data, ck.image);

// guided DDIM (eta 0, trailing spacing, set_alpha_to_one false) from the scheduler config
const sc = readJson(path.join(dir, 'scheduler', 'scheduler_config.json'));
const N = sc.num_train_timesteps;
const ac = new Float64Array(N);
let prod = 1;
for (let i = 0; i < N; i++) {
  const beta = sc.beta_start + (sc.beta_end - sc.beta_start) * (N === 1 ? 0 : i / (N - 1));
  prod *= 1 - beta;
  ac[i] = Math.fround(prod);
}
const { steps, guidance } = ck.ddim;
const ts = [];
for (let k = 0; k < steps; k++) ts.push(Math.round(N - (k * N) / steps) - 1);
const n = 2, per = C * L * L;
const unc = await encode([clipIds(''), clipIds('')]);
const ctx = new Float32Array(4 * ehs.dims[1] * ehs.dims[2]);
ctx.set(unc.data, 0);
ctx.set(ehs.data, unc.data.length);
const ctxT = f32(ctx, [4, ehs.dims[1], ehs.dims[2]]);
let z = Float32Array.from(ck.ddim.noise);
let unetMs = 0;
const t0 = performance.now();
for (const t of ts) {
  const zz = new Float32Array(2 * n * per);
  zz.set(z, 0);
  zz.set(z, n * per);
  const s = performance.now();
  const e = (await unet.run({ sample: f32(zz, [2 * n, C, L, L]), timestep: f32([t], [1]), encoder_hidden_states: ctxT })).out_sample.data;
  unetMs += performance.now() - s;
  const aT = ac[t], prev = t - Math.floor(N / steps), aP = prev >= 0 ? ac[prev] : ac[0];
  const nz = new Float32Array(n * per);
  for (let i = 0; i < n * per; i++) {
    const eps = e[i] + guidance * (e[n * per + i] - e[i]);
    const x0 = (z[i] - Math.sqrt(1 - aT) * eps) / Math.sqrt(aT);
    nz[i] = Math.sqrt(aP) * x0 + Math.sqrt(1 - aP) * eps;
  }
  z = nz;
}
const scaled = z.map((v) => v / vcfg.scaling_factor);
const s = performance.now();
const img = (await dec.run({ latent_sample: f32(scaled, [n, C, L, L]) })).sample.data.map((v) => Math.min(1, Math.max(-1, v)));
const decMs = performance.now() - s;
res.ddim_image = maxDiff(img, ck.ddim.image);
res.ddim_ms_total = +(performance.now() - t0).toFixed(1);
res.unet_ms_per_call_batch4 = +(unetMs / steps).toFixed(2);
res.decoder_ms_batch2 = +decMs.toFixed(2);
for (const k of Object.keys(res)) if (typeof res[k] === 'number' && !k.includes('ms')) res[k] = +res[k].toExponential(2);

const tol = { text_encoder: 1e-3, unet: 1e-3, unet_timestep_per_image: 1e-3, vae_decoder: 1e-3, ddim_image: 2e-2 };
const bad = Object.entries(tol).filter(([k, v]) => !(res[k] <= v));
const lj = path.join(dir, 'lathe.json');
const lathe = readJson(lj);
lathe.export_checks = { ...res, tolerance: tol, passed: bad.length === 0, runtime: 'onnxruntime-node, 2 threads' };
fs.writeFileSync(lj + '.tmp', JSON.stringify(lathe, null, 2) + '\n');
fs.renameSync(lj + '.tmp', lj);
console.log(JSON.stringify(lathe.export_checks));
if (bad.length) fail(`over tolerance: ${bad.map(([k]) => k).join(', ')}`);
