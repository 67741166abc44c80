/**
 * Seeded generators of hostile input for the fuzz targets: random JSON values (deep, wide,
 * huge, odd numbers, prototype keys, control and astral characters), byte-level mutations,
 * and helpers to pick and repeat. The same seed gives the same inputs on every machine.
 */
import { Rng } from '../../extension/core/common/rng';

export class Gen {
  private readonly rng: Rng;

  constructor(seed: number) {
    this.rng = new Rng(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.rng.next();
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.rng.next() * n);
  }

  chance(p: number): boolean {
    return this.rng.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** A string of `n` characters from a mix of ASCII, whitespace, control, BMP and astral characters. */
  text(n = this.int(40)): string {
    const pools = ['abcdefghijklmnopqrstuvwxyz ', '0123456789', '{}[]":,\\/\n\r\t', '\u0000\u0001\u001f\u007f', 'éßø中文', '😀🧪𝕏', '\ud800', '{{ }}{% %}${}'];
    let out = '';
    for (let i = 0; i < n; i++) {
      const pool = this.pick(pools);
      out += [...pool][this.int([...pool].length)];
    }
    return out;
  }

  /** A number that is often an edge case. */
  number(): number {
    return this.pick([0, -0, 1, -1, 0.5, 1e308, -1e308, 2 ** 53, 2 ** 53 + 1, 1e-320, this.int(1000), -this.int(100), 4096, 1e9]);
  }

  /** A random JSON value, `depth` levels deep at most, with keys drawn partly from `keys`. */
  json(depth = 4, keys: readonly string[] = []): unknown {
    const r = this.int(10);
    if (depth <= 0 || r < 3) return this.pick<unknown>([null, true, false, this.number(), this.text(), '', this.text(this.int(300))]);
    if (r < 6) return Array.from({ length: this.int(5) }, () => this.json(depth - 1, keys));
    const o: Record<string, unknown> = {};
    const n = this.int(6);
    for (let i = 0; i < n; i++) {
      const key = keys.length > 0 && this.chance(0.7) ? this.pick(keys) : this.pick(['__proto__', 'constructor', 'toString', '', this.text(8)]);
      o[key] = this.json(depth - 1, keys);
    }
    return o;
  }

  /** `[[[…]]]` or `{"a":{"a":…}}` nested `depth` deep around `inner`, as text. */
  deep(depth: number, inner = '"x"'): string {
    return this.chance(0.5) ? '['.repeat(depth) + inner + ']'.repeat(depth) : '{"a":'.repeat(depth) + inner + '}'.repeat(depth);
  }

  /** `text` with a few byte-level mutations: flips, deletions, insertions, duplications, truncation. */
  mutate(text: string): Buffer {
    let b = Buffer.from(text, 'utf8');
    const edits = 1 + this.int(4);
    for (let e = 0; e < edits && b.length > 0; e++) {
      const at = this.int(b.length);
      switch (this.int(5)) {
        case 0:
          b[at] ^= 1 << this.int(8);
          break;
        case 1:
          b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + this.int(8))]);
          break;
        case 2:
          b = Buffer.concat([b.subarray(0, at), Buffer.from(this.pick(['"', '{', ']', '\\', '\n', '\r\n', '\u0000', '\xff\xfe', '💥', '{{', '{%'])), b.subarray(at)]);
          break;
        case 3:
          b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + 1 + this.int(40)), b.subarray(at)]);
          break;
        default:
          b = b.subarray(0, at);
      }
    }
    return b;
  }
}

/** A seed for case `index` of `kind` under the run's seed (cases are independent and reproducible). */
export function caseSeed(seed: number, kind: string, index: number): number {
  let h = 2166136261 ^ seed;
  for (const c of `${kind}:${index}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}
