/**
 * The KV cache of a beam search: `width` sequences that share a prompt and differ in the tokens
 * after it, run as one batch. Per layer a key and a value buffer [width, kvHeads, capacity,
 * headDim]. Two modes, as for one sequence (kvState.ts):
 * - arena (`capacity` given): for graphs that take partly filled past buffers and return only
 *   the step's own rows (`present_step.*`); a step appends one row per slot;
 * - dense: the buffers are exactly full, and each step's whole `present.*` output replaces them.
 *
 * The prompt's rows are copied into every slot once; re-ranking the beams copies only the rows
 * after the prompt between slots.
 */
import type * as ort from 'onnxruntime-node';
import { allocateKv, makeBatchKvTensor, type KvData, type KvGeometry, type KvState } from './kvState';

export class BeamKv {
  private buffers: KvData[] = [];
  /** Tensors over the whole buffers, fed as past_key_values.* (dims [width, kvHeads, capacity, headDim]). */
  tensors: ort.Tensor[] = [];
  /** Positions each slot holds. */
  length: number;
  /** Positions each slot has room for (dense: `length`). */
  private capacity: number;
  private readonly promptLength: number;
  readonly arena: boolean;

  constructor(
    readonly geometry: KvGeometry,
    readonly width: number,
    prompt: KvState,
    /** Arena mode with room for this many positions; dense without. */
    capacity?: number,
  ) {
    this.arena = capacity !== undefined;
    this.capacity = capacity ?? prompt.length;
    if (prompt.length > this.capacity) throw new RangeError(`beam KV of ${capacity} positions cannot hold a prompt of ${prompt.length}`);
    this.length = this.promptLength = prompt.length;
    const { numKvHeads, headDim } = geometry;
    const dense = prompt.length > 0 ? prompt.tensors : [];
    for (let i = 0; i < geometry.numLayers * 2; i++) {
      const data = allocateKv(geometry.elementType, width * numKvHeads * this.capacity * headDim);
      const src = dense[i]?.data as KvData | undefined;
      if (src) {
        const span = prompt.length * headDim;
        for (let b = 0; b < width; b++) {
          for (let h = 0; h < numKvHeads; h++) data.set(src.subarray(h * span, (h + 1) * span), this.offset(b, h, 0));
        }
      }
      this.buffers.push(data);
      this.tensors.push(makeBatchKvTensor(geometry, data, width, this.capacity));
    }
  }

  /** Dense mode: a step's whole output [width, kvHeads, length + 1, headDim] becomes the cache. */
  replace(present: readonly ort.Tensor[]): void {
    if (this.arena) throw new Error('replace() is for dense beam KV');
    this.tensors = [...present];
    this.buffers = present.map((t) => t.data as KvData);
    this.length++;
    this.capacity = this.length;
  }

  /** Arena mode: appends one step's rows, tensors [width, kvHeads, 1, headDim], one per KV buffer. */
  append(step: readonly ort.Tensor[]): void {
    if (!this.arena) throw new Error('append() is for arena beam KV');
    if (this.length + 1 > this.capacity) throw new RangeError(`beam KV is full (${this.capacity} positions)`);
    const { numKvHeads, headDim } = this.geometry;
    for (let i = 0; i < this.buffers.length; i++) {
      const src = step[i].data as KvData;
      for (let b = 0; b < this.width; b++) {
        for (let h = 0; h < numKvHeads; h++) {
          const from = (b * numKvHeads + h) * headDim;
          this.buffers[i].set(src.subarray(from, from + headDim), this.offset(b, h, this.length));
        }
      }
    }
    this.length++;
  }

  /** Slot j takes the rows after the prompt of slot `parents[j]` (as they were before this call). */
  reorder(parents: readonly number[]): void {
    const rows = this.length - this.promptLength;
    if (rows === 0 || parents.every((p, j) => p === j)) return;
    const { numKvHeads, headDim } = this.geometry;
    const span = rows * headDim;
    for (const data of this.buffers) {
      const saved = parents.map((p) => {
        const copy = allocateKv(this.geometry.elementType, numKvHeads * span);
        for (let h = 0; h < numKvHeads; h++) {
          const at = this.offset(p, h, this.promptLength);
          copy.set(data.subarray(at, at + span), h * span);
        }
        return copy;
      });
      saved.forEach((copy, j) => {
        for (let h = 0; h < numKvHeads; h++) data.set(copy.subarray(h * span, (h + 1) * span), this.offset(j, h, this.promptLength));
      });
    }
  }

  private offset(slot: number, head: number, position: number): number {
    return ((slot * this.geometry.numKvHeads + head) * this.capacity + position) * this.geometry.headDim;
  }
}
