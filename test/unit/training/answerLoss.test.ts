/**
 * models/train/answer_loss.py scores the expected answer under the prompts `bench quality
 * --records` wrote for plain and full context over the same positions. Checked on a tiny
 * random checkpoint with the fixture tokenizer: identical prompts score identically (so a
 * difference is the context's), a prompt longer than the window is cut from the left, and
 * records of other positions or without prompts are refused with the position or line named.
 * Needs python3 with torch (the training scripts' own requirement).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { before, test } from 'node:test';

const SCRIPT = resolve('models/train/answer_loss.py');
const TOKENIZER = resolve('test/fixtures/models/tiny-llama');
const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0);
const skip = !python && 'no python3 with torch';

let dir = '';
let ckpt = '';

before(() => {
  if (!python) return;
  dir = mkdtempSync(join(tmpdir(), 'lathe-answer-loss-'));
  ckpt = join(dir, 'tiny.pt');
  // A random 1-layer model over the fixture tokenizer's vocabulary, with a 64-token window.
  const make = `
import json, sys, torch
sys.path.insert(0, ${JSON.stringify(resolve('models/train'))})
from model import Config, LlamaLM
tj = json.load(open(${JSON.stringify(join(TOKENIZER, 'tokenizer.json'))}))
cfg = Config(vocab_size=len(tj["model"]["vocab"]) + len(tj["added_tokens"]), hidden_size=32, num_hidden_layers=1,
             num_attention_heads=2, num_key_value_heads=1, head_dim=16, intermediate_size=64, max_position_embeddings=64)
torch.manual_seed(0)
torch.save({"config": cfg.to_dict(), "model": LlamaLM(cfg).state_dict()}, ${JSON.stringify(ckpt)})
`;
  const r = spawnSync(python, ['-c', make], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

interface Row {
  file: string;
  line: number;
  kind: string;
  expected: string;
  prompt: string;
  force_prefix: string;
}

function records(name: string, rows: readonly Row[]): string {
  const path = join(dir, name);
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return path;
}

interface Summary {
  n: number;
  plain: number;
  full: number;
  full_lower: number;
  perplexity_ratio: number;
}

interface Report {
  positions: number;
  by_kind: Record<string, Summary>;
  all: Summary;
}

function score(plain: string, full: string) {
  return spawnSync(python!, [SCRIPT, '--plain', plain, '--full', full, '--ckpt', ckpt, '--tokenizer', TOKENIZER, '--json'], { encoding: 'utf8' });
}

const LONG = 'let total = 0;\n'.repeat(40);
const ROWS: Row[] = [
  { file: 'a.ts', line: 3, kind: 'line-start', expected: 'return total;', prompt: '<|fim_suffix|>}\n<|fim_prefix|>function f() {\n  ', force_prefix: '' },
  { file: 'a.ts', line: 9, kind: 'mid-line', expected: 'al + 1;', prompt: `<|fim_suffix|>\n<|fim_prefix|>${LONG}let x = tot`, force_prefix: 'tot' },
];

test('the same prompts in both runs score the same, a long prompt included', { skip }, () => {
  const r = score(records('plain.jsonl', ROWS), records('same.jsonl', ROWS));
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  assert.equal(report.positions, 2);
  assert.deepEqual(Object.keys(report.by_kind), ['line-start', 'mid-line']);
  assert.ok(report.all.plain > 0 && Number.isFinite(report.all.plain));
  assert.equal(report.all.full, report.all.plain);
  assert.equal(report.all.full_lower, 0);
  assert.equal(report.all.perplexity_ratio, 1);
});

test('full context that changes the prompt changes the score', { skip }, () => {
  const full = ROWS.map((r) => ({ ...r, prompt: `<|file_sep|>b.ts\nconst total = 1;\n${r.prompt}` }));
  const r = score(records('plain2.jsonl', ROWS), records('full.jsonl', full));
  assert.equal(r.status, 0, r.stderr);
  const { all } = JSON.parse(r.stdout) as Report;
  assert.notEqual(all.full, all.plain);
});

test('runs over other positions, and records without prompts, are refused naming where', { skip }, () => {
  const swapped = score(records('plain3.jsonl', ROWS), records('swapped.jsonl', [ROWS[1], ROWS[0]]));
  assert.notEqual(swapped.status, 0);
  assert.match(swapped.stderr, /position 1 differs: a\.ts:3 \(line-start\)/);
  const { prompt: _, ...old } = ROWS[0];
  const path = join(dir, 'old.jsonl');
  writeFileSync(path, `${JSON.stringify(ROWS[1])}\n${JSON.stringify(old)}\n`);
  const missing = score(path, path);
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /old\.jsonl:2: no 'prompt' field/);
});
