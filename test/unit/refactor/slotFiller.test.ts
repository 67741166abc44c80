/**
 * The slot filler: greedy first then seeded samples at temperature 1, distinct cleaned answers
 * ranked by the engine's logprobs, token healing through forcePrefix, prompts cut to the
 * model's window, and model failures as RefactorError('model'). Also once against a real
 * (tiny, random-weight) ONNX model through the engine.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fimTemplate } from '../../../extension/core/completion/fimTemplates';
import { FAMILY_FIM } from '../../../extension/core/models/fim';
import { readModelFolder } from '../../../extension/core/models/folder';
import { createEngine } from '../../../extension/core/engine/client/engine';
import type { GenerateRequest, GenerateResult, ModelInfo, TextGenerator } from '../../../extension/core/engine/shared/generator';
import { createLogger } from '../../../extension/core/common/logger';
import { RefactorError } from '../../../extension/core/refactor/errors';
import { FimSlotFiller } from '../../../extension/core/refactor/slotFiller';
import { REPO_ROOT } from '../context/helpers';

/** Answers by seed: each answer is a list of [token text, logprob]. */
class FakeGenerator implements TextGenerator {
  readonly requests: GenerateRequest[] = [];
  constructor(
    private readonly answers: Array<Array<[string, number]>>,
    private readonly info0: Partial<ModelInfo> = {},
  ) {}
  async info(): Promise<ModelInfo> {
    return { id: 'fake', contextLength: 4096, vocabSize: 10, hasChatTemplate: false, tokenHealing: true, ...this.info0 };
  }
  async tokenize(text: string): Promise<number[]> {
    return [...text].map((_, i) => i).filter((i) => i % 4 === 0);
  }
  async renderChat(): Promise<string> {
    throw new Error('no chat');
  }
  async generate(req: GenerateRequest): Promise<GenerateResult> {
    this.requests.push(req);
    const answer = this.answers[this.requests.length - 1] ?? [];
    const tokens = answer.map(([text, logprob], i) => ({ text, tokenId: i, logprob }));
    return { text: answer.map(([t]) => t).join(''), tokens, finishReason: 'stop', promptTokens: 1, completionTokens: tokens.length, cachedTokens: 0, timings: { ttftMs: 1, totalMs: 1, decodeTokensPerSecond: 1 } };
  }
}

describe('FimSlotFiller', () => {
  test('distinct accepted answers ranked by total logprob; greedy first, then temperature-1 samples with seeds', async () => {
    const gen = new FakeGenerator([
      [['sum', -1], ['All', -2]],
      [['total', -0.5]],
      [['sum', -1], ['All', -2]],
      [['9x', -0.1]],
      [['count', -4]],
    ]);
    const filler = new FimSlotFiller(gen, fimTemplate(FAMILY_FIM.qwen));
    const out = await filler.fill({ prefix: 'function ', suffix: '(xs) {}', stop: ['('], maxTokens: 8, candidates: 3, seed: 7, accept: (t) => (/^[a-z]\w*$/i.test(t) ? t : undefined) });
    assert.deepEqual(out.map((c) => [c.text, c.logprob]), [['total', -0.5], ['sumAll', -3], ['count', -4]]);
    assert.deepEqual(gen.requests.map((r) => [r.temperature, r.seed]), [[0, 7], [1, 8], [1, 9], [1, 10], [1, 11]]);
    assert.ok(gen.requests.every((r) => r.logprobs === 0 && r.stop?.includes('(') && r.stop.includes('<|endoftext|>')));
    // Token healing: the space before the slot is forced, not left at the end of the prompt.
    assert.equal(gen.requests[0].forcePrefix, ' ');
    assert.ok(gen.requests[0].prompt.includes('<|fim_prefix|>function<|fim_suffix|>'));
  });

  test('mean scoring for prose; the prompt fits a small window, keeping the text nearest the slot', async () => {
    const gen = new FakeGenerator([[['Adds', -1], [' two', -1]], [['It', -0.4], [' adds', -3], [' numbers', -3]]], { contextLength: 64, tokenHealing: false });
    const filler = new FimSlotFiller(gen, fimTemplate(FAMILY_FIM.starcoder));
    const prefix = `${'// filler line\n'.repeat(100)}/**\n * `;
    const out = await filler.fill({ prefix, suffix: `\n */\nfunction add(a, b) {}\n${'x\n'.repeat(200)}`, stop: ['\n'], maxTokens: 8, candidates: 2, scoring: 'mean' });
    assert.deepEqual(out.map((c) => c.text), ['Adds two', 'It adds numbers']);
    const prompt = gen.requests[0].prompt;
    assert.ok(prompt.length < 64 * 4 * 2, `prompt cut to the window (${prompt.length} chars)`);
    assert.ok(prompt.includes('/**\n * <fim_suffix>'), 'the slot keeps its immediate surroundings');
    assert.equal(gen.requests[0].forcePrefix, undefined);
  });

  test('a model that fails is a RefactorError naming the cause', async () => {
    const broken: TextGenerator = { ...new FakeGenerator([]), info: async () => Promise.reject(new Error('config.json is missing')), generate: async () => Promise.reject(new Error('x')), tokenize: async () => [], renderChat: async () => '' };
    await assert.rejects(new FimSlotFiller(broken, fimTemplate(FAMILY_FIM.qwen)).fill({ prefix: 'a', suffix: 'b', stop: [], maxTokens: 4, candidates: 1 }), (err: unknown) => err instanceof RefactorError && err.reason === 'model' && /config\.json is missing/.test(err.message));
  });

  test('against a real ONNX model: candidates carry the engine logprobs, best first', async () => {
    const modelDir = join(REPO_ROOT, 'test', 'fixtures', 'models', 'tiny-llama');
    const fim = readModelFolder(modelDir).fim;
    assert.ok(fim);
    const template = fimTemplate(fim);
    const engine = createEngine({ modelDir, threads: 1, logger: createLogger({ log: () => undefined }, 'test'), workerPath: join(REPO_ROOT, 'extension', 'core', 'engine', 'worker', 'main.ts') });
    try {
      const out = await new FimSlotFiller(engine, template).fill({ prefix: 'def ', suffix: '(a, b):\n    return a + b\n', stop: ['\n'], maxTokens: 6, candidates: 3, seed: 1 });
      assert.ok(out.length >= 1);
      for (const c of out) assert.ok(c.logprob < 0 && c.tokens >= 1 && c.text.length > 0);
      for (let i = 1; i < out.length; i++) assert.ok(out[i - 1].score >= out[i].score);
    } finally {
      engine.dispose();
    }
  });
});
