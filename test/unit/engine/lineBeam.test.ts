import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ForcedPrefix, TokenTexts } from '../../../extension/core/engine/worker/forcedPrefix';
import { searchLine, type BeamStepper } from '../../../extension/core/engine/worker/lineBeam';
import type { ModelRunner } from '../../../extension/core/engine/worker/runner';
import { readModelFolder } from '../../../extension/core/models/folder';
import { CODE_PROMPT, ids, loadRunner, run, TINY, TINY_QWEN_FUSED } from './helpers';

const tokenizer = readModelFolder(TINY).tokenizer();
const texts = new TokenTexts(tokenizer, tokenizer.size);
const id = (text: string): number => {
  const found = [...Array(tokenizer.size).keys()].find((i) => texts.text(i) === text);
  assert.notEqual(found, undefined, JSON.stringify(text));
  return found!;
};

/**
 * Logits whose softmax is `probs` (by token text); what is left is shared by the tokens that do
 * not end a line, so a line ends only where a test says so.
 */
function row(probs: Record<string, number>): Float32Array {
  const given = Object.values(probs).reduce((a, b) => a + b, 0);
  const filler = [...Array(tokenizer.size).keys()].filter((i) => {
    const t = texts.text(i);
    return t !== undefined && !t.includes('\n') && !(t in probs);
  });
  const out = new Float32Array(tokenizer.size).fill(-Infinity);
  for (const i of filler) out[i] = Math.log((1 - given) / filler.length);
  for (const [t, p] of Object.entries(probs)) out[id(t)] = Math.log(p);
  return out;
}

/** A model given as "next-token distribution after this text"; unknown texts get `fallback`. */
function fakeModel(table: Record<string, Record<string, number>>, fallback: Record<string, number>) {
  let lines: string[] = [''];
  const calls: number[][] = [];
  const stepper: BeamStepper = {
    advance: async (parents, tokens) => {
      calls.push([...parents]);
      lines = tokens.map((t, i) => lines[parents[i]] + texts.text(t)!);
      return lines.map((l) => row(table[l] ?? fallback));
    },
  };
  return { first: row(table[''] ?? fallback), stepper, calls };
}

const base = { texts, forcedText: '', eosTokenIds: [tokenizer.size - 1], isAborted: () => false };
const lineOf = (choices: readonly { id: number }[]) => choices.map((c) => texts.text(c.id) ?? '').join('');

describe('beam search over one line', () => {
  it('finds the likelier whole line that greedy decoding walks past', async () => {
    // Greedy takes "x" (0.5) and then wanders (no continuation above 0.1); "y" (0.4) is then
    // almost surely the end of the line: P("y\n") = 0.36 beats any line through "x".
    const { first, stepper } = fakeModel(
      { '': { x: 0.5, y: 0.4 }, y: { '\n': 0.9 }, x: { z: 0.1, '\n': 0.05 } },
      { z: 0.1, '\n': 0.05 },
    );
    const r = await searchLine(first, stepper, { ...base, width: 2, maxTokens: 8 });
    assert.equal(r.finished, true);
    assert.equal(lineOf(r.choices), 'y\n');
    assert.ok(Math.abs(r.choices.reduce((s, c) => s + c.logprob!, 0) - Math.log(0.36)) < 1e-4);
  });

  it('counts every newline-led token as one ending of the line', async () => {
    // "\n" and "\n  " (0.3 each) together end "a" at 0.6: "a" + ending (0.54) beats "ab\n" (0.31),
    // which would win if each newline token counted alone (0.27).
    const { first, stepper } = fakeModel({ '': { a: 0.9 }, a: { b: 0.35, '\n': 0.3, '\n  ': 0.3 }, ab: { '\n': 0.99 } }, { c: 0.2 });
    const r = await searchLine(first, stepper, { ...base, width: 3, maxTokens: 8 });
    assert.equal(r.finished, true);
    assert.equal(lineOf(r.choices.slice(0, -1)), 'a');
    assert.ok(texts.text(r.choices.at(-1)!.id)!.startsWith('\n'));
    assert.ok(Math.abs(r.choices.at(-1)!.logprob! - Math.log(0.3)) < 1e-4, 'the token taken reports its own log-probability, as greedy decoding would');
  });

  it('compares lines per token (lengthAlpha), so a long line of likely tokens beats a short unlikely one', async () => {
    // "s\n": 0.4 × 0.5 = 0.2 over 2 tokens (−0.80 per token). "abcde\n": 0.6 × 0.7⁴ × 0.9 = 0.13 over
    // 6 tokens (−0.34 per token): a lower total, as a long line copied from an open file has.
    const table = { '': { a: 0.6, s: 0.4 }, s: { '\n': 0.5 }, a: { b: 0.7 }, ab: { c: 0.7 }, abc: { d: 0.7 }, abcd: { e: 0.7 }, abcde: { '\n': 0.9 } };
    const search = (lengthAlpha: number) => {
      const { first, stepper } = fakeModel(table, { z: 0.01 });
      return searchLine(first, stepper, { ...base, width: 2, maxTokens: 12, lengthAlpha });
    };
    assert.equal(lineOf((await search(0)).choices), 's\n', 'by total log-probability the short line wins');
    const perToken = await search(1);
    assert.equal(perToken.finished, true);
    assert.equal(lineOf(perToken.choices), 'abcde\n');
    assert.ok(Math.abs(perToken.choices.reduce((s, c) => s + c.logprob!, 0) - Math.log(0.6 * 0.7 ** 4 * 0.9)) < 1e-4);
    await assert.rejects(search(-1), /lengthAlpha must be ≥ 0/);
  });

  it('never ends a line that has no code, and stops once nothing can beat the best line', async () => {
    const { first, stepper, calls } = fakeModel({ '': { '\n': 0.6, ' ': 0.2, q: 0.19 }, q: { '\n': 0.99 }, ' ': { '\n': 0.99 } }, { z: 0.01 });
    const r = await searchLine(first, stepper, { ...base, width: 2, maxTokens: 20 });
    assert.equal(lineOf(r.choices), 'q\n', 'an empty or blank line is not a suggestion');
    assert.ok(calls.length <= 3, `stopped early (${calls.length} steps)`);
  });

  it('keeps to the forced text (token healing) and returns the best partial line at the token limit', async () => {
    const { first, stepper } = fakeModel({ '': { x: 0.9, ' ': 0.05, ' r': 0.04 } }, { x: 0.9 });
    const forced = new ForcedPrefix(' r', texts, (t) => tokenizer.encode(t));
    const r = await searchLine(first, stepper, { ...base, forced, forcedText: ' r', width: 2, maxTokens: 3 });
    assert.equal(r.finished, false);
    assert.ok(lineOf(r.choices).startsWith(' r'), lineOf(r.choices));
    assert.equal(r.choices.length, 3);
    assert.equal(forced.active, true, "the caller's constraint is not consumed by the search");
    // As in greedy decoding, a forced step's log-probability is over the tokens it allows.
    assert.ok(Math.abs(r.choices[0].logprob! - Math.log(0.04 / 0.09)) < 1e-2, `${r.choices[0].logprob}`);
  });

  it('an abort returns at once with what it has', async () => {
    const { first, stepper, calls } = fakeModel({}, { x: 0.5 });
    const r = await searchLine(first, stepper, { ...base, width: 2, maxTokens: 30, isAborted: () => calls.length >= 2 });
    assert.equal(r.finished, false);
    assert.ok(calls.length === 2);
  });
});

