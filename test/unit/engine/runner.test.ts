import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ModelRunner } from '../../../extension/core/engine/worker/runner';
import { CODE_PROMPT, ids, loadRunner, run, TINY, TINY_KEEP } from './helpers';

for (const [name, dir] of [
  ['tiny-llama (position_ids)', TINY],
  ['tiny-llama-keep (num_logits_to_keep)', TINY_KEEP],
] as const) {
  describe(`generation on ${name}`, () => {
    let runner: ModelRunner;
    before(async () => {
      runner = await loadRunner(dir);
    });
    after(() => runner.model.dispose());

    it('loads the model folder and reports its info', () => {
      const info = runner.info();
      assert.equal(info.contextLength, 512);
      assert.equal(info.vocabSize, 461);
      assert.deepEqual(info.fim, { prefix: '<|fim_prefix|>', suffix: '<|fim_suffix|>', middle: '<|fim_middle|>', fileSeparator: '<|file_sep|>' });
      assert.deepEqual(runner.model.config.eosTokenIds, [456, 460]);
      assert.equal(runner.model.onnx.dtype, 'fp32');
      assert.deepEqual(runner.tokenize('<|fim_prefix|>'), [457]);
    });

    it('greedy decoding is deterministic and streams the text it returns', async () => {
      const streamed: string[] = [];
      const a = await runner.generate({ prompt: CODE_PROMPT, maxTokens: 24, prefixCache: false, speculative: false }, {
        isAborted: () => false,
        onToken: (e) => streamed.push(e.text),
      });
      const b = await run(runner, { prompt: CODE_PROMPT, maxTokens: 24, prefixCache: false, speculative: false });
      assert.deepEqual(ids(a), ids(b));
      assert.equal(streamed.join(''), a.text);
      assert.equal(a.promptTokens, runner.tokenize(CODE_PROMPT).length);
      assert.ok(a.completionTokens > 0 && a.completionTokens <= 24);
      assert.ok(['length', 'eos'].includes(a.finishReason));
    });

    it('prefix cache: greedy output with the cache equals output without, token for token', async () => {
      runner.clearCache();
      const plain = await run(runner, { prompt: CODE_PROMPT + '    return a', maxTokens: 32, prefixCache: false, speculative: false });
      await run(runner, { prompt: CODE_PROMPT, maxTokens: 8, speculative: false });
      const cached = await run(runner, { prompt: CODE_PROMPT + '    return a', maxTokens: 32, speculative: false });
      assert.ok(cached.cachedTokens > 0, 'the second request should reuse the first one’s prefix');
      assert.ok(cached.cachedTokens < cached.promptTokens);
      assert.deepEqual(ids(cached), ids(plain));
      // The same prompt again reuses all but the last prompt token.
      const again = await run(runner, { prompt: CODE_PROMPT + '    return a', maxTokens: 32, speculative: false });
      assert.equal(again.cachedTokens, again.promptTokens - 1);
      assert.deepEqual(ids(again), ids(plain));
    });

    it('maxTokens 0 warms the prefix cache without generating', async () => {
      runner.clearCache();
      const warm = await run(runner, { prompt: CODE_PROMPT + 'z = 0\n', maxTokens: 0 });
      assert.equal(warm.completionTokens, 0);
      assert.equal(warm.cachedTokens, 0);
      const next = await run(runner, { prompt: CODE_PROMPT + 'z = 0\n', maxTokens: 4 });
      assert.equal(next.cachedTokens, next.promptTokens - 1);
    });

    it('speculation: greedy output with prompt lookup equals plain greedy, and drafts get accepted', async () => {
      let accepted = 0;
      // Random weights rarely repeat themselves; over these prompts both fixtures accept some drafts.
      for (const prompt of [CODE_PROMPT, 'x = 1\ny = 2\nx = 1\n', 'return', 'foo(bar)']) {
        const plain = await run(runner, { prompt, maxTokens: 200, prefixCache: false, speculative: false });
        const spec = await run(runner, { prompt, maxTokens: 200, prefixCache: false, speculative: true });
        assert.deepEqual(ids(spec), ids(plain), `speculation changed the output for ${JSON.stringify(prompt)}`);
        assert.equal(spec.text, plain.text);
        assert.equal(spec.finishReason, plain.finishReason);
        assert.ok(spec.speculation);
        accepted += spec.speculation.accepted;
      }
      assert.ok(accepted > 0, 'no draft token was ever accepted: the verification path was not exercised');
    });

    it('a prompt prefilled in several chunks generates what one chunk does', async () => {
      const whole = await run(runner, { prompt: CODE_PROMPT, maxTokens: 24, prefixCache: false, speculative: false });
      const chunked = await loadRunner(dir);
      try {
        Object.defineProperty(chunked.model, 'prefillChunk', { value: 7 });
        const r = await run(chunked, { prompt: CODE_PROMPT, maxTokens: 24, prefixCache: false, speculative: false });
        assert.deepEqual(ids(r), ids(whole));
      } finally {
        await chunked.model.dispose();
      }
    });

    it('speculation stops at the same place as plain greedy with stops and token limits', async () => {
      for (const prompt of ['return', 'foo(bar)']) {
        const free = await run(runner, { prompt, maxTokens: 120, prefixCache: false, speculative: false });
        const stop = free.text.slice(Math.floor(free.text.length / 2), Math.floor(free.text.length / 2) + 2);
        for (const extra of [{ stop: [stop] }, { maxTokens: 37 }]) {
          const p = { prompt, maxTokens: 120, prefixCache: false, ...extra };
          const plain = await run(runner, { ...p, speculative: false });
          const spec = await run(runner, { ...p, speculative: true });
          assert.deepEqual(ids(spec), ids(plain));
          assert.equal(spec.text, plain.text);
          assert.equal(spec.finishReason, plain.finishReason);
        }
      }
    });

    it('speculation keeps per-token logprobs equal to plain greedy', async () => {
      const plain = await run(runner, { prompt: 'x = 1\ny = 2\nx = 1\n', maxTokens: 20, prefixCache: false, speculative: false, logprobs: 2 });
      const spec = await run(runner, { prompt: 'x = 1\ny = 2\nx = 1\n', maxTokens: 20, prefixCache: false, speculative: true, logprobs: 2 });
      assert.deepEqual(ids(spec), ids(plain));
      for (let i = 0; i < plain.tokens.length; i++) {
        assert.ok(Math.abs(plain.tokens[i].logprob! - spec.tokens[i].logprob!) < 1e-3);
        assert.equal(spec.tokens[i].top?.length, 2);
      }
    });

    it('seeded sampling is reproducible and differs across seeds', async () => {
      const p = { prompt: CODE_PROMPT, maxTokens: 24, temperature: 1.2, topP: 0.95, topK: 50, seed: 11 };
      const a = await run(runner, p);
      const b = await run(runner, p);
      const c = await run(runner, { ...p, seed: 12 });
      assert.deepEqual(ids(a), ids(b));
      assert.notDeepEqual(ids(a), ids(c));
    });

    it('stop sequences end the output and are not included', async () => {
      const free = await run(runner, { prompt: CODE_PROMPT, maxTokens: 40, speculative: false });
      assert.ok(free.text.length >= 4, 'the fixture should produce some text');
      const stop = free.text.slice(2, 4);
      const stopped = await run(runner, { prompt: CODE_PROMPT, maxTokens: 40, stop: [stop], speculative: false });
      assert.equal(stopped.finishReason, 'stop');
      assert.equal(stopped.text, free.text.slice(0, free.text.indexOf(stop)));
      assert.ok(!stopped.text.includes(stop));
    });

    it('honours maxTokens, maxTimeMs and EOS from generation_config', async () => {
      const one = await run(runner, { prompt: CODE_PROMPT, maxTokens: 1 });
      assert.equal(one.completionTokens, 1);
      assert.equal(one.finishReason, 'length');
      const none = await run(runner, { prompt: CODE_PROMPT, maxTokens: 0, prefixCache: false });
      assert.equal(none.completionTokens, 0);
      const timed = await run(runner, { prompt: CODE_PROMPT, maxTokens: 400, maxTimeMs: 1e-6 });
      assert.equal(timed.finishReason, 'time');
      assert.equal(timed.completionTokens, 1);
      // A seed/temperature that reaches an EOS id ends with finishReason 'eos' and the EOS as last token.
      let eos;
      for (let seed = 0; seed < 200 && !eos; seed++) {
        const r = await run(runner, { prompt: 'x', maxTokens: 64, temperature: 1.5, seed });
        if (r.finishReason === 'eos') eos = r;
      }
      assert.ok(eos, 'no sampled run reached an EOS token');
      assert.ok([456, 460].includes(eos.tokens[eos.tokens.length - 1].tokenId));
    });

    it('stops between steps when aborted', async () => {
      let steps = 0;
      const r = await runner.generate({ prompt: CODE_PROMPT, maxTokens: 200, speculative: false }, {
        isAborted: () => steps >= 3,
        onToken: () => steps++,
      });
      assert.equal(r.finishReason, 'abort');
      assert.equal(r.completionTokens, 3);
    });
  });
}
