import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alphasCumprod, betas } from '../../../extension/core/imagegen/schedulers/noiseSchedule';
import { DdimScheduler } from '../../../extension/core/imagegen/schedulers/ddim';
import { EulerScheduler } from '../../../extension/core/imagegen/schedulers/euler';
import { LcmScheduler, lcmTimesteps } from '../../../extension/core/imagegen/schedulers/lcm';
import { createScheduler } from '../../../extension/core/imagegen/schedulers/index';
import { inferenceTimesteps } from '../../../extension/core/imagegen/schedulers/timesteps';
import { schedulerConfig } from './helpers';

const close = (actual: number, expected: number, tol = 1e-5) =>
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${actual} != ${expected}`);

// Four training steps with betas 0.1, 0.2, 0.3, 0.4: ᾱ = 0.9, 0.72, 0.504, 0.3024.
const TINY = {
  num_train_timesteps: 4,
  beta_start: 0.1,
  beta_end: 0.4,
  beta_schedule: 'linear',
  steps_offset: 0,
  set_alpha_to_one: true,
  clip_sample: false,
};
const ACP = [0.9, 0.72, 0.504, 0.3024];
const one = (v: number) => Float32Array.of(v);
const noNoise = () => {
  throw new Error('this step must not draw noise');
};

describe('noise schedule', () => {
  it('linear, scaled_linear and squaredcos_cap_v2 betas follow their formulas', () => {
    assert.deepEqual(betas(schedulerConfig(TINY)).map((b) => +b.toFixed(12)), [0.1, 0.2, 0.3, 0.4]);
    const scaled = betas(schedulerConfig({ num_train_timesteps: 3, beta_start: 0.01, beta_end: 0.04, beta_schedule: 'scaled_linear' }));
    // √0.01 = 0.1 … √0.04 = 0.2 → 0.1, 0.15, 0.2 squared
    [0.01, 0.0225, 0.04].forEach((b, i) => close(scaled[i], b));
    const cos = betas(schedulerConfig({ num_train_timesteps: 2, beta_schedule: 'squaredcos_cap_v2' }));
    const abar = (t: number) => Math.cos(((t + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
    close(cos[0], 1 - abar(0.5) / abar(0));
    close(cos[1], 0.999); // 1 − ᾱ(1)/ᾱ(0.5) ≈ 1, capped
    const acp = alphasCumprod(schedulerConfig(TINY));
    ACP.forEach((a, i) => close(acp[i], a));
  });
});

describe('timestep spacing', () => {
  const sd = schedulerConfig({ num_train_timesteps: 1000, steps_offset: 1, timestep_spacing: 'leading' });
  it('leading: multiples of ⌊N/n⌋ plus steps_offset', () => {
    assert.deepEqual(inferenceTimesteps(sd, 4, true), [751, 501, 251, 1]);
    assert.deepEqual(inferenceTimesteps(sd, 3, true), [667, 334, 1]);
  });
  it('trailing: from N−1 down in steps of N/n, halves rounded to even like numpy', () => {
    const t = schedulerConfig({ num_train_timesteps: 1000, timestep_spacing: 'trailing' });
    assert.deepEqual(inferenceTimesteps(t, 4, true), [999, 749, 499, 249]);
    // 1000 − 3 · 62.5 = 812.5 rounds to 812 (even), then − 1
    assert.equal(inferenceTimesteps(t, 16, true)[3], 811);
  });
  it('linspace: evenly spaced from N−1 to 0, fractional for Euler, rounded for DDIM', () => {
    const l = schedulerConfig({ num_train_timesteps: 1000, timestep_spacing: 'linspace' });
    assert.deepEqual(inferenceTimesteps(l, 3, false), [999, 499.5, 0]);
    assert.deepEqual(inferenceTimesteps(l, 3, true), [999, 500, 0]);
  });
  it('a single step starts from the last training timestep whatever the spacing (the SD-Turbo path)', () => {
    assert.deepEqual(inferenceTimesteps(sd, 1, true), [999]);
    const euler = new EulerScheduler(sd, 1);
    assert.deepEqual(euler.timesteps, [999]);
    assert.equal(euler.sigmas.at(-1), 0);
    close(euler.initNoiseSigma, euler.sigmas[0]);
  });
  it('LCM picks floor-spaced points of its original grid', () => {
    const lcm = schedulerConfig({ num_train_timesteps: 1000, original_inference_steps: 50 });
    assert.deepEqual(lcmTimesteps(lcm, 4), [999, 759, 499, 259]);
    assert.deepEqual(lcmTimesteps(schedulerConfig({ ...TINY, original_inference_steps: 2 }), 2), [3, 1]);
  });
});

describe('DDIM step', () => {
  it('epsilon: x0 = (x − √(1−ᾱ_t) ε)/√ᾱ_t, x_prev = √ᾱ_prev x0 + √(1−ᾱ_prev) ε', () => {
    const s = new DdimScheduler(schedulerConfig(TINY), 2);
    assert.deepEqual(s.timesteps, [2, 0]);
    const r = s.step(one(0.5), 0, one(1), noNoise);
    const x0 = (1 - Math.sqrt(1 - 0.504) * 0.5) / Math.sqrt(0.504);
    close(r.predOriginal[0], x0);
    close(r.prevSample[0], Math.sqrt(0.9) * x0 + Math.sqrt(0.1) * 0.5);
    // the last step goes past t = 0: ᾱ_prev = 1 (set_alpha_to_one), so x_prev = x0
    const last = s.step(one(0.5), 1, one(1), noNoise);
    close(last.prevSample[0], (1 - Math.sqrt(0.1) * 0.5) / Math.sqrt(0.9));
  });
  it('v-prediction: x0 = √ᾱ x − √(1−ᾱ) v, ε = √ᾱ v + √(1−ᾱ) x', () => {
    const s = new DdimScheduler(schedulerConfig({ ...TINY, prediction_type: 'v_prediction' }), 2);
    const r = s.step(one(0.5), 0, one(1), noNoise);
    const a = Math.sqrt(0.504);
    const b = Math.sqrt(0.496);
    const x0 = a * 1 - b * 0.5;
    const eps = a * 0.5 + b * 1;
    close(r.predOriginal[0], x0);
    close(r.prevSample[0], Math.sqrt(0.9) * x0 + Math.sqrt(0.1) * eps);
  });
  it('set_alpha_to_one false uses ᾱ₀ after the last step; clip_sample clamps x0', () => {
    const s = new DdimScheduler(schedulerConfig({ ...TINY, set_alpha_to_one: false, clip_sample: true }), 2);
    const r = s.step(one(-3), 1, one(1), noNoise); // t = 0: x0 = (1 + 3√0.1)/√0.9 ≈ 2.05 → clipped to 1
    close(r.predOriginal[0], 1);
    close(r.prevSample[0], Math.sqrt(0.9) * 1 + Math.sqrt(0.1) * -3);
  });
});

describe('Euler steps', () => {
  const cfg = schedulerConfig({ ...TINY, timestep_spacing: 'trailing' });
  const s3 = Math.sqrt((1 - 0.3024) / 0.3024);
  const s1 = Math.sqrt((1 - 0.72) / 0.72);
  it('σ from ᾱ at the timesteps, input scaled by 1/√(σ²+1), x ← x + (x − x0)/σ · (σ_next − σ)', () => {
    const e = new EulerScheduler(cfg, 2);
    assert.deepEqual(e.timesteps, [3, 1]);
    close(e.sigmas[0], s3);
    close(e.sigmas[1], s1);
    close(e.initNoiseSigma, s3); // trailing: the largest σ
    close(e.scaleModelInput(one(2), 0)[0], 2 / Math.sqrt(s3 * s3 + 1));
    const r = e.step(one(0.5), 0, one(1), noNoise);
    close(r.predOriginal[0], 1 - s3 * 0.5);
    close(r.prevSample[0], 1 + 0.5 * (s1 - s3));
    const last = e.step(one(0.5), 1, one(1), noNoise);
    close(last.prevSample[0], 1 - s1 * 0.5); // σ_next = 0 lands on x0
  });
  it('leading spacing starts from √(σ_max² + 1)', () => {
    const e = new EulerScheduler(schedulerConfig({ ...TINY, timestep_spacing: 'leading' }), 2);
    assert.deepEqual(e.timesteps, [2, 0]);
    const smax = Math.sqrt((1 - 0.504) / 0.504);
    close(e.initNoiseSigma, Math.sqrt(smax * smax + 1));
  });
  it('fractional timesteps interpolate σ linearly', () => {
    const e = new EulerScheduler(schedulerConfig({ ...TINY, timestep_spacing: 'linspace' }), 3);
    assert.deepEqual(e.timesteps, [3, 1.5, 0]);
    const sig = (a: number) => Math.sqrt((1 - a) / a);
    close(e.sigmas[1], (sig(0.72) + sig(0.504)) / 2);
  });
  it('v-prediction: x0 = x/(σ²+1) − σ v/√(σ²+1)', () => {
    const e = new EulerScheduler(schedulerConfig({ ...TINY, timestep_spacing: 'trailing', prediction_type: 'v_prediction' }), 2);
    const r = e.step(one(0.5), 0, one(1), noNoise);
    const c = s3 * s3 + 1;
    const x0 = 1 / c - (s3 * 0.5) / Math.sqrt(c);
    close(r.predOriginal[0], x0);
    close(r.prevSample[0], 1 + ((1 - x0) / s3) * (s1 - s3));
  });
  it('ancestral: σ↑ = √(σ_next²(σ²−σ_next²)/σ²), σ↓ = √(σ_next² − σ↑²), x ← x + d(σ↓ − σ) + σ↑ z', () => {
    const e = createScheduler('euler-a', cfg, 2);
    const r = e.step(one(0.5), 0, one(1), (n) => new Float32Array(n).fill(0.3));
    const up = Math.sqrt((s1 * s1 * (s3 * s3 - s1 * s1)) / (s3 * s3));
    const down = Math.sqrt(s1 * s1 - up * up);
    close(r.prevSample[0], 1 + 0.5 * (down - s3) + 0.3 * up);
    // the last step (σ_next = 0) adds no noise
    const last = e.step(one(0.5), 1, one(1), noNoise);
    close(last.prevSample[0], 1 - s1 * 0.5);
  });
});

describe('LCM step', () => {
  const cfg = schedulerConfig({ ...TINY, original_inference_steps: 2, timestep_scaling: 10 });
  it('denoised = c_out x0 + c_skip x, re-noised to the next timestep; the last step returns denoised', () => {
    const s = new LcmScheduler(cfg, 2);
    assert.deepEqual(s.timesteps, [3, 1]);
    const r = s.step(one(0.5), 0, one(1), (n) => new Float32Array(n).fill(0.3));
    const x0 = (1 - Math.sqrt(1 - 0.3024) * 0.5) / Math.sqrt(0.3024);
    const cSkip = 0.25 / (30 * 30 + 0.25);
    const cOut = 30 / Math.sqrt(30 * 30 + 0.25);
    const denoised = cOut * x0 + cSkip * 1;
    close(r.predOriginal[0], denoised);
    close(r.prevSample[0], Math.sqrt(0.72) * denoised + Math.sqrt(0.28) * 0.3);
    const last = s.step(one(0.5), 1, one(1), noNoise);
    const x0Last = (1 - Math.sqrt(0.28) * 0.5) / Math.sqrt(0.72);
    const b = s.boundary(1);
    close(b.cSkip, 0.25 / (100 + 0.25));
    close(last.prevSample[0], b.cOut * x0Last + b.cSkip * 1);
  });
});
