/**
 * A deterministic TypeScript workspace for the context benchmark: a library module and a
 * 5,000-line file importing from it, generated from a seeded PRNG (same text on every run).
 */
import { seededRandom } from '../../core/common/rng';


const NOUNS = ['order', 'item', 'user', 'price', 'total', 'account', 'ledger', 'entry', 'batch', 'record', 'window', 'token'];
const VERBS = ['compute', 'merge', 'apply', 'scan', 'build', 'resolve', 'update', 'collect', 'render', 'parse'];

function pick<T>(rand: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)];
}

function cap(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}

export interface BenchWorkspace {
  readonly lib: string;
  readonly main: string;
}

/** `lib.ts` with helpers and types, and `main.ts` of exactly `lines` lines using them. */
export function generateWorkspace(lines = 5_000, seed = 42): BenchWorkspace {
  const rand = seededRandom(seed);
  const libNames: string[] = [];
  const lib: string[] = [];
  for (let i = 0; i < 40; i++) {
    const name = `${pick(rand, VERBS)}${cap(pick(rand, NOUNS))}${i}`;
    libNames.push(name);
    lib.push(`export interface ${cap(name)}Options {`, `  limit: number;`, `  label: string;`, `}`, '');
    lib.push(`export function ${name}(values: number[], options: ${cap(name)}Options): number {`);
    lib.push(`  let acc = 0;`, `  for (const v of values.slice(0, options.limit)) acc += v * ${i + 1};`, `  return acc;`, `}`, '');
  }
  const out: string[] = [`import { ${libNames.join(', ')} } from './lib';`, ''];
  for (let n = 0; ; n++) {
    const noun = cap(pick(rand, NOUNS));
    const cls = [`export class ${noun}Service${n} {`, `  private readonly cache = new Map<string, number>();`, ''];
    const methods = 3 + Math.floor(rand() * 4);
    for (let m = 0; m < methods; m++) {
      const fn = pick(rand, libNames);
      cls.push(`  ${pick(rand, VERBS)}${noun}${m}(values: number[], key: string): number {`);
      cls.push(`    const cached = this.cache.get(key);`, `    if (cached !== undefined) {`, `      return cached;`, `    }`);
      const body = 2 + Math.floor(rand() * 6);
      for (let b = 0; b < body; b++) {
        cls.push(`    const step${b} = ${fn}(values, { limit: ${b + 2}, label: '${noun.toLowerCase()}-${b}' });`);
      }
      cls.push(`    const result = ${Array.from({ length: body }, (_, b) => `step${b}`).join(' + ')};`);
      cls.push(`    this.cache.set(key, result);`, `    return result;`, `  }`, '');
    }
    cls.push(`}`, '');
    if (out.length + cls.length > lines) break;
    out.push(...cls);
  }
  while (out.length < lines) out.push(`// end of generated module (${out.length})`);
  return { lib: `${lib.join('\n')}\n`, main: `${out.join('\n')}\n` };
}
