/**
 * Tensors in the element types an export declares: token ids as int32 or int64, latents and
 * embeddings as float32 or float16 (fp16 exports take IEEE half bits in a Uint16Array), the
 * timestep as any numeric type and as a scalar, [1] or [batch].
 */
import * as ort from 'onnxruntime-node';
import { halfToFloat32 } from '../engine/worker/float16';
import { ImageGenError } from './errors';

export type FloatType = 'float32' | 'float16';
export type IdType = 'int32' | 'int64';
export type TimestepType = 'int64' | 'int32' | 'float32' | 'float16' | 'float64';
/** How the graph wants the timestep: a scalar, one value, or one per batch item. */
export type TimestepShape = 'scalar' | 'one' | 'batch';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 → IEEE half bits, rounding to nearest even; overflow becomes ±Infinity. */
export function floatToHalfBits(v: number): number {
  f32[0] = v;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const m = mant | 0x800000;
    const shift = 14 - e;
    let half = m >>> shift;
    const rem = m & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rem > halfway || (rem === halfway && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  return sign | half;
}

export function toHalf(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = floatToHalfBits(values[i]);
  return out;
}

export function floatTensor(type: FloatType, data: Float32Array, dims: readonly number[]): ort.Tensor {
  return type === 'float16' ? new ort.Tensor('float16', toHalf(data), dims) : new ort.Tensor('float32', data, dims);
}

/** A float32 view of a float32 or float16 output. */
export function readFloats(tensor: ort.Tensor, what: string): Float32Array {
  if (tensor.type === 'float32') return tensor.data as Float32Array;
  if (tensor.type === 'float16') return halfToFloat32(tensor.data as Uint16Array);
  throw new ImageGenError('model-mismatch', `${what} has element type ${tensor.type}; expected float32 or float16`);
}

export function idsTensor(type: IdType, rows: readonly (readonly number[])[]): ort.Tensor {
  const seq = rows[0]?.length ?? 0;
  const flat = rows.flat();
  const data = type === 'int64' ? BigInt64Array.from(flat, (v) => BigInt(v)) : Int32Array.from(flat);
  return new ort.Tensor(type, data, [rows.length, seq]);
}

/** The timestep for a UNet call over `batch` items. Integer types get the rounded timestep. */
export function timestepTensor(type: TimestepType, shape: TimestepShape, t: number, batch: number): ort.Tensor {
  const n = shape === 'batch' ? batch : 1;
  const dims = shape === 'scalar' ? [] : [n];
  switch (type) {
    case 'int64':
      return new ort.Tensor('int64', new BigInt64Array(n).fill(BigInt(Math.round(t))), dims);
    case 'int32':
      return new ort.Tensor('int32', new Int32Array(n).fill(Math.round(t)), dims);
    case 'float32':
      return new ort.Tensor('float32', new Float32Array(n).fill(t), dims);
    case 'float64':
      return new ort.Tensor('float64', new Float64Array(n).fill(t), dims);
    case 'float16':
      return new ort.Tensor('float16', new Uint16Array(n).fill(floatToHalfBits(t)), dims);
  }
}
