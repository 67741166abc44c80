/**
 * Prompt Lab with a chat prompt on a server: the messages go to the server's chat endpoint
 * (its template), on servers without /apply-template (Ollama, vLLM, LM Studio) as on llama.cpp
 * server; the prompt shown and counted is the server's rendering where it offers one, else a
 * transcript with an estimated count. Completion prompts still go to /v1/completions.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { OpenAiClient } from '../../../extension/core/backends/openaiClient';
import { generatePrepared, preparePrompt } from '../../../extension/core/promptlab/prompt';
import { parsePrompty } from '../../../extension/core/promptlab/prompty/parse';
import { FakeChatServer } from '../helpers/fakeChatServer';

const fake = new FakeChatServer();
before(() => fake.start());
after(() => fake.stop());
beforeEach(() => {
  fake.requests.length = 0;
  fake.options = { pieces: ['Four', '.'], llamaExtras: false };
});

const CHAT = '---\nmodel:\n  parameters:\n    max_tokens: 16\n    temperature: 0.5\n---\nsystem:\nBe brief.\nuser:\nAdd {{ a }} and two\n';
const origin = { file: 'p.prompty', line: 7 };

test('a server without /apply-template: the run sends the messages to its chat endpoint; the count is an estimate', async () => {
  const client = new OpenAiClient({ baseUrl: fake.base });
  const { spec } = parsePrompty(CHAT, 'p.prompty');
  const prepared = await preparePrompt(client, spec, origin, { a: 'two' });
  assert.equal(prepared.chat, true);
  assert.equal(prepared.text, 'System: Be brief.\n\nUser: Add two and two\n\nAssistant:');
  assert.equal(prepared.promptTokens, Math.ceil(prepared.text.length / 4));
  assert.equal(prepared.estimated, false);
  const tokens: string[] = [];
  const r = await generatePrepared(client, prepared, spec.model.parameters, (e) => tokens.push(e.text));
  assert.equal(r.text, 'Four.');
  assert.deepEqual(tokens, ['Four', '.']);
  assert.equal(r.tokens[0].top?.length, 2, 'the heatmap gets the server\'s logprobs');
  const run = fake.requests.find((q) => q.path === '/v1/chat/completions')!;
  assert.deepEqual(run.body.messages, [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Add two and two' },
  ]);
  assert.deepEqual([run.body.max_tokens, run.body.temperature], [16, 0.5]);
  // The missing endpoints are asked once, not at every analysis.
  await preparePrompt(client, spec, origin, { a: 'three' });
  assert.equal(fake.paths().filter((p) => p === '/apply-template').length, 1);
  assert.equal(fake.paths().filter((p) => p === '/tokenize').length, 1);
  assert.equal(fake.paths().filter((p) => p === '/v1/completions').length, 0);
});

test('llama.cpp server: the prompt shown and counted is its own rendering; the run still goes through its chat endpoint', async () => {
  fake.options.llamaExtras = true;
  const client = new OpenAiClient({ baseUrl: fake.base });
  const { spec } = parsePrompty(CHAT, 'p.prompty');
  const prepared = await preparePrompt(client, spec, origin, { a: 'two' });
  assert.equal(prepared.text, '<|system|>Be brief.<|user|>Add two and two<|assistant|>');
  assert.equal(prepared.promptTokens, prepared.text.length);
  await generatePrepared(client, prepared, spec.model.parameters);
  assert.deepEqual(fake.paths().slice(-1), ['/v1/chat/completions']);
});

test('a completion prompt on a server is still a plain completion', async () => {
  fake.options.llamaExtras = true;
  const client = new OpenAiClient({ baseUrl: fake.base });
  const { spec } = parsePrompty('---\nmodel:\n  api: completion\n---\ndef add(a, b):\n', 'c.prompty');
  const prepared = await preparePrompt(client, spec, origin, {});
  assert.equal(prepared.chat, false);
  await generatePrepared(client, prepared, spec.model.parameters);
  const run = fake.requests.at(-1)!;
  assert.equal(run.path, '/v1/completions');
  assert.equal(run.body.prompt, 'def add(a, b):');
});
