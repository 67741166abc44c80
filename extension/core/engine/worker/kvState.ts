/**
 * The KV cache of one sequence: per layer a key and a value tensor [1, kvHeads, length, headDim]
 * in the element type the graph declares (float32, or float16 carried as raw Uint16 bits).
 * Tensors are never written after creation, so states can be shared between the live request
 * and the prefix cache; `slice` copies the first n positions along the sequence axis.
 */
import * as ort from 'onnxruntime-node';

export type KvElementType = 'float32' | 'float16';
type KvData = Float32Array | Uint16Array;

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
    /** 2 × numLayers tensors: layer 0 key, layer 0 value, layer 1 key, ... */
    readonly tensors: readonly ort.Tensor[],
  ) {}

  static empty(geometry: KvGeometry): KvState {
    const tensors: ort.Tensor[] = [];
    for (let i = 0; i < geometry.numLayers * 2; i++) tensors.push(makeTensor(geometry, allocate(geometry.elementType, 0), 0));
    return new KvState(geometry, 0, tensors);
  }

  static fromTensors(geometry: KvGeometry, tensors: readonly ort.Tensor[]): KvState {
    const length = tensors[0]?.dims[2] ?? 0;
    return new KvState(geometry, length, tensors);
  }

  /** Bytes held by the tensors. */
  get bytes(): number {
    const element = this.geometry.elementType === 'float16' ? 2 : 4;
    return this.tensors.length * this.geometry.numKvHeads * this.length * this.geometry.headDim * element;
  }

  /** The first `n` positions (n ≤ length); shares this state when nothing is cut. */
  slice(n: number): KvState {
    if (n === this.length) return this;
    if (n < 0 || n > this.length) throw new RangeError(`cannot slice a KV state of length ${this.length} to ${n}`);
    const { numKvHeads, headDim, elementType } = this.geometry;
    const rowFrom = this.length * headDim;
    const rowTo = n * headDim;
    const tensors = this.tensors.map((t) => {
      const src = t.data as KvData;
      const dst = allocate(elementType, numKvHeads * rowTo);
      for (let h = 0; h < numKvHeads; h++) dst.set(src.subarray(h * rowFrom, h * rowFrom + rowTo), h * rowTo);
      return makeTensor(this.geometry, dst, n);
    });
    return new KvState(this.geometry, n, tensors);
  }
}

function allocate(type: KvElementType, size: number): KvData {
  return type === 'float16' ? new Uint16Array(size) : new Float32Array(size);
}

function makeTensor(g: KvGeometry, data: KvData, length: number): ort.Tensor {
  const dims = [1, g.numKvHeads, length, g.headDim];
  return g.elementType === 'float16' ? new ort.Tensor('float16', data as Uint16Array, dims) : new ort.Tensor('float32', data as Float32Array, dims);
}
