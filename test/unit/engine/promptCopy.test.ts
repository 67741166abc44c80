import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PromptCopy, type PromptCopyOptions } from '../../../extension/core/engine/worker/promptCopy';
import type { ModelRunner } from '../../../extension/core/engine/worker/runner';
import { ids, loadRunner, run, TINY, TINY_QWEN_FUSED } from './helpers';

const V = 12;
const OPTS: PromptCopyOptions = { strength: 4, minMatch: 2, maxMatch: 32 };

function softmax(row: Float32Array): number[] {
  const max = Math.max(...row);
  const e = [...row].map((v) => Math.exp(v - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** Straight from the definition: per prompt position but the last, how many tokens ending there equal the context's end. */
function runLengths(prompt: number[], context: number[], maxMatch: number): number[] {
  return prompt.slice(0, -1).map((_, j) => {
    let k = 0;
    while (k < maxMatch && k <= j && k < context.length && prompt[j - k] === context[context.length - 1 - k]) k++;
    return k;
  });
}

/** The longest run ending the context and at an earlier prompt position, and what followed it. */
function bruteForce(prompt: number[], context: number[], o: PromptCopyOptions): { longest: number; votes: Map<number, number> } {
  const lengths = runLengths(prompt, context, o.maxMatch);
  const longest = Math.max(0, ...lengths);
  const votes = new Map<number, number>();
  lengths.forEach((k, j) => {
    if (k === longest && k > 0) votes.set(prompt[j + 1], (votes.get(prompt[j + 1]) ?? 0) + 1);
  });
  return { longest, votes };
}

/** The first earlier prompt position whose run matches the prompt's end longest. */
function longestRunAt(prompt: number[]): number {
  const lengths = runLengths(prompt, prompt, Infinity);
  return lengths.indexOf(Math.max(...lengths));
}

function expectedMix(logits: Float32Array, prompt: number[], context: number[], o: PromptCopyOptions): number[] {
  const p = softmax(logits);
  const { longest, votes } = bruteForce(prompt, context, o);
  if (longest < o.minMatch) return p;
  const lambda = longest / (longest + o.strength);
  const total = [...votes.values()].reduce((a, b) => a + b, 0);
  return p.map((v, id) => (1 - lambda) * v + (lambda * (votes.get(id) ?? 0)) / total);
}

describe('prompt copy', () => {
  const logits = Float32Array.from({ length: V }, (_, i) => Math.sin(i) * 2);

  it('mixes in the token that followed the run before the cursor, by λ = M / (M + strength)', () => {
    // "5 6" ends the prompt and occurs once before, followed by 7.
    const prompt = [1, 5, 6, 7, 8, 2, 5, 6];
    const copy = PromptCopy.after(prompt, OPTS);
    assert.equal(copy.longest, 2);
    const mixed = softmax(copy.mix(logits));
    const p = softmax(logits);
    assert.ok(Math.abs(mixed[7] - ((4 / 6) * p[7] + 2 / 6)) < 1e-6);
    assert.ok(Math.abs(mixed[3] - (4 / 6) * p[3]) < 1e-6);
    assert.ok(Math.abs(mixed.reduce((a, b) => a + b, 0) - 1) < 1e-6);
    // The cursor moves on by the copied token: the run grows and now predicts 8.
    copy.push(7);
    assert.equal(copy.longest, 3);
    assert.ok(softmax(copy.mix(logits))[8] > 3 / 7);
  });

  it('leaves the logits alone when the run is shorter than minMatch', () => {
    const copy = PromptCopy.after([1, 2, 3, 4, 9], OPTS);
    assert.equal(copy.mix(logits), logits);
    assert.equal(PromptCopy.after([1, 2, 3, 4, 3], OPTS).longest, 1);
    assert.equal(PromptCopy.after([1, 2, 3, 4, 3], OPTS).mix(logits), logits);
  });

  it('splits the copy share between earlier occurrences by their count', () => {
    const prompt = [4, 5, 1, 4, 5, 1, 4, 5, 2, 9, 4, 5];
    const mixed = softmax(PromptCopy.after(prompt, OPTS).mix(logits));
    const want = expectedMix(logits, prompt, prompt, OPTS);
    want.forEach((w, id) => assert.ok(Math.abs(mixed[id] - w) < 1e-6, `token ${id}: ${mixed[id]} vs ${w}`));
    assert.ok(mixed[1] > mixed[2]);
  });

  it('matches the definition on random prompts and continuations, clones independently', () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let trial = 0; trial < 60; trial++) {
      const o: PromptCopyOptions = { strength: 1 + rand(6), minMatch: 1 + rand(3), maxMatch: 3 + rand(6) };
      const prompt = Array.from({ length: 5 + rand(60) }, () => rand(4));
      const copy = PromptCopy.after(prompt, o);
      const context = [...prompt];
      for (let step = 0; step < 6; step++) {
        const { longest } = bruteForce(prompt, context, o);
        assert.equal(copy.longest, longest, `trial ${trial} step ${step}`);
        const mixed = softmax(copy.mix(logits));
        expectedMix(logits, prompt, context, o).forEach((w, id) => assert.ok(Math.abs(mixed[id] - w) < 1e-6));
        const branch = copy.clone();
        branch.push(V - 1);
        assert.equal(copy.longest, longest, 'a clone moves on alone');
        const t = rand(4);
        copy.push(t);
        context.push(t);
      }
    }
  });

  it('copies from other texts too, never across from one text into the next', () => {
    // The prompt ends with "3 4"; only the second source has it, followed by 5.
    const copy = PromptCopy.after([9, 3, 4], OPTS, [[1, 2, 3], [4, 3, 4, 5, 6]]);
    assert.equal(copy.longest, 2);
    const mixed = softmax(copy.mix(logits));
    assert.ok(Math.abs(mixed[5] - ((4 / 6) * softmax(logits)[5] + 2 / 6)) < 1e-6);
    // "3" ends the first source and "4" starts the second: no run of 2 crosses that seam.
    const seam = PromptCopy.after([7, 3, 4], OPTS, [[1, 2, 3], [4, 8]]);
    assert.equal(seam.longest, 1);
    assert.equal(seam.mix(logits), logits);
    // A source that ends with the prompt's own tail votes for nothing (nothing follows there).
    assert.equal(PromptCopy.after([9, 3, 4], OPTS, [[3, 4]]).mix(logits), logits);
  });

  it('refuses options that cannot work', () => {
    assert.throws(() => PromptCopy.after([1, 2], { strength: 0, minMatch: 2, maxMatch: 8 }), /strength > 0/);
    assert.throws(() => PromptCopy.after([1, 2], { strength: 1, minMatch: 4, maxMatch: 2 }), /minMatch ≤ maxMatch/);
  });
});

/** Text that repeats: the second copy stops halfway, so the prompt itself says what comes next. */
const REPEATED = 'let total = compute(first, second) + offset * scale;\nconsole.log(total, first, second);\nlet total = compute(first, second) +';

for (const [name, dir] of [
  ['tiny-llama', TINY],
  ['tiny-qwen-fused', TINY_QWEN_FUSED],
] as const) {
  describe(`prompt copy requests on ${name}`, () => {
    let runner: ModelRunner;
    before(async () => {
      runner = await loadRunner(dir);
    });
    after(() => runner.model.dispose());

    it('continues the repeated text, greedy, with beams and with speculation, deterministically', async () => {
      const base = { prompt: REPEATED, maxTokens: 6, prefixCache: false, speculative: false, logprobs: 0 };
      // What followed the longest earlier run that the prompt ends with.
      const prompt = runner.tokenize(REPEATED);
      const at = longestRunAt(prompt);
      const want = prompt.slice(at + 1, at + 7);
      const plain = await run(runner, base);
      const copied = await run(runner, { ...base, promptCopy: true });
      assert.notDeepEqual(ids(plain), want.slice(0, 6), 'the fixture model alone does not know the continuation');
      assert.deepEqual(ids(copied), want.slice(0, ids(copied).length));
      assert.ok(copied.completionTokens > 0);
      assert.ok(copied.tokens.every((t) => typeof t.logprob === 'number' && t.logprob <= 1e-6));
      assert.deepEqual(ids(await run(runner, { ...base, promptCopy: true, beams: 3 })), ids(copied));
      assert.deepEqual(ids(await run(runner, { ...base, promptCopy: true, speculative: true })), ids(copied));
      assert.deepEqual(ids(await run(runner, { ...base, promptCopy: true })), ids(copied));
    });
  });
}
