import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readModelFolder } from '../../../extension/core/models/folder';
import { modelCapability } from '../../../extension/core/promptlab/capability';
import { copyModel, TINY } from '../engine/helpers';

const EMBEDDED = join(__dirname, '..', '..', '..', 'models', 'lathe-code-mini');
const cleanups: Array<() => void> = [];
after(() => cleanups.forEach((c) => c()));

test('the embedded model reads as a completion-only FIM model, with a note that says what that means and what to do', () => {
  const folder = readModelFolder(EMBEDDED);
  const c = modelCapability({ kind: 'folder', folder });
  assert.equal(c.chat, false);
  assert.equal(c.fim, true);
  assert.equal(c.contextLength, folder.config.contextLength);
  assert.equal(c.summary, `completion only · fill-in-the-middle · ${folder.config.contextLength}-token window`);
  assert.match(c.note ?? '', /^lathe-code-mini is a small code-completion model without a chat template: .*cannot follow instructions/);
  assert.match(c.note ?? '', /plain-text transcript that it continues/);
  assert.match(c.note ?? '', /choose a chat model/);
});

test('a folder with a chat template is a chat model, and gets no note', () => {
  const { dir, cleanup } = copyModel(TINY);
  cleanups.push(cleanup);
  const before = modelCapability({ kind: 'folder', folder: readModelFolder(dir) });
  assert.equal(before.chat, false);
  writeFileSync(join(dir, 'chat_template.jinja'), '{% for m in messages %}{{ m.content }}{% endfor %}');
  const c = modelCapability({ kind: 'folder', folder: readModelFolder(dir) });
  assert.equal(c.chat, true);
  assert.equal(c.note, undefined);
  assert.match(c.summary, /^chat( · |$)/);
});

test('a server is a chat model unless it says it has no chat template; an unreadable model claims nothing', () => {
  assert.deepEqual(modelCapability({ kind: 'server', name: 'qwen', fim: false }), { chat: true, fim: false, contextLength: undefined, summary: 'chat' });
  assert.equal(modelCapability({ kind: 'server', name: 'qwen', fim: true, contextLength: 8192 }).summary, 'chat · fill-in-the-middle · 8192-token window');
  const plain = modelCapability({ kind: 'server', name: 'base', fim: false, chatTemplate: false, contextLength: 32768 });
  assert.equal(plain.chat, false);
  assert.match(plain.note ?? '', /^base is a text-completion model without a chat template/);
  const unknown = modelCapability({ kind: 'unknown', name: 'broken' });
  assert.equal(unknown.chat, false);
  assert.equal(unknown.note, undefined);
});
