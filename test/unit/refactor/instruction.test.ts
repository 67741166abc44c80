/**
 * Explain Selection / Refactor with Instruction: a FIM model gets a plain refusal that names
 * the models that can do it and the settings to set; a chat model streams the answer; the code
 * of a rewrite comes out of its fenced block with the selection's indentation.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RefactorError } from '../../../extension/core/refactor/errors';
import { requireChatModel, rewrittenCode, runInstruction } from '../../../extension/core/refactor/instruction';
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

  test('rewrite: the first fenced block, indented like the selection; no code is a refusal', () => {
    assert.equal(rewrittenCode('Sure:\n```ts\nconst x = await f();\nreturn x;\n```\nDone.', '    f().then((x) => x);\n'), '    const x = await f();\n    return x;\n');
    assert.equal(rewrittenCode('y = 2', 'x = 1'), 'y = 2');
    assert.throws(() => rewrittenCode('```\n\n```', 'x'), (err: unknown) => err instanceof RefactorError && err.reason === 'no-candidates');
  });
});
