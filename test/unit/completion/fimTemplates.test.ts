import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { fimTemplate } from '../../../extension/core/completion/fimTemplates';
import { detectFim, type FimEvidence } from '../../../extension/core/models/fim';
import { readModelFolder } from '../../../extension/core/models/folder';

const detectFimTemplate = (evidence: FimEvidence) => {
  const spec = detectFim(evidence);
  return spec && fimTemplate(spec);
};

const parts = { prefix: 'def f(x):\n    ', suffix: '\n\nprint(f(2))' };
const tokens = (...t: string[]) => ({ tokens: new Set(t) });

test('declared FIM tokens win and give Lathe\'s template with its stops', () => {
  const t = detectFimTemplate({
    tokens: new Set(['<|endoftext|>', '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|file_sep|>']),
    declared: { prefix: '<|fim_prefix|>', suffix: '<|fim_suffix|>', middle: '<|fim_middle|>', fileSeparator: '<|file_sep|>' },
  })!;
  assert.equal(t.family, 'lathe');
  assert.equal(t.build(parts), '<|fim_prefix|>def f(x):\n    <|fim_suffix|>\n\nprint(f(2))<|fim_middle|>');
  assert.deepEqual([...t.stop].sort(), ['<|endoftext|>', '<|file_sep|>']);
  assert.equal(
    t.build({ ...parts, context: 'import os', filePath: 'a.py' }),
    '<|file_sep|>import os<|file_sep|>a.py\n<|fim_prefix|>def f(x):\n    <|fim_suffix|>\n\nprint(f(2))<|fim_middle|>',
  );
});

test('each family is recognised from its tokens, whatever the model is called', () => {
  const cases: Array<[string[], string, string]> = [
    [['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|file_sep|>', '<|repo_name|>'], 'qwen', '<|fim_prefix|>P<|fim_suffix|>S<|fim_middle|>'],
    [['<fim_prefix>', '<fim_suffix>', '<fim_middle>', '<file_sep>'], 'starcoder', '<fim_prefix>P<fim_suffix>S<fim_middle>'],
    [['<｜fim▁begin｜>', '<｜fim▁hole｜>', '<｜fim▁end｜>'], 'deepseek', '<｜fim▁begin｜>P<｜fim▁hole｜>S<｜fim▁end｜>'],
    [['▁<PRE>', '▁<SUF>', '▁<MID>', '▁<EOT>'], 'codellama', '<PRE> P <SUF>S <MID>'],
    [['[SUFFIX]', '[PREFIX]', '[MIDDLE]'], 'codestral', '[SUFFIX]S[PREFIX]P'],
    [['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|file_separator|>'], 'codegemma', '<|fim_prefix|>P<|fim_suffix|>S<|fim_middle|>'],
  ];
  for (const [toks, family, prompt] of cases) {
    const t = detectFimTemplate(tokens(...toks));
    assert.ok(t, family);
    assert.equal(t.family, family);
    assert.equal(t.build({ prefix: 'P', suffix: 'S' }), prompt, family);
    assert.ok(t.stop.length > 0);
  }
});

test('a model without FIM tokens has no template', () => {
  assert.equal(detectFimTemplate(tokens('<s>', '</s>')), undefined);
});

test('the fixture model folder declares Lathe\'s FIM tokens', () => {
  const fim = readModelFolder(join(__dirname, '..', '..', 'fixtures', 'models', 'tiny-llama')).fim;
  assert.deepEqual(fim?.tokens, { prefix: '<|fim_prefix|>', suffix: '<|fim_suffix|>', middle: '<|fim_middle|>', fileSeparator: '<|file_sep|>' });
  assert.ok(fim?.stop.includes('<|endoftext|>'));
  assert.equal(fim?.declared, true);
  assert.equal(fim && fimTemplate(fim).family, 'lathe');
});

test('a user order applies to declared tokens only; other families keep theirs', () => {
  const declared = { prefix: '<|fim_prefix|>', suffix: '<|fim_suffix|>', middle: '<|fim_middle|>' };
  const lathe = detectFim({ tokens: new Set(['<|endoftext|>']), declared, order: 'spm' })!;
  assert.equal(fimTemplate(lathe, 'psm').build({ prefix: 'P', suffix: 'S' }), '<|fim_prefix|>P<|fim_suffix|>S<|fim_middle|>');
  const qwen = detectFim({ tokens: new Set(['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|file_sep|>']) })!;
  assert.equal(fimTemplate(qwen, 'spm').build({ prefix: 'P', suffix: 'S' }), '<|fim_prefix|>P<|fim_suffix|>S<|fim_middle|>');
});

test('suffix-first order puts the prefix last, so typing only appends to the prompt', () => {
  const declared = { prefix: '<|fim_prefix|>', suffix: '<|fim_suffix|>', middle: '<|fim_middle|>' };
  const t = detectFimTemplate({ tokens: new Set(['<|endoftext|>']), declared, order: 'spm' })!;
  const a = t.build({ prefix: 'x = fo', suffix: '\nprint(x)' });
  const b = t.build({ prefix: 'x = foo', suffix: '\nprint(x)' });
  assert.equal(a, '<|fim_prefix|><|fim_suffix|>\nprint(x)<|fim_middle|>x = fo');
  assert.ok(b.startsWith(a));
});
