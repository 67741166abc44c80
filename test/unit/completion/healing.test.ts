import assert from 'node:assert/strict';
import { test } from 'node:test';
import { healTail } from '../../../extension/core/completion/healing';
import { fimTemplate } from '../../../extension/core/completion/fimTemplates';
import { detectFim } from '../../../extension/core/models/fim';
import { PlainContextBuilder, type CompletionDocument } from '../../../extension/core/completion/context';
import { CompletionPipeline } from '../../../extension/core/completion/pipeline';
import { ScriptedGenerator } from '../helpers/scriptedGenerator';

test('healTail takes the last pre-token word: identifier, number, punctuation run or whitespace run', () => {
  assert.equal(healTail('    return fo'), ' fo');
  assert.equal(healTail('x = obj.ba'), 'ba');
  assert.equal(healTail('let n = 12'), ' 12');
  assert.equal(healTail('call(a, '), ' ');
  assert.equal(healTail('if (x) {'), ' {');
  assert.equal(healTail('foo();\n    '), '\n    ');
  assert.equal(healTail('a\n\n\t'), '\n\n\t');
  assert.equal(healTail('const café'), ' café');
  assert.equal(healTail('x =>'), ' =>');
  assert.equal(healTail(''), '');
  assert.equal(healTail('word'), 'word');
});

test('healTail leaves a tail longer than 64 characters alone', () => {
  assert.equal(healTail('x\n' + ' '.repeat(80)), '');
  assert.equal(healTail('x ' + 'a'.repeat(70)), '');
});

class HealingGenerator extends ScriptedGenerator {
  override async info() {
    return { ...(await super.info()), tokenHealing: true };
  }
}

const template = fimTemplate(detectFim({
  tokens: new Set(['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|endoftext|>']),
  declared: { prefix: '<|fim_prefix|>', suffix: '<|fim_suffix|>', middle: '<|fim_middle|>' },
})!);

function doc(text: string): CompletionDocument {
  const offset = text.indexOf('|');
  return { uri: 'file:///a.ts', languageId: 'typescript', text: text.replace('|', ''), version: 1, offset, insertSpaces: true, tabSize: 2 };
}

test('pipeline: a generator with token healing gets the partial word as forcePrefix, cut from the prompt', async () => {
  const gen = new HealingGenerator(['mat(x);\n']);
  const r = await new CompletionPipeline(gen, template, new PlainContextBuilder()).complete(doc('return obj.for|\n'));
  assert.equal(gen.requests[0].prompt, '<|fim_prefix|>return obj.<|fim_suffix|>\n<|fim_middle|>');
  assert.equal(gen.requests[0].forcePrefix, 'for');
  // What comes back continues the document's prefix (the forced text is not returned).
  assert.equal(r.completion, 'mat(x);');
  // The result names what was sent, for `bench quality --records`.
  assert.equal(r.prompt, gen.requests[0].prompt);
  assert.equal(r.forcePrefix, 'for');
});

test('pipeline: no forcePrefix for generators without token healing, or when it is switched off', async () => {
  const plain = new ScriptedGenerator(['mat(x);']);
  const r = await new CompletionPipeline(plain, template, new PlainContextBuilder()).complete(doc('return obj.for|\n'));
  assert.equal(plain.requests[0].forcePrefix, undefined);
  assert.equal(plain.requests[0].prompt, '<|fim_prefix|>return obj.for<|fim_suffix|>\n<|fim_middle|>');
  assert.equal(r.forcePrefix, '');
  const off = new HealingGenerator(['mat(x);']);
  await new CompletionPipeline(off, template, new PlainContextBuilder(), { tokenHealing: false }).complete(doc('return obj.for|\n'));
  assert.equal(off.requests[0].forcePrefix, undefined);
});
