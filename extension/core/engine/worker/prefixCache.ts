/**
 * Prefix KV cache: the KV states of recent sequences (prompt plus generated tokens). A new
 * request reuses the longest common token prefix with any stored sequence — typing a few
 * characters after a 1,500-token prompt recomputes only the last few tokens. States are
 * immutable and shared; a partial reuse slices the stored state along the sequence axis.
 */
import type { KvState } from './kvState';

export interface PrefixCacheOptions {
  /** Sequences kept (least recently used goes first). */
  readonly maxEntries: number;
  /** Total KV bytes kept. */
  readonly maxBytes: number;
}

export const DEFAULT_PREFIX_CACHE: PrefixCacheOptions = { maxEntries: 4, maxBytes: 512 * 1024 * 1024 };

interface Entry {
  readonly tokens: readonly number[];
  readonly kv: KvState;
}

export interface PrefixHit {
  readonly kv: KvState;
  /** Tokens covered by `kv` (the first `reused` prompt tokens). */
  readonly reused: number;
}

export class PrefixCache {
  /** Most recently used last. */
  private entries: Entry[] = [];

  constructor(private readonly options: PrefixCacheOptions = DEFAULT_PREFIX_CACHE) {}

  get size(): number {
    return this.entries.length;
  }

  /** The longest reusable prefix of `tokens`, at most `limit` tokens; undefined on a miss. */
  lookup(tokens: readonly number[], limit: number): PrefixHit | undefined {
    let best: Entry | undefined;
    let bestLength = 0;
    for (const entry of this.entries) {
      const n = commonPrefix(entry.tokens, tokens, Math.min(limit, entry.kv.length));
      if (n > bestLength) {
        best = entry;
        bestLength = n;
      }
    }
    if (!best) return undefined;
    this.touch(best);
    return { kv: best.kv.slice(bestLength), reused: bestLength };
  }

  /** Stores a sequence whose first `kv.length` tokens have KV in `kv` (copied out of an arena: stored states never change). */
  store(tokens: readonly number[], state: KvState): void {
    if (state.length === 0) return;
    const kv = state.frozen();
    const seq = tokens.slice(0, kv.length);
    // Entries that are a prefix of the new sequence add nothing.
    this.entries = this.entries.filter((e) => !(e.kv.length <= seq.length && commonPrefix(e.tokens, seq, e.kv.length) === e.kv.length));
    this.entries.push({ tokens: seq, kv });
    let bytes = this.entries.reduce((s, e) => s + e.kv.bytes, 0);
    while (this.entries.length > 1 && (this.entries.length > this.options.maxEntries || bytes > this.options.maxBytes)) {
      bytes -= this.entries[0].kv.bytes;
      this.entries.shift();
    }
    if (bytes > this.options.maxBytes) this.entries = [];
  }

  clear(): void {
    this.entries = [];
  }

  private touch(entry: Entry): void {
    this.entries = this.entries.filter((e) => e !== entry);
    this.entries.push(entry);
  }
}

function commonPrefix(a: readonly number[], b: readonly number[], limit: number): number {
  const n = Math.min(a.length, b.length, limit);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}
