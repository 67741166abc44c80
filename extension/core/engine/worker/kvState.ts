/**
 * The KV cache of one sequence: per layer a key and a value tensor [1, kvHeads, length, headDim]
 * in the element type the graph declares (float32, or float16 carried as raw Uint16 bits).
 *
 * Two representations behind one immutable-looking state:
 * - dense: the tensors a step returned (or a copy); never written after creation, so states can
 *   be shared between the live request and the prefix cache; `slice` copies the first n positions;
 * - in an arena (`KvArena`): for graphs that accept partly filled KV buffers and return only the
 *   step's own rows, the live request appends into buffers with spare capacity. A state is then a
 *   view of the arena's first `length` positions; `slice` only shortens the view (later steps
 *   overwrite what lies beyond it), and `frozen()` copies it out when it must outlive the request
 *   (the prefix cache).
 */
import * as ort from 'onnxruntime-node';
import type { KvArena } from './kvArena';

export type KvElementType = 'float32' | 'float16';
export type KvData = Float32Array | Uint16Array;

export interface KvGeometry {
  readonly numLayers: number;
  readonly numKvHeads: number;
  readonly headDim: number;
  readonly elementType: KvElementType;
}

export class KvState {
  private constructor(
    readonly geometry: KvGeometry,
    /** Positions held (the past length fed to the next step). */
    readonly length: number,
    /** Dense states: 2 × numLayers tensors (layer 0 key, layer 0 value, layer 1 key, …); arena views: none. */
    private readonly dense: readonly ort.Tensor[] | undefined,
    /** Arena views: the buffers this state is the first `length` positions of. */
    readonly arena?: KvArena,
  ) {}

  static empty(geometry: KvGeometry): KvState {
    const tensors: ort.Tensor[] = [];
    for (let i = 0; i < geometry.numLayers * 2; i++) tensors.push(makeKvTensor(geometry, allocateKv(geometry.elementType, 0), 0));
    return new KvState(geometry, 0, tensors);
  }

  static fromTensors(geometry: KvGeometry, tensors: readonly ort.Tensor[]): KvState {
    const length = tensors[0]?.dims[2] ?? 0;
    return new KvState(geometry, length, tensors);
  }

  static inArena(arena: KvArena, length: number): KvState {
    if (length > arena.capacity) throw new RangeError(`a KV arena of ${arena.capacity} positions cannot hold ${length}`);
    return new KvState(arena.geometry, length, undefined, arena);
  }

  /** The dense tensors (arena views are copied out first). */
  get tensors(): readonly ort.Tensor[] {
    return this.dense ?? this.frozen().tensors;
  }

  /** Bytes the state's positions take. */
  get bytes(): number {
    const element = this.geometry.elementType === 'float16' ? 2 : 4;
    return 2 * this.geometry.numLayers * this.geometry.numKvHeads * this.length * this.geometry.headDim * element;
  }

  /** A dense state with the same positions: this one when it is dense already. */
  frozen(): KvState {
    if (this.dense) return this;
    return new KvState(this.geometry, this.length, this.arena!.copyOut(this.length));
  }

  /** The first `n` positions (n ≤ length); shares this state when nothing is cut. */
  slice(n: number): KvState {
    if (n === this.length) return this;
    if (n < 0 || n > this.length) throw new RangeError(`cannot slice a KV state of length ${this.length} to ${n}`);
    if (!this.dense) return KvState.inArena(this.arena!, n);
    const { numKvHeads, headDim, elementType } = this.geometry;
    const rowFrom = this.length * headDim;
    const rowTo = n * headDim;
    const tensors = this.dense.map((t) => {
      const src = t.data as KvData;
      const dst = allocateKv(elementType, numKvHeads * rowTo);
      for (let h = 0; h < numKvHeads; h++) dst.set(src.subarray(h * rowFrom, h * rowFrom + rowTo), h * rowTo);
      return makeKvTensor(this.geometry, dst, n);
    });
    return new KvState(this.geometry, n, tensors);
  }
}

export function allocateKv(type: KvElementType, size: number): KvData {
  return type === 'float16' ? new Uint16Array(size) : new Float32Array(size);
}

/** A [1, kvHeads, length, headDim] tensor over `data`. */
export function makeKvTensor(g: KvGeometry, data: KvData, length: number): ort.Tensor {
  return makeBatchKvTensor(g, data, 1, length);
}

/** A [batch, kvHeads, length, headDim] tensor over `data`. */
export function makeBatchKvTensor(g: KvGeometry, data: KvData, batch: number, length: number): ort.Tensor {
  const dims = [batch, g.numKvHeads, length, g.headDim];
  return g.elementType === 'float16' ? new ort.Tensor('float16', data as Uint16Array, dims) : new ort.Tensor('float32', data as Float32Array, dims);
}
