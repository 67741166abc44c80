/**
 * Seeded train/validation/test splits that are stable across runs. A row's place comes from a
 * hash of (seed, row key) mapped to [0, 1): the same row lands in the same split every time,
 * and adding or removing other rows never moves it. Keys are content hashes, so rows with the
 * same normalized text share a split (exact duplicates cannot leak across splits).
 *
 * Stratified splits (by tag) rank each stratum's rows by that same hash and cut at the
 * ratios with largest-remainder rounding, so every tag is represented in proportion; adding a
 * row to a stratum can move at most the rows at the cut points of that stratum.
 */
import { createHash } from 'node:crypto';

export const SPLITS = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof SPLITS)[number];

export interface SplitRatios {
  readonly train: number;
  readonly validation: number;
  readonly test: number;
}

export const DEFAULT_RATIOS: SplitRatios = { train: 0.8, validation: 0.1, test: 0.1 };

export interface SplitItem {
  readonly id: number;
  /** Stable identity of the row's content (e.g. `exactKey(text)`). */
  readonly key: string;
  /** Stratum for stratified splits (a tag); rows without one form their own stratum. */
  readonly stratum?: string;
}

export interface SplitOptions {
  readonly seed: string;
  readonly ratios?: SplitRatios;
  readonly stratified?: boolean;
}

export function normalizeRatios(r: SplitRatios): SplitRatios {
  for (const [k, v] of Object.entries(r)) if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`split ratio ${k} must be ≥ 0, got ${v}`);
  const sum = r.train + r.validation + r.test;
  if (sum <= 0) throw new RangeError('split ratios must not all be 0');
  return { train: r.train / sum, validation: r.validation / sum, test: r.test / sum };
}

/** A uniform number in [0, 1) from the seed and the row key (48 bits of SHA-256). */
export function splitHash(seed: string, key: string): number {
  const d = createHash('sha256').update(seed).update('\0').update(key).digest();
  return d.readUIntBE(0, 6) / 2 ** 48;
}

export function splitForHash(u: number, ratios: SplitRatios): SplitName {
  if (u < ratios.train) return 'train';
  if (u < ratios.train + ratios.validation) return 'validation';
  return 'test';
}

/** Largest-remainder counts for n rows. */
function counts(n: number, r: SplitRatios): Record<SplitName, number> {
  const exact = SPLITS.map((s) => r[s] * n);
  const floor = exact.map(Math.floor);
  let left = n - floor.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, frac: x - floor[i] })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left-- <= 0) break;
    floor[i]++;
  }
  return { train: floor[0], validation: floor[1], test: floor[2] };
}

export function assignSplits(items: readonly SplitItem[], options: SplitOptions): Map<number, SplitName> {
  const ratios = normalizeRatios(options.ratios ?? DEFAULT_RATIOS);
  const out = new Map<number, SplitName>();
  if (!options.stratified) {
    for (const it of items) out.set(it.id, splitForHash(splitHash(options.seed, it.key), ratios));
    return out;
  }
  const strata = new Map<string, Array<{ id: number; u: number }>>();
  for (const it of items) {
    const name = it.stratum ?? '';
    const list = strata.get(name) ?? [];
    list.push({ id: it.id, u: splitHash(options.seed, it.key) });
    strata.set(name, list);
  }
  for (const list of strata.values()) {
    list.sort((a, b) => a.u - b.u || a.id - b.id);
    const c = counts(list.length, ratios);
    list.forEach((row, rank) => out.set(row.id, rank < c.train ? 'train' : rank < c.train + c.validation ? 'validation' : 'test'));
  }
  return out;
}
