/**
 * Explain Selection / Refactor with Instruction: a FIM model gets a plain refusal that names
 * the models that can do it and the settings to set; a chat model streams the answer; the code
 * of a rewrite comes out of its fenced block with the selection's indentation.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OpenAiClient } from '../../../extension/core/backends/openaiClient';
import { RefactorError } from '../../../extension/core/refactor/errors';
import { requireChatModel, rewrittenCode, runInstruction } from '../../../extension/core/refactor/instruction';
import { FakeChatServer } from '../helpers/fakeChatServer';
import { ScriptedGenerator } from '../helpers/scriptedGenerator';

describe('instruction tasks', () => {
  test('the embedded FIM model: needs-chat-model, pointing at Select Model\'s chat role and the settings', async () => {
    const fim = new ScriptedGenerator([]);
    fim.info = async () => ({ id: 'lathe-code-mini', contextLength: 384, vocabSize: 12288, hasChatTemplate: false });
    await assert.rejects(requireChatModel(fim, 'explain', 'lathe-code-mini'), (err: unknown) => {
      assert.ok(err instanceof RefactorError && err.reason === 'needs-chat-model');
      assert.match(err.message, /^Explain Selection needs an instruction-following \(chat\) model\. The model in use, lathe-code-mini \(384-token window\)/);
      assert.match(err.message, /Lathe: Select Model → Chat model/);
      assert.match(err.message, /lathe\.chat\.model\.path/);
      return true;
    });
  });

  test('a chat model: the prompt goes through its chat template and the answer streams', async () => {
    const gen = new ScriptedGenerator(['It ', 'adds ', 'two numbers.']);
    await requireChatModel(gen, 'explain', 'scripted');
    const streamed: string[] = [];
    const answer = await runInstruction(gen, { task: 'explain', code: 'a + b', languageId: 'python', fileName: 'm.py', onText: (t) => streamed.push(t) });
    assert.equal(answer, 'It adds two numbers.');
    assert.deepEqual(streamed, ['It ', 'adds ', 'two numbers.']);
    assert.match(gen.requests[0].prompt, /^<system>.*<user>Explain this python code from m\.py:\n\n```python\na \+ b\n```<assistant>$/s);
  });

  test('a server (Ollama, vLLM, LM Studio, llama.cpp): the messages go to its chat endpoint and the answer streams', async () => {
    const fake = await new FakeChatServer().start();
    try {
      fake.options.pieces = ['Sums ', 'a and b.'];
      const client = new OpenAiClient({ baseUrl: fake.base });
      await requireChatModel(client, 'explain', 'chat-model');
      const streamed: string[] = [];
      const answer = await runInstruction(client, { task: 'explain', code: 'a + b', languageId: 'python', fileName: 'm.py', onText: (t) => streamed.push(t) });
      assert.equal(answer, 'Sums a and b.');
      assert.deepEqual(streamed, ['Sums ', 'a and b.']);
      const run = fake.requests.at(-1)!;
      assert.equal(run.path, '/v1/chat/completions');
      const messages = run.body.messages as Array<{ role: string; content: string }>;
      assert.deepEqual(messages.map((m) => m.role), ['system', 'user']);
      assert.match(messages[1].content, /^Explain this python code from m\.py:/);
      assert.ok(!fake.paths().includes('/apply-template'));
    } finally {
      await fake.stop();
    }
  });

  test('rewrite: the first fenced block, indented like the selection; no code is a refusal', () => {
    assert.equal(rewrittenCode('Sure:\n```ts\nconst x = await f();\nreturn x;\n```\nDone.', '    f().then((x) => x);\n'), '    const x = await f();\n    return x;\n');
    assert.equal(rewrittenCode('y = 2', 'x = 1'), 'y = 2');
    assert.throws(() => rewrittenCode('```\n\n```', 'x'), (err: unknown) => err instanceof RefactorError && err.reason === 'no-candidates');
  });
});
