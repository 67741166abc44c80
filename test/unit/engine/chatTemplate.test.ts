import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { ChatRenderer } from '../../../extension/core/engine/worker/chatTemplate';
import { EngineError } from '../../../extension/core/engine/shared/errors';
import { readModelFolder } from '../../../extension/core/models/folder';
import { copyModel, TINY } from './helpers';

const CHATML =
  "{% for m in messages %}{{ '<|im_start|>' + m['role'] + '\\n' + m['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function withTemplate(template: string): string {
  const { dir, cleanup } = copyModel(TINY);
  cleanups.push(cleanup);
  const file = join(dir, 'tokenizer_config.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  config.chat_template = template;
  writeFileSync(file, JSON.stringify(config));
  return dir;
}

describe('chat template', () => {
  it('renders the model folder’s template with a generation prompt', () => {
    const dir = withTemplate(CHATML);
    const folder = readModelFolder(dir);
    const text = new ChatRenderer(folder.chatTemplate, folder).render([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'hi' },
    ]);
    assert.equal(text, '<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n');
  });

  it('passes bos/eos tokens and prefers chat_template.jinja', () => {
    const dir = withTemplate('ignored');
    writeFileSync(join(dir, 'chat_template.jinja'), '{{ messages[0].content }}{{ eos_token }}');
    const folder = readModelFolder(dir);
    assert.equal(folder.chatTemplate?.file, join(dir, 'chat_template.jinja'));
    assert.equal(new ChatRenderer(folder.chatTemplate, folder).render([{ role: 'user', content: 'q' }]), 'q<|endoftext|>');
  });

  it('falls back to a plain transcript without a template', () => {
    const folder = readModelFolder(TINY);
    assert.equal(folder.chatTemplate, undefined);
    assert.equal(new ChatRenderer(folder.chatTemplate, folder).render([{ role: 'user', content: 'q' }]), 'user: q\nassistant:');
  });

  it('a template that does not parse is an invalid-file error naming tokenizer_config.json', () => {
    const dir = withTemplate('{% for m in messages %}{{ m.content }');
    assert.throws(
      () => { const folder = readModelFolder(dir); return new ChatRenderer(folder.chatTemplate, folder).render([{ role: 'user', content: 'q' }]); },
      (err: unknown) => err instanceof EngineError && err.code === 'invalid-file' && err.message.includes('tokenizer_config.json'),
    );
  });
});
