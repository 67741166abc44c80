import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { KvArena } from '../../../extension/core/engine/worker/kvArena';
import { KvState, type KvGeometry } from '../../../extension/core/engine/worker/kvState';
import { PrefixCache } from '../../../extension/core/engine/worker/prefixCache';

const g: KvGeometry = { numLayers: 1, numKvHeads: 2, headDim: 2, elementType: 'float32' };

/** A state of `len` positions whose value at (head h, pos p, dim d) is h*100 + p*10 + d. */
function state(len: number): KvState {
  const make = () => {
    const data = new Float32Array(2 * len * 2);
    for (let h = 0; h < 2; h++) for (let p = 0; p < len; p++) for (let d = 0; d < 2; d++) data[(h * len + p) * 2 + d] = h * 100 + p * 10 + d;
    return new ort.Tensor('float32', data, [1, 2, len, 2]);
  };
  return KvState.fromTensors(g, [make(), make()]);
}

describe('KV state', () => {
  it('slices every head along the sequence axis', () => {
    const s = state(3).slice(2);
    assert.equal(s.length, 2);
    assert.deepEqual(s.tensors[0].dims, [1, 2, 2, 2]);
    assert.deepEqual([...(s.tensors[0].data as Float32Array)], [0, 1, 10, 11, 100, 101, 110, 111]);
  });

  it('shares itself when nothing is cut, and starts empty with zero-length tensors', () => {
    const s = state(3);
    assert.equal(s.slice(3), s);
    const e = KvState.empty({ ...g, elementType: 'float16' });
    assert.equal(e.length, 0);
    assert.equal(e.tensors[0].type, 'float16');
    assert.deepEqual(e.tensors[0].dims, [1, 2, 0, 2]);
  });
});

describe('prefix cache', () => {
  it('returns the longest common prefix, capped by the limit', () => {
    const c = new PrefixCache({ maxEntries: 4, maxBytes: 1e9 });
    c.store([1, 2, 3, 4], state(4));
    c.store([1, 9, 9], state(3));
    const hit = c.lookup([1, 2, 3, 5, 6], 10);
    assert.equal(hit?.reused, 3);
    assert.equal(hit?.kv.length, 3);
    assert.equal(c.lookup([1, 2, 3, 4], 3)?.reused, 3);
    assert.equal(c.lookup([7], 1), undefined);
  });

  it('only uses positions that have KV and drops entries the new sequence extends', () => {
    const c = new PrefixCache({ maxEntries: 4, maxBytes: 1e9 });
    c.store([1, 2, 3, 4, 5], state(3)); // tokens beyond the KV length are not cached
    assert.equal(c.lookup([1, 2, 3, 4, 5], 10)?.reused, 3);
    c.store([1, 2, 3, 4], state(4));
    assert.equal(c.size, 1);
  });

  it('evicts the least recently used entry by count and by bytes', () => {
    const c = new PrefixCache({ maxEntries: 2, maxBytes: 1e9 });
    c.store([1], state(1));
    c.store([2], state(1));
    c.lookup([1], 1);
    c.store([3], state(1));
    assert.equal(c.lookup([2], 1), undefined);
    assert.equal(c.lookup([1], 1)?.reused, 1);
    const small = new PrefixCache({ maxEntries: 8, maxBytes: state(2).bytes });
    small.store([1, 1], state(2));
    small.store([2, 2], state(2));
    assert.equal(small.size, 1);
    assert.equal(small.lookup([2, 2], 2)?.reused, 2);
  });
});

describe('KV arena', () => {
  const rows = (from: number, n: number) => {
    // A step's rows for positions from … from+n-1, same values as state().
    const make = () => {
      const data = new Float32Array(2 * n * 2);
      for (let h = 0; h < 2; h++) for (let p = 0; p < n; p++) for (let d = 0; d < 2; d++) data[(h * n + p) * 2 + d] = h * 100 + (from + p) * 10 + d;
      return new ort.Tensor('float32', data, [1, 2, n, 2]);
    };
    return [make(), make()];
  };

  it('appends step rows in place and reads back what a dense state holds', () => {
    const arena = KvArena.from(state(3), 5, 1000);
    assert.ok(arena.capacity >= 256, `capacity ${arena.capacity}`);
    assert.deepEqual(arena.tensors[0].dims, [1, 2, arena.capacity, 2]);
    arena.write(3, rows(3, 2), 2);
    const view = KvState.inArena(arena, 5);
    assert.deepEqual([...(view.frozen().tensors[0].data as Float32Array)], [...(state(5).tensors[0].data as Float32Array)]);
    assert.equal(view.bytes, state(5).bytes);
  });

  it('slices a view without copying; later writes overwrite past its end; frozen copies survive', () => {
    const arena = KvArena.from(state(4), 4, 1000);
    const kept = KvState.inArena(arena, 4).slice(2);
    assert.equal(kept.arena, arena);
    const snapshot = kept.frozen();
    arena.write(2, rows(7, 1), 1);
    assert.deepEqual([...(KvState.inArena(arena, 3).frozen().tensors[0].data as Float32Array)], [0, 1, 10, 11, 70, 71, 100, 101, 110, 111, 170, 171]);
    assert.deepEqual([...(snapshot.tensors[0].data as Float32Array)], [0, 1, 10, 11, 100, 101, 110, 111]);
  });

  it('grows by doubling, never past the context length, keeping what it held', () => {
    assert.equal(KvArena.capacityFor(10, 384), 256);
    assert.equal(KvArena.capacityFor(300, 384), 384);
    assert.equal(KvArena.capacityFor(300, 100_000), 512);
    const small = KvArena.from(state(3), 3, 1000);
    const bigger = KvArena.from(KvState.inArena(small, 3), small.capacity + 1, 100_000);
    assert.equal(bigger.capacity, 2 * small.capacity);
    assert.deepEqual([...(KvState.inArena(bigger, 3).frozen().tensors[1].data as Float32Array)], [...(state(3).tensors[1].data as Float32Array)]);
  });

  it('the prefix cache stores arena states as dense copies', () => {
    const arena = KvArena.from(state(3), 3, 1000);
    const cache = new PrefixCache();
    cache.store([1, 2, 3], KvState.inArena(arena, 3));
    arena.write(0, rows(9, 1), 1);
    const hit = cache.lookup([1, 2, 3, 4], 3)!;
    assert.equal(hit.kv.arena, undefined);
    assert.deepEqual([...(hit.kv.tensors[0].data as Float32Array)], [...(state(3).tensors[0].data as Float32Array)]);
  });
});