for (const [name, dir] of [
  ['tiny-llama (dense KV)', TINY],
  ['tiny-qwen-fused (KV arena)', TINY_QWEN_FUSED],
] as const) {
  describe(`beam requests on ${name}`, () => {
    let runner: ModelRunner;
    before(async () => {
      runner = await loadRunner(dir);
    });
    after(() => runner.model.dispose());

    it('batched beam steps give each line the logits it would get alone', async () => {
      const model = runner.model;
      const prompt = runner.tokenize(CODE_PROMPT);
      const { kv } = await model.step(prompt, model.emptyKv(), 1);
      const lines = [[11, 12], [13, 14], [11, 15]];
      const beams = model.beamKv(kv, 3, prompt.length + 4);
      await model.stepBeams([11, 13, 11], beams);
      // Line 2 continues line 0's first token ("11"); the slots are re-ranked as beam search does.
      beams.reorder([0, 1, 0]);
      const got = await model.stepBeams([12, 14, 15], beams);
      for (let i = 0; i < lines.length; i++) {
        const alone = await model.step([...prompt, ...lines[i]], model.emptyKv(), 1);
        const diff = Math.max(...got[i].map((v, j) => Math.abs(v - alone.logits[0][j])));
        assert.ok(diff < 1e-3, `line ${i}: max |logit diff| ${diff}`);
      }
    });

    it('beams: 1 is greedy decoding, and a beam request is deterministic and ends its line', async () => {
      const params = { prompt: CODE_PROMPT, maxTokens: 24, stop: ['\n'], prefixCache: false, speculative: false, logprobs: 0 };
      const greedy = await run(runner, params);
      assert.deepEqual(ids(await run(runner, { ...params, beams: 1 })), ids(greedy));
      const a = await run(runner, { ...params, beams: 4 });
      const b = await run(runner, { ...params, beams: 4 });
      assert.deepEqual(ids(a), ids(b));
      assert.ok(!a.text.includes('\n'));
      assert.ok(a.tokens.every((t) => typeof t.logprob === 'number' && t.logprob <= 1e-6));
      // Multi-line requests go on greedily after the searched line.
      const multi = await run(runner, { ...params, stop: [], maxTokens: 40, beams: 4 });
      assert.ok(multi.completionTokens > a.completionTokens || multi.finishReason === 'eos');
    });

    it('rejects a beam count out of range', async () => {
      await assert.rejects(run(runner, { prompt: CODE_PROMPT, maxTokens: 4, beams: 9 }), /beams must be an integer from 1 to 8/);
      await assert.rejects(run(runner, { prompt: CODE_PROMPT, maxTokens: 4, beams: 0 }), /beams must be an integer from 1 to 8/);
    });
  });
}
