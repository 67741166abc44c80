/** `lathe serve` on a model folder, for e2e tests of the remote backend. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
export const FIXTURE_MODEL = join(ROOT, 'test', 'fixtures', 'models', 'tiny-llama');
/** The embedded code model: real code for real prompts, greedy, so the same answer each run. */
export const EMBEDDED_MODEL = join(ROOT, 'models', 'lathe-code-mini');

/** Starts `lathe serve` (the built dist/cli.js) and waits for its first line. */
export async function startServe(port: number, model = FIXTURE_MODEL): Promise<ChildProcess> {
  const proc = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'serve', '--model', model, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let err = '';
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    proc.stdout.on('data', (d: Buffer) => d.toString().includes('lathe serve:') && resolve());
    proc.once('exit', (code) => reject(new Error(`lathe serve exited with ${code}: ${err}`)));
  });
  return proc;
}
