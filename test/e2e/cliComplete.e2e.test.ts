/**
 * `lathe complete` from the built bundle at 50 seeded positions of this repository's own
 * sources: every run prints its JSON and exits 0. (It used to print the JSON and then die with
 * exit code 134 whenever the pipeline stopped a generation early — its loop cutter — while the
 * worker thread was inside onnxruntime's run(), and the CLI's dispose terminated the thread.)
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { seededRandom } from '../../extension/core/common/rng';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const POSITIONS = 50;

function sources(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) return sources(p);
      return name.endsWith('.ts') ? [p] : [];
    });
}

test(`lathe complete exits 0 with a result at ${POSITIONS} seeded positions of the repository's sources`, () => {
  const files = sources(join(ROOT, 'extension'));
  const random = seededRandom(12);
  const pick = (n: number) => Math.floor(random() * n);
  const failures: string[] = [];
  let multiline = 0;
  for (let i = 0; i < POSITIONS; i++) {
    const file = files[pick(files.length)];
    const lines = readFileSync(file, 'utf8').split('\n');
    const line = 1 + pick(lines.length);
    const col = 1 + pick(lines[line - 1].length + 1);
    const where = `${relative(ROOT, file)}:${line}:${col}`;
    const run = spawnSync(process.execPath, [CLI, 'complete', '--file', file, '--line', String(line), '--col', String(col), '--json'], { encoding: 'utf8', timeout: 120_000 });
    if (run.status !== 0) {
      failures.push(`${where}: exit ${run.status ?? run.signal}: ${run.stderr.trim().split('\n').slice(-3).join(' / ')}`);
      continue;
    }
    const out = JSON.parse(run.stdout) as { completion: unknown; multiline: unknown; prompt_tokens: unknown };
    assert.equal(typeof out.completion, 'string', where);
    assert.ok(typeof out.prompt_tokens === 'number' && out.prompt_tokens > 0, where);
    if (out.multiline === true) multiline++;
  }
  assert.deepEqual(failures, []);
  // The positions cover both kinds of completion (a line end, an empty block).
  assert.ok(multiline > 0 && multiline < POSITIONS, `${multiline} multi-line of ${POSITIONS}`);
});
