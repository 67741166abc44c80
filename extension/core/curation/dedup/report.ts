/**
 * Duplicate report over a dataset: exact duplicates (same normalized text) and near-duplicates
 * (MinHash LSH over one representative of each exact group), plus leakage: a duplicate group
 * whose rows sit in different splits (train vs validation/test).
 */
import { NearDuplicateIndex, type NearDuplicateOptions } from './lsh';
import { textWords } from './normalize';

export interface DedupItem {
  readonly id: number;
  readonly text: string;
}

export interface DuplicateGroup {
  readonly kind: 'exact' | 'near';
  /** Row ids, ascending; the first is the one to keep. */
  readonly ids: readonly number[];
  readonly similarity: number;
}

export interface DedupReport {
  readonly groups: readonly DuplicateGroup[];
  /** Rows that could be removed: every group member but the first. */
  readonly redundant: number;
  readonly banding: { readonly bands: number; readonly rows: number };
}

/** Incremental dedup: feed items one at a time (the caller can yield in between), then `finish`. */
export class Deduplicator {
  private readonly near: NearDuplicateIndex;
  private readonly exact = new Map<string, number[]>();

  constructor(options: NearDuplicateOptions = {}) {
    this.near = new NearDuplicateIndex(options);
  }

  add(item: DedupItem): void {
    const { words, key } = textWords(item.text);
    const group = this.exact.get(key);
    if (group) {
      group.push(item.id);
      return;
    }
    this.exact.set(key, [item.id]);
    this.near.addWords(item.id, words);
  }

  finish(): DedupReport {
    const groups: DuplicateGroup[] = [];
    const exactOf = new Map<number, readonly number[]>();
    for (const ids of this.exact.values()) {
      exactOf.set(ids[0], ids);
      if (ids.length > 1) groups.push({ kind: 'exact', ids, similarity: 1 });
    }
    for (const c of this.near.clusters()) {
      // A near cluster holds exact-group representatives; it covers their exact twins too.
      const ids = c.ids.flatMap((id) => exactOf.get(id) ?? [id]).sort((a, b) => a - b);
      groups.push({ kind: 'near', ids, similarity: c.similarity });
    }
    groups.sort((a, b) => a.ids[0] - b.ids[0]);
    let redundant = 0;
    const counted = new Set<number>();
    for (const g of groups) {
      for (const id of g.ids.slice(1)) {
        if (!counted.has(id)) {
          counted.add(id);
          redundant++;
        }
      }
    }
    return { groups, redundant, banding: this.near.banding };
  }
}

export function findDuplicates(items: Iterable<DedupItem>, options: NearDuplicateOptions = {}): DedupReport {
  const d = new Deduplicator(options);
  for (const item of items) d.add(item);
  return d.finish();
}

export interface Leak {
  readonly group: DuplicateGroup;
  /** Split name → ids of the group in that split. */
  readonly splits: Readonly<Record<string, readonly number[]>>;
}

/** Duplicate groups whose members are in more than one split. */
export function findLeakage(report: DedupReport, splitOf: (id: number) => string | undefined): Leak[] {
  const leaks: Leak[] = [];
  for (const group of report.groups) {
    const splits: Record<string, number[]> = {};
    for (const id of group.ids) {
      const s = splitOf(id);
      if (s !== undefined) (splits[s] ??= []).push(id);
    }
    if (Object.keys(splits).length > 1) leaks.push({ group, splits });
  }
  return leaks;
}
