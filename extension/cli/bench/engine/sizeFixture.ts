/**
 * `bench engine --fixture qwen2.5-0.5b`: random-weight models with the exact shapes of a model
 * users run, generated on demand by `models/train/size_fixture.py` (Python 3 with the onnx and
 * numpy packages) into `.cache/fixtures/<name>/` of the source tree, and reused while its
 * `fixture.json` says the generator version is current. Nothing here is committed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statfsSync } from 'node:fs';
import { freemem } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError } from '../../errors';

export const SIZE_FIXTURES = ['qwen2.5-0.5b'] as const;
export type SizeFixture = (typeof SIZE_FIXTURES)[number];

/** models/train/size_fixture.py's VERSION: a cached fixture of another version is rebuilt. */
const GENERATOR_VERSION = 1;
/** What the four variants take on disk (fp32 + data 2.0 GB, fp16 1.0, q4 0.85, int8 0.65), plus room. */
const NEEDED_DISK = 5.5e9;
const NEEDED_MEMORY = 3e9;

export function sizeFixtureFlag(value: string | undefined): SizeFixture | undefined {
  if (value === undefined) return undefined;
  if (!(SIZE_FIXTURES as readonly string[]).includes(value)) throw new CliError(`--fixture must be one of ${SIZE_FIXTURES.join(', ')}, got '${value}'`);
  return value as SizeFixture;
}

/** The source tree this CLI belongs to (the folder with models/train/size_fixture.py). */
function sourceRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    for (let d = start, i = 0; i < 6; i++, d = dirname(d)) {
      if (existsSync(join(d, 'models', 'train', 'size_fixture.py'))) return d;
    }
  }
  throw new CliError('--fixture needs the source tree: models/train/size_fixture.py was not found next to the CLI or the current folder');
}

function current(dir: string): boolean {
  try {
    const info = JSON.parse(readFileSync(join(dir, 'fixture.json'), 'utf8')) as { version?: unknown; variants?: unknown[] };
    return info.version === GENERATOR_VERSION && Array.isArray(info.variants) && info.variants.length === 4;
  } catch {
    return false;
  }
}

function python(): string {
  const candidates = [process.env.LATHE_PYTHON, '/usr/bin/python3', 'python3'].filter((p): p is string => !!p);
  for (const exe of candidates) {
    const probe = spawnSync(exe, ['-c', 'import onnx, numpy'], { encoding: 'utf8' });
    if (probe.status === 0) return exe;
  }
  throw new CliError(
    'generating the size fixture needs Python 3 with the onnx and numpy packages (Debian: apt-get install python3-onnx python3-numpy; or set LATHE_PYTHON)',
  );
}

/** The fixture's folder, generated first when missing (minutes; progress on stderr). */
export function ensureSizeFixture(name: SizeFixture, log: (line: string) => void): string {
  const root = sourceRoot();
  const dir = join(root, '.cache', 'fixtures', name);
  if (current(dir)) return dir;
  mkdirSync(dirname(dir), { recursive: true });
  const fs = statfsSync(dirname(dir));
  const free = fs.bavail * fs.bsize;
  if (free < NEEDED_DISK) {
    throw new CliError(`the ${name} fixture needs about ${(NEEDED_DISK / 1e9).toFixed(1)} GB in ${dirname(dir)}; ${(free / 1e9).toFixed(1)} GB are free`);
  }
  if (freemem() < NEEDED_MEMORY) log(`only ${(freemem() / 1e9).toFixed(1)} GB of memory are free; the generator needs about ${NEEDED_MEMORY / 1e9} GB`);
  const exe = python();
  const partial = `${dir}.partial-${process.pid}`;
  log(`generating the ${name} size fixture in ${dir} (random weights; a few minutes) …`);
  const started = Date.now();
  const res = spawnSync(exe, [join(root, 'models', 'train', 'size_fixture.py'), '--preset', name, '--out', partial], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (res.status !== 0) {
    rmSync(partial, { recursive: true, force: true });
    throw new CliError(`the size fixture generator failed (exit ${res.status ?? res.signal}); see its output above`, 1);
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  log(`generated ${name} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return dir;
}
