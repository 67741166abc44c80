// Load a model folder with transformers.js (the benchmark peer) and greedy-generate 10 tokens.
//   node models/train/tjs_check.mjs <models-root> <folder-name>
import { env, AutoTokenizer, AutoModelForCausalLM } from '@huggingface/transformers';
import path from 'node:path';
env.allowRemoteModels = false;
env.localModelPath = path.resolve(process.argv[2]);
const name = process.argv[3];
const tok = await AutoTokenizer.from_pretrained(name);
const model = await AutoModelForCausalLM.from_pretrained(name, { dtype: 'fp32' });
const inputs = tok('def f(x):\n    return');
const out = await model.generate({ ...inputs, max_new_tokens: 10, do_sample: false });
console.log(name, 'ok', out.dims, JSON.stringify(tok.decode(out[0], { skip_special_tokens: false })));
