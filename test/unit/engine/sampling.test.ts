import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../../extension/core/common/rng';
import { argmax, resolveSampling, Sampler, SeenTokens, topIndices, type ResolvedSampling } from '../../../extension/core/engine/worker/sampling';

const base: ResolvedSampling = { greedy: false, temperature: 1, topK: 0, topP: 1, minP: 0, repetitionPenalty: 1 };
const logits = () => Float32Array.from([1, 3, 2, 0.5, 2.9, -1, 0, 2.95]);

function draws(params: ResolvedSampling, seed: number, n: number): number[] {
  const sampler = new Sampler(params, new Rng(seed), undefined);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(sampler.pick(logits(), new SeenTokens(8, [])).id);
  return out;
}

describe('sampling', () => {
  it('is deterministic for a seed and varies across seeds', () => {
    assert.deepEqual(draws(base, 42, 50), draws(base, 42, 50));
    assert.notDeepEqual(draws(base, 42, 50), draws(base, 43, 50));
  });

  it('greedy picks the argmax regardless of the rng', () => {
    const g = { ...base, greedy: true };
    assert.deepEqual(new Set(draws(g, 1, 20)), new Set([1]));
    assert.equal(argmax(logits()), 1);
  });

  it('top-k keeps only the k most likely tokens', () => {
    const seen = new Set(draws({ ...base, topK: 2 }, 7, 300));
    assert.deepEqual([...seen].sort(), [1, 7]);
  });

  it('top-p keeps the smallest set reaching the mass', () => {
    // Probabilities of ids 1, 7, 4 are about 0.27, 0.26, 0.24: p=0.5 keeps two of them.
    const seen = new Set(draws({ ...base, topP: 0.5 }, 9, 300));
    assert.deepEqual([...seen].sort(), [1, 7]);
    const wider = new Set(draws({ ...base, topP: 0.7 }, 9, 300));
    assert.deepEqual([...wider].sort(), [1, 4, 7]);
  });

  it('min-p drops tokens below a fraction of the best probability', () => {
    // e^2/e^3 ≈ 0.37: min-p 0.5 keeps ids whose logit is within ln 2 of the max.
    const seen = new Set(draws({ ...base, minP: 0.5 }, 3, 300));
    assert.deepEqual([...seen].sort(), [1, 4, 7]);
  });

  it('low temperature concentrates on the argmax, high temperature spreads out', () => {
    const cold = draws({ ...base, temperature: 0.002 }, 5, 100);
    assert.ok(cold.every((id) => id === 1));
    const hot = new Set(draws({ ...base, temperature: 5 }, 5, 300));
    assert.ok(hot.size >= 6, `hot sampling reached only ${hot.size} ids`);
  });

  it('repetition penalty demotes tokens already seen', () => {
    const sampler = new Sampler({ ...base, greedy: true, repetitionPenalty: 2 }, new Rng(1), undefined);
    assert.equal(sampler.pick(logits(), new SeenTokens(8, [1])).id, 7);
    assert.equal(sampler.pick(logits(), new SeenTokens(8, [1, 7])).id, 4);
  });

  it('reports logprobs that form a distribution and sorted alternatives', () => {
    const sampler = new Sampler({ ...base, greedy: true }, new Rng(1), 3);
    const choice = sampler.pick(logits(), new SeenTokens(8, []));
    assert.equal(choice.id, 1);
    assert.deepEqual(choice.top?.map((t) => t.id), [1, 7, 4]);
    const probs = [...logits()].map((l) => Math.exp(l));
    const z = probs.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(choice.logprob! - Math.log(probs[1] / z)) < 1e-6);
  });

  it('uses generation_config defaults only when it asks for sampling', () => {
    assert.equal(resolveSampling({}, { doSample: false, temperature: 0.7 }).greedy, true);
    const s = resolveSampling({}, { doSample: true, temperature: 0.7, topP: 0.9 });
    assert.deepEqual([s.greedy, s.temperature, s.topP], [false, 0.7, 0.9]);
    assert.equal(resolveSampling({ temperature: 0 }, { doSample: true, temperature: 0.7 }).greedy, true);
  });

  it('topIndices returns the k largest, largest first', () => {
    assert.deepEqual(topIndices(logits(), 4), [1, 7, 4, 2]);
    assert.deepEqual(topIndices(Float32Array.from([5, 5, 1]), 2), [0, 1]);
  });
});
