// node models/train/tok_check.mjs <tokenizer-dir> <texts.json> <out-ids.json>
// Encodes each text with @huggingface/tokenizers, asserts decode(encode(s)) === s, writes ids.
import fs from 'node:fs';
import path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
const [dir, inp, out] = process.argv.slice(2);
const tok = new Tokenizer(JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8')),
  JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer_config.json'), 'utf8')));
const texts = JSON.parse(fs.readFileSync(inp, 'utf8'));
let bad = 0; const t0 = performance.now(); let n = 0;
const ids = texts.map((s) => { const e = tok.encode(s).ids; n += e.length; if (tok.decode(e) !== s) bad++; return e; });
fs.writeFileSync(out, JSON.stringify(ids));
console.log(`${texts.length} texts, ${n} tokens, ${bad} round-trip failures, ${(performance.now() - t0).toFixed(0)} ms`);
if (bad) process.exit(1);
