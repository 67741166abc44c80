/**
 * `${file:…}` in a prompt reads only inside the workspace folders (or, with none, the prompt's
 * own folder), after symlinks are resolved; a refusal shows nothing of the target.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveInScope, OutsideScopeError } from '../../../extension/core/common/fs/scope';
import { PromptLabError } from '../../../extension/core/promptlab/errors';
import { PromptLab } from '../../../extension/core/promptlab/lab';
import { parsePrompty } from '../../../extension/core/promptlab/prompty/parse';
import { FakeGenerator } from './fakeGenerator';

const SECRET = '{"password": "hunter2-root:x:0:0"}';

/** ws/prompts/p.prompty, ws/data/sample.json, and outside/secret.json (+ a non-JSON secret). */
function layout() {
  const base = mkdtempSync(join(tmpdir(), 'lathe-refs-'));
  const ws = join(base, 'ws');
  const outside = join(base, 'outside');
  mkdirSync(join(ws, 'prompts'), { recursive: true });
  mkdirSync(join(ws, 'data'));
  mkdirSync(outside);
  writeFileSync(join(ws, 'data', 'sample.json'), '{"q": "from the workspace"}');
  writeFileSync(join(ws, 'prompts', 'local.json'), '{"q": "next to the prompt"}');
  writeFileSync(join(ws, 'prompts', 'broken.json'), 'root:x:0:0:root:/root:/bin/bash');
  writeFileSync(join(outside, 'secret.json'), SECRET);
  writeFileSync(join(outside, 'passwd'), 'root:x:0:0:root:/root:/bin/bash\n');
  symlinkSync(join(outside, 'secret.json'), join(ws, 'prompts', 'link.json'));
  symlinkSync(outside, join(ws, 'prompts', 'linkdir'));
  return { ws, outside, prompt: join(ws, 'prompts', 'p.prompty') };
}

const prompty = (ref: string) => `---\nname: p\nsample: \${file:${ref}}\n---\nuser:\n{{ q }}\n`;

function refusal(text: string, path: string, roots?: string[]): PromptLabError {
  try {
    parsePrompty(text, path, { roots });
  } catch (err) {
    assert.ok(err instanceof PromptLabError, String(err));
    return err;
  }
  assert.fail('expected the reference to be refused');
}

test('relative, absolute and symlinked references outside the workspace are refused without showing the target', () => {
  const { ws, outside, prompt } = layout();
  const refs = ['../../outside/secret.json', join(outside, 'secret.json'), join(outside, 'passwd'), 'link.json', 'linkdir/secret.json', '/etc/passwd'];
  for (const ref of refs) {
    const e = refusal(prompty(ref), prompt, [ws]);
    assert.match(e.message, new RegExp(`p\\.prompty:3: sample: \\$\\{file:${ref.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\} is outside the folder .*: not read$`));
    assert.doesNotMatch(e.message, /hunter2|root:x|password/);
  }
});

test('inside the workspace folders a reference is read; with no workspace only the prompt folder is', () => {
  const { ws, prompt } = layout();
  assert.deepEqual(parsePrompty(prompty('../data/sample.json'), prompt, { roots: [ws] }).spec.sample, { q: 'from the workspace' });
  assert.deepEqual(parsePrompty(prompty('local.json'), prompt).spec.sample, { q: 'next to the prompt' });
  const e = refusal(prompty('../data/sample.json'), prompt);
  assert.match(e.message, /is outside the folder .*prompts: not read/);
});

test('a file that is not JSON is reported by position, never by its content', () => {
  const { ws, prompt } = layout();
  const e = refusal(prompty('broken.json'), prompt, [ws]);
  assert.match(e.message, /sample: cannot read \$\{file:broken\.json\}: it is not valid JSON/);
  assert.doesNotMatch(e.message, /root|bash/);
  assert.match(refusal(prompty('missing.json'), prompt, [ws]).message, /cannot read \$\{file:missing\.json\}: no such file$/);
});

test('resolveInScope checks the path as written and after symlinks', () => {
  const { ws, outside } = layout();
  assert.equal(resolveInScope('data/sample.json', ws, [ws]), join(ws, 'data', 'sample.json'));
  assert.throws(() => resolveInScope('prompts/link.json', ws, [ws]), OutsideScopeError);
  assert.throws(() => resolveInScope('../outside/secret.json', ws, [ws]), OutsideScopeError);
  assert.equal(resolveInScope(join(outside, 'secret.json'), ws, [ws, outside]), join(outside, 'secret.json'), 'a second workspace folder is allowed');
  assert.throws(() => resolveInScope('data/../../outside/secret.json', ws, [ws]), OutsideScopeError);
});

test('Prompt Lab opens a prompt with the workspace folders as the allowed roots', () => {
  const { ws, prompt } = layout();
  const lab = new PromptLab(() => new FakeGenerator({ respond: () => '' }), { roots: () => [ws] });
  assert.equal(lab.open(prompty('../data/sample.json'), prompt, 'p.prompty').values.q, 'from the workspace');
  assert.throws(() => lab.open(prompty('link.json'), prompt, 'p.prompty'), /is outside the folder .*: not read/);
});
