/**
 * models/train/fit_gate.py fits the confidence gate's logistic weights on `bench quality --records`
 * signals. On synthetic records where the line's log-probability decides exactness, the fitted
 * weight of the summed log-probability comes out positive and the fitted weights beat the weights
 * in use on log-loss; records without signals are refused with the file named.
 * Needs python3 with numpy (the training scripts' own requirement).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const SCRIPT = resolve('models/train/fit_gate.py');
const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0);
const skip = !python && 'no python3 with numpy';

function records(n: number, seed: number): string {
  let s = seed;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const rows: string[] = [];
  for (let i = 0; i < n; i++) {
    const tokens = 2 + Math.floor(rand() * 10);
    const mean = -0.05 - rand() * 2;
    const exact = rand() < 1 / (1 + Math.exp(-(1 + 2 * mean)));
    const signals = { tokens, sumLogprob: mean * tokens, meanLogprob: mean, minLogprob: mean * 2, invented: rand() < 0.1 ? ['x'] : [], repeatsAbove: false, lineStart: rand() < 0.5 };
    rows.push(JSON.stringify({ suggestion: 'y', exact, signals }));
  }
  rows.push(JSON.stringify({ suggestion: '', exact: false, score: -1 })); // nothing to show: skipped
  return rows.join('\n') + '\n';
}

test('fit_gate.py fits weights that explain synthetic records, and refuses records without signals', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-fit-gate-'));
  try {
    const fit = join(dir, 'fit.jsonl');
    const check = join(dir, 'check.jsonl');
    writeFileSync(fit, records(400, 1));
    writeFileSync(check, records(200, 2));
    const r = spawnSync(python!, [SCRIPT, '--fit', fit, '--check', check], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /fit on 400 suggestions/);
    const weights = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
    assert.deepEqual(Object.keys(weights), ['intercept', 'sumLogprob', 'minLogprob', 'meanLogprob', 'invented', 'repeatsAbove', 'lineStart']);
    assert.ok(weights.sumLogprob + weights.meanLogprob + weights.minLogprob > 0, r.stdout);
    const loss = (name: string) => Number(new RegExp(`${name}\\s+check set: log-loss ([\\d.]+)`).exec(r.stdout)![1]);
    assert.ok(loss('fitted') <= loss('current'), r.stdout);

    const bare = join(dir, 'bare.jsonl');
    writeFileSync(bare, JSON.stringify({ suggestion: 'y', exact: true }) + '\n');
    const bad = spawnSync(python!, [SCRIPT, '--fit', bare, '--check', check], { encoding: 'utf8' });
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /bare\.jsonl: no records with signals/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
