import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { halfToFloat32 } from '../../../extension/core/engine/worker/float16';
import { floatToHalfBits, timestepTensor, toHalf } from '../../../extension/core/imagegen/tensors';

describe('tensors in the element types an export declares', () => {
  it('float32 → float16 bits round to nearest even and survive the way back', () => {
    assert.equal(floatToHalfBits(1), 0x3c00);
    assert.equal(floatToHalfBits(-2), 0xc000);
    assert.equal(floatToHalfBits(65504), 0x7bff);
    assert.equal(floatToHalfBits(1e6), 0x7c00); // overflow → +Infinity
    assert.equal(floatToHalfBits(2 ** -24), 0x0001); // smallest subnormal
    assert.equal(floatToHalfBits(1 + 2 ** -11), 0x3c00); // halfway → even
    assert.equal(floatToHalfBits(1 + 3 * 2 ** -11), 0x3c02);
    const values = Float32Array.of(0, 0.1, -0.333, 1.5, 999, 6.1e-5, -7.25);
    const back = halfToFloat32(toHalf(values));
    values.forEach((v, i) => assert.ok(Math.abs(back[i] - v) <= Math.abs(v) * 1e-3 + 1e-7, `${v} → ${back[i]}`));
  });

  it('timestep as a scalar, [1] or [batch] in int64, int32, float32 or float16', () => {
    const scalar = timestepTensor('float32', 'scalar', 999, 4);
    assert.deepEqual([scalar.type, scalar.dims, Array.from(scalar.data as Float32Array)], ['float32', [], [999]]);
    const one = timestepTensor('int64', 'one', 499.6, 4);
    assert.deepEqual([one.type, one.dims, Array.from(one.data as BigInt64Array)], ['int64', [1], [500n]]);
    const batch = timestepTensor('float16', 'batch', 1, 3);
    assert.deepEqual([batch.type, batch.dims, Array.from(batch.data as Uint16Array)], ['float16', [3], [0x3c00, 0x3c00, 0x3c00]]);
    const i32 = timestepTensor('int32', 'batch', 2, 2);
    assert.deepEqual([i32.type, Array.from(i32.data as Int32Array)], ['int32', [2, 2]]);
  });
});
