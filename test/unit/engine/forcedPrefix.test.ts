import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ForcedPrefix, TokenTexts } from '../../../extension/core/engine/worker/forcedPrefix';
import type { ModelRunner } from '../../../extension/core/engine/worker/runner';
import { Rng } from '../../../extension/core/common/rng';
import { Sampler, SeenTokens, type ResolvedSampling } from '../../../extension/core/engine/worker/sampling';
import { readModelFolder } from '../../../extension/core/models/folder';
import { CODE_PROMPT, ids, loadRunner, run, TINY } from './helpers';

const GREEDY: ResolvedSampling = { greedy: true, temperature: 1, topK: 0, topP: 1, minP: 0, repetitionPenalty: 1 };

describe('forced prefix (token healing)', () => {
  const tokenizer = readModelFolder(TINY).tokenizer();
  const texts = new TokenTexts(tokenizer, tokenizer.size);
  const encode = (t: string) => tokenizer.encode(t);

  it('candidates are the tokens that agree with the text to force, never special tokens', () => {
    const c = texts.candidates(' re').map((id) => texts.text(id));
    assert.deepEqual(new Set(c), new Set([' ', ' re', ' return', ' r']));
    assert.deepEqual(texts.candidates(''), []);
    for (const id of tokenizer.specialIds) assert.equal(texts.text(id), undefined);
  });

  it('picks the best allowed token even when a forbidden one has the highest logit, until the text is covered', () => {
    const forced = new ForcedPrefix(' re', texts, encode);
    const logits = new Float32Array(tokenizer.size);
    const x = tokenizer.tokenToId('x')!;
    const ret = tokenizer.tokenToId('Ġreturn')!;
    logits[x] = 10;
    logits[ret] = 5;
    const sampler = new Sampler(GREEDY, Rng.fromSeed(1), undefined);
    assert.equal(forced.active, true);
    assert.equal(forced.pick(logits, sampler, new SeenTokens(tokenizer.size, [])).id, ret);
    assert.equal(forced.active, false);
  });

  it("a line start's indentation is not deepened, and its trailing space goes with the code's first token", () => {
    const sampler = new Sampler(GREEDY, Rng.fromSeed(1), undefined);
    const seen = new SeenTokens(tokenizer.size, []);
    const id = (text: string) => {
      const found = [...Array(tokenizer.size).keys()].find((i) => texts.text(i) === text);
      assert.notEqual(found, undefined, JSON.stringify(text));
      return found!;
    };
    const logits = new Float32Array(tokenizer.size);
    logits[id('\n      ')] = 10; // deeper than the line's 3 spaces
    logits[id('\n   ')] = 9; // ends exactly on the trailing space
    logits[id(' ')] = 8;
    logits[id('  ')] = 7;
    logits[id('\n  ')] = 5;
    logits[id(' return')] = 4;
    const forced = new ForcedPrefix('\n   ', texts, encode);
    const got = [forced.pick(logits, sampler, seen).id];
    while (forced.active) got.push(forced.pick(logits, sampler, seen).id);
    assert.deepEqual(got.map((i) => texts.text(i)), ['\n  ', ' return'], 'as "\\n   return" encodes');
    // A model that prefers a shorter indentation token still gets the tokenizer's split.
    logits[id('\n ')] = 20;
    const again = new ForcedPrefix('\n   ', texts, encode);
    assert.equal(texts.text(again.pick(logits, sampler, seen).id), '\n  ');
    // With tabs nothing is left over: the model continues freely after the forced indentation.
    const tabs = new ForcedPrefix('\n\t', texts, encode);
    const tabIds: number[] = [];
    while (tabs.active) tabIds.push(tabs.pick(logits, sampler, seen).id);
    assert.equal(tabIds.map((i) => texts.text(i)).join(''), '\n\t');
    assert.deepEqual(encode('\n   return').map((i) => texts.text(i)), ['\n  ', ' return'], 'the tokenizer itself splits there');
    // Mid-line, whitespace the user typed is not a line's indentation: any agreeing token may follow.
    const mid = new ForcedPrefix(' ', texts, encode);
    assert.equal(texts.text(mid.pick(logits, sampler, seen).id), ' ');
  });

  it('falls back to the plain encoding when no token agrees', () => {
    const forced = new ForcedPrefix('漢', texts, encode);
    const sampler = new Sampler(GREEDY, Rng.fromSeed(1), undefined);
    const logits = new Float32Array(tokenizer.size);
    const got: number[] = [];
    while (forced.active) got.push(forced.pick(logits, sampler, new SeenTokens(tokenizer.size, [])).id);
    assert.deepEqual(got, encode('漢'));
  });

  describe('in the runner', () => {
    let runner: ModelRunner;
    before(async () => {
      runner = await loadRunner(TINY);
    });
    after(() => runner.model.dispose());

    /** A text that exactly one token can start, so the forced token is known. */
    function uniqueToken(after: string): { text: string; id: number } {
      for (const text of ['\t', 'q', 'z', 'k', 'j', 'v', 'w', 'y', 'u', 'o']) {
        const c = texts.candidates(text);
        const base = runner.tokenize(after);
        const joined = runner.tokenize(after + text);
        if (c.length === 1 && joined.length === base.length + 1 && joined[joined.length - 1] === c[0]) return { text, id: c[0] };
      }
      throw new Error('the fixture vocabulary has no single-token text to force');
    }

    it('greedy output with a forced token equals output with that token at the end of the prompt', async () => {
      const { text } = uniqueToken(CODE_PROMPT);
      const forced = await run(runner, { prompt: CODE_PROMPT, forcePrefix: text, maxTokens: 16, prefixCache: false, speculative: false });
      const appended = await run(runner, { prompt: CODE_PROMPT + text, maxTokens: 16, prefixCache: false, speculative: false });
      assert.deepEqual(ids(forced), ids(appended));
      assert.equal(forced.text, appended.text);
      assert.equal(forced.completionTokens, appended.completionTokens, 'forced tokens are not counted');
    });

    it('stop sequences apply after the forced text, and speculation does not change the output', async () => {
      const plain = await run(runner, { prompt: CODE_PROMPT, forcePrefix: '\n', stop: ['\n'], maxTokens: 24, prefixCache: false, speculative: false });
      const spec = await run(runner, { prompt: CODE_PROMPT, forcePrefix: '\n', stop: ['\n'], maxTokens: 24, prefixCache: false, speculative: true });
      assert.deepEqual(ids(spec), ids(plain));
      assert.ok(!plain.text.startsWith('\n'));
      // The forced newline did not end the request: it stopped at a later newline, EOS or the limit.
      assert.ok(plain.completionTokens > 0 || plain.finishReason !== 'stop');
      const streamed: string[] = [];
      const r = await runner.generate({ prompt: CODE_PROMPT, forcePrefix: ' re', maxTokens: 12 }, { isAborted: () => false, onToken: (e) => streamed.push(e.text) });
      assert.equal(streamed.join(''), r.text);
    });
  });
});
