/** A small least-recently-used map: reads refresh an entry, inserts evict the oldest. */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly capacity: number) {
    if (capacity < 1) throw new RangeError('LRU capacity must be at least 1');
  }

  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, v);
    return v;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }

  /** Entries from most to least recently used. */
  *entriesNewestFirst(): IterableIterator<[K, V]> {
    const all = [...this.map.entries()];
    for (let i = all.length - 1; i >= 0; i--) yield all[i];
  }

  clear(): void {
    this.map.clear();
  }
}
