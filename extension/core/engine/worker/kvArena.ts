/**
 * KV buffers with spare capacity for graphs that take partly filled past tensors (the attention
 * mask says how many positions are valid) and return only the step's own KV rows
 * (`present_step.*`, Lathe's fused export). Each step then appends its rows here instead of
 * onnxruntime handing back, and JavaScript receiving a copy of, the whole cache: per token the
 * cache is read once by attention rather than copied out, allocated and collected.
 *
 * Layout per tensor: [1, kvHeads, capacity, headDim]; position p of head h starts at
 * (h × capacity + p) × headDim. Capacity grows by doubling (a copy) up to the context length.
 */
import type * as ort from 'onnxruntime-node';
import { allocateKv, makeKvTensor, type KvData, type KvGeometry, type KvState } from './kvState';

const MIN_CAPACITY = 256;

export class KvArena {
  private readonly buffers: KvData[] = [];
  /** Tensors over the whole buffers, fed as past_key_values.* (dims [1, kvHeads, capacity, headDim]). */
  readonly tensors: ort.Tensor[] = [];

  private constructor(
    readonly geometry: KvGeometry,
    readonly capacity: number,
  ) {
    for (let i = 0; i < geometry.numLayers * 2; i++) {
      const data = allocateKv(geometry.elementType, geometry.numKvHeads * capacity * geometry.headDim);
      this.buffers.push(data);
      this.tensors.push(makeKvTensor(geometry, data, capacity));
    }
  }

  /** A capacity for `needed` positions: doubling steps from 256, never above `limit` (the context length). */
  static capacityFor(needed: number, limit: number, from = MIN_CAPACITY): number {
    let capacity = Math.max(from, MIN_CAPACITY);
    while (capacity < needed) capacity *= 2;
    return Math.max(needed, Math.min(capacity, limit));
  }

  /** A new arena holding `state`'s positions (dense or another arena's view), with room for `needed`. */
  static from(state: KvState, needed: number, limit: number): KvArena {
    const arena = new KvArena(state.geometry, KvArena.capacityFor(needed, limit, state.arena?.capacity));
    if (state.length > 0) {
      if (state.arena) arena.copyFrom(state.arena, state.length);
      else arena.write(0, state.tensors, state.length);
    }
    return arena;
  }

  /** Writes `rows` positions from step tensors [1, kvHeads, rows, headDim] (one per KV tensor) at `at`. */
  write(at: number, step: readonly ort.Tensor[], rows: number): void {
    if (at + rows > this.capacity) throw new RangeError(`writing ${rows} KV rows at ${at} overruns a capacity of ${this.capacity}`);
    const { numKvHeads, headDim } = this.geometry;
    const span = rows * headDim;
    for (let i = 0; i < this.buffers.length; i++) {
      const src = step[i].data as KvData;
      const dst = this.buffers[i];
      for (let h = 0; h < numKvHeads; h++) dst.set(src.subarray(h * span, (h + 1) * span), (h * this.capacity + at) * headDim);
    }
  }

  /** Dense [1, kvHeads, length, headDim] copies of the first `length` positions. */
  copyOut(length: number): ort.Tensor[] {
    const { numKvHeads, headDim, elementType } = this.geometry;
    return this.buffers.map((src) => {
      const dst = allocateKv(elementType, numKvHeads * length * headDim);
      for (let h = 0; h < numKvHeads; h++) dst.set(src.subarray(h * this.capacity * headDim, (h * this.capacity + length) * headDim), h * length * headDim);
      return makeKvTensor(this.geometry, dst, length);
    });
  }

  private copyFrom(other: KvArena, length: number): void {
    const { numKvHeads, headDim } = this.geometry;
    for (let i = 0; i < this.buffers.length; i++) {
      for (let h = 0; h < numKvHeads; h++) {
        const from = h * other.capacity * headDim;
        this.buffers[i].set(other.buffers[i].subarray(from, from + length * headDim), h * this.capacity * headDim);
      }
    }
  }
}
