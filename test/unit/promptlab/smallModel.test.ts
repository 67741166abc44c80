/**
 * Prompt Lab on a small completion-only model (the embedded lathe-code-mini: no chat template,
 * a 384-token window): chat prompts become a transcript it can continue, with stops at the next
 * turn, and the chain-of-thought templates open with max tokens that fit its window.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readModelFolder } from '../../../extension/core/models/folder';
import { describeFit, fitMaxTokens, MIN_ANSWER_TOKENS, QUESTION_ROOM } from '../../../extension/core/promptlab/cot/fit';
import { PromptLab } from '../../../extension/core/promptlab/lab';
import type { PromptParameters } from '../../../extension/core/promptlab/prompty/types';
import { transcript, TRANSCRIPT_STOPS, usesTranscript, withTranscriptStops } from '../../../extension/core/promptlab/roles';
import { FakeGenerator } from './fakeGenerator';

const COT_DIR = join(__dirname, '..', '..', '..', 'media', 'promptlab', 'cot');
const EMBEDDED = readModelFolder(join(__dirname, '..', '..', '..', 'models', 'lathe-code-mini'));

/** A fake model that counts tokens with the embedded model's own tokenizer and window. */
class EmbeddedSized extends FakeGenerator {
  constructor(respond: (prompt: string) => string = () => '') {
    super({ respond, contextLength: EMBEDDED.config.contextLength, hasChatTemplate: false });
  }
  override async tokenize(text: string): Promise<number[]> {
    return EMBEDDED.tokenizer().encode(text);
  }
}

test('a transcript ends where the assistant speaks, or inside an answer the template began', () => {
  assert.equal(transcript([{ role: 'system', content: 'S' }, { role: 'user', content: 'U' }]), 'System: S\n\nUser: U\n\nAssistant:');
  // The zero-shot template ends with "assistant:\nLet's think step by step.": continue that, not a new "Assistant:" turn.
  assert.equal(transcript([{ role: 'user', content: 'Q' }, { role: 'assistant', content: "Let's think step by step." }]), "User: Q\n\nAssistant: Let's think step by step.");
});

test('a transcript run stops at the next turn; chat-template and completion prompts get no extra stops', () => {
  assert.equal(usesTranscript('chat', false), true);
  assert.equal(usesTranscript('chat', true), false);
  assert.equal(usesTranscript('completion', false), false);
  assert.deepEqual(withTranscriptStops({ stop: ['###', '\nUser:'] }, true).stop, ['###', '\nUser:', '\nAssistant:', '\nSystem:']);
  const greedy: PromptParameters = { temperature: 0 };
  assert.deepEqual(withTranscriptStops(greedy, false), { temperature: 0 });
  assert.deepEqual(withTranscriptStops(greedy, true).stop, TRANSCRIPT_STOPS);
});

test('a plain question to the small model is sent as a transcript with stops, and analysis says so', async () => {
  const gen = new EmbeddedSized();
  const lab = new PromptLab(() => gen);
  lab.open('---\nname: ask\n---\nsystem:\nYou are a helpful assistant.\n\nuser:\n{{ question }}\n', undefined, 'ask.prompty');
  const draft = { body: lab.document().body, parameters: { maxTokens: 16 }, values: { question: 'What is the capital of France?' } };
  assert.equal((await lab.analyze(draft)).sentAs, 'transcript');
  await lab.run(draft, () => {});
  assert.match(gen.requests[0].prompt, /^System: You are a helpful assistant\.\n\nUser: What is the capital of France\?\n\nAssistant:$/);
  assert.deepEqual(gen.requests[0].stop, TRANSCRIPT_STOPS);
});

test('fitting: the template keeps its max tokens when they fit, else lowers them, and says when nothing fits', () => {
  assert.deepEqual(fitMaxTokens(256, 100, 4096), { templateMaxTokens: 256, maxTokens: 256, promptTokens: 100, contextLength: 4096, fits: true });
  assert.equal(describeFit(fitMaxTokens(256, 100, 4096)), undefined);
  const small = fitMaxTokens(384, 84, 384);
  assert.equal(small.maxTokens, 384 - 84 - QUESTION_ROOM);
  assert.match(describeFit(small) ?? '', /^Max tokens lowered from 384 to 236, so that the prompt \(84 tokens/);
  const none = fitMaxTokens(384, 360, 384);
  assert.equal(none.fits, false);
  assert.equal(none.maxTokens, MIN_ANSWER_TOKENS);
  assert.match(describeFit(none) ?? '', /no room to reason in/);
});

for (const file of readdirSync(COT_DIR).filter((f) => f.endsWith('.prompty'))) {
  test(`the ${file} template opens fitted to the embedded model's ${EMBEDDED.config.contextLength}-token window`, async () => {
    const lab = new PromptLab(() => new EmbeddedSized());
    const doc = await lab.openTemplate(readFileSync(join(COT_DIR, file), 'utf8'), file);
    const fit = doc.windowFit;
    assert.ok(fit, 'the template was measured');
    assert.equal(fit.fits, true, `${file}: ${describeFit(fit)}`);
    assert.equal(doc.parameters.maxTokens, fit.maxTokens);
    assert.ok(fit.promptTokens + fit.maxTokens + QUESTION_ROOM <= EMBEDDED.config.contextLength, `${file}: ${fit.promptTokens} + ${fit.maxTokens} + ${QUESTION_ROOM}`);
    // The template's own max tokens where the window has room for them, else what the window leaves.
    assert.equal(fit.maxTokens, Math.min(fit.templateMaxTokens, EMBEDDED.config.contextLength - fit.promptTokens - QUESTION_ROOM));
    // With the sample question the draft analyzes without a context warning.
    const analysis = await lab.analyze({ body: doc.body, parameters: doc.parameters, values: doc.values });
    assert.equal(analysis.contextWarning, undefined);
  });
}

test('a template on a model with a large window keeps its own max tokens; a model that cannot be asked leaves it as is', async () => {
  const text = readFileSync(join(COT_DIR, 'zero-shot.prompty'), 'utf8');
  const big = await new PromptLab(() => new FakeGenerator({ respond: () => '', contextLength: 32768 })).openTemplate(text, 'zero-shot.prompty');
  assert.equal(big.parameters.maxTokens, 384);
  assert.equal(big.windowFit?.maxTokens, 384);
  const broken = await new PromptLab(() => {
    throw new Error('no model is available');
  }).openTemplate(text, 'zero-shot.prompty');
  assert.equal(broken.parameters.maxTokens, 384);
  assert.equal(broken.windowFit, undefined);
});
