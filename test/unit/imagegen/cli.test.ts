import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it, mock } from 'node:test';
import { batchFile, imageCommand } from '../../../extension/cli/commands/image';
import { CliError } from '../../../extension/cli/errors';
import { readPngMetadata } from '../../../extension/core/imagegen/png';
import { tempDir, TINY_SD } from './helpers';

const cleanups: Array<() => void> = [];
afterEach(() => {
  mock.restoreAll();
  while (cleanups.length) cleanups.pop()!();
});

async function run(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  mock.method(console, 'log', (s: unknown) => lines.push(String(s)));
  mock.method(console, 'error', () => undefined);
  const code = await imageCommand.run(args, new AbortController().signal);
  return { code, out: lines.join('\n') };
}

describe('lathe image', () => {
  it('writes a PNG with its parameters, prints the figures with --json, and re-runs from the PNG to the same bytes', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const out = join(dir, 'heart.png');
    const r = await run(['--prompt', 'red heart', '--negative', 'blue', '--model', TINY_SD, '--steps', '3', '--guidance', '5', '--scheduler', 'euler', '--seed', '11', '--size', '32x16', '--out', out, '--json']);
    assert.equal(r.code, 0);
    const json = JSON.parse(r.out) as Record<string, unknown>;
    assert.deepEqual([json.seed, json.steps, json.model, json.width, json.height, json.scheduler], [11, 3, 'tiny-sd', 32, 16, 'euler']);
    assert.ok(typeof json.ms_total === 'number' && typeof json.ms_per_step === 'number');
    const meta = readPngMetadata(readFileSync(out), out);
    assert.deepEqual([meta.prompt, meta.negativePrompt, meta.guidance, meta.width, meta.height], ['red heart', 'blue', 5, 32, 16]);
    const again = join(dir, 'again.png');
    assert.equal((await run(['--from', out, '--model', TINY_SD, '--out', again])).code, 0);
    assert.deepEqual(readFileSync(again), readFileSync(out));
  });

  it('a batch writes FILE.png, FILE-2.png from seeds S, S+1', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const out = join(dir, 'b.png');
    assert.equal((await run(['--prompt', 'cat', '--model', TINY_SD, '--steps', '1', '--seed', '5', '--batch', '2', '--out', out])).code, 0);
    assert.deepEqual(readdirSync(dir).sort(), ['b-2.png', 'b.png']);
    assert.equal(readPngMetadata(readFileSync(join(dir, 'b-2.png')), 'b-2').seed, 6);
    assert.equal(batchFile('/x/y.png', 2), '/x/y-3.png');
  });

  it('bad input is one clear line naming the flag, the parameter or the file, and writes nothing', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const out = join(dir, 'x.png');
    const rejects = (args: string[], pattern: RegExp) => assert.rejects(run([...args, '--out', out]), (err: unknown) => err instanceof CliError && pattern.test(err.message));
    await rejects(['--prompt', 'x', '--model', TINY_SD, '--size', '30x32'], /width must be a multiple of the model's latent factor 4/);
    await rejects(['--prompt', 'x', '--model', TINY_SD, '--steps', '0'], /steps must be an integer from 1 to 1000/);
    await rejects(['--prompt', 'x', '--model', TINY_SD, '--guidance=-2'], /guidance must be a number ≥ 0/);
    await rejects(['--prompt', 'x', '--model', TINY_SD, '--scheduler', 'heun'], /--scheduler must be one of ddim, euler, euler-a, lcm/);
    await rejects(['--prompt', 'x', '--model', TINY_SD, '--size', 'big'], /--size must look like WIDTHxHEIGHT/);
    await rejects(['--prompt', 'x', '--model', dir], /not an image model folder/);
    await rejects(['--model', TINY_SD], /--prompt is required/);
    await rejects(['--from', join(TINY_SD, 'nope.png'), '--model', TINY_SD], /cannot read the PNG/);
    assert.equal(existsSync(out), false);
  });
});
