import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { buildCatalog } from '../../../extension/core/backends/catalog';
import { ModelStore, SOURCE_RECORD } from '../../../extension/core/models/store';
import { validateModelFolder } from '../../../extension/core/models/validate';
import { TINY } from '../engine/helpers';

const root = mkdtempSync(join(tmpdir(), 'lathe-catalog-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** The tiny fixture with a chat template added. */
function chatModel(dir: string): string {
  cpSync(TINY, dir, { recursive: true });
  writeFileSync(join(dir, 'chat_template.jinja'), '{% for m in messages %}<{{ m.role }}>{{ m.content }}{% endfor %}<assistant>');
  return dir;
}

describe('validating a folder against the engine contract', () => {
  test('a good folder qualifies and says which roles it fills', () => {
    const check = validateModelFolder(TINY);
    assert.ok(check.ok);
    assert.equal(check.weights.dtype, 'fp32');
    assert.equal(check.roles.completion.ok, true);
    assert.match(check.roles.completion.why, /fill-in-the-middle tokens/);
    assert.equal(check.roles.chat.ok, false);
    assert.match(check.roles.chat.why, /no chat template/);
    const chat = validateModelFolder(chatModel(join(root, 'chatty')));
    assert.ok(chat.ok && chat.roles.chat.ok);
    assert.match(chat.roles.chat.why, /chat_template\.jinja/);
  });

  test('each way a folder fails says what is missing', () => {
    assert.match((validateModelFolder(join(root, 'nope')) as { reason: string }).reason, /does not exist/);
    const empty = join(root, 'empty');
    mkdirSync(empty);
    assert.match((validateModelFolder(empty) as { reason: string }).reason, /config\.json: required file is missing/);
    const noOnnx = join(root, 'no-onnx');
    cpSync(TINY, noOnnx, { recursive: true });
    rmSync(join(noOnnx, 'onnx'), { recursive: true });
    assert.match((validateModelFolder(noOnnx) as { reason: string }).reason, /no onnx\/ directory/);
    const wrongDtype = validateModelFolder(TINY, 'q4');
    assert.equal(wrongDtype.ok, false);
    assert.match((wrongDtype as { reason: string }).reason, /no ONNX weights for dtype 'q4'.*the folder has fp32/);
    const noTokenizer = join(root, 'no-tok');
    cpSync(TINY, noTokenizer, { recursive: true });
    rmSync(join(noTokenizer, 'tokenizer.json'));
    assert.match((validateModelFolder(noTokenizer) as { reason: string }).reason, /tokenizer\.json: required file is missing/);
  });
});

describe('the catalog', () => {
  test('embedded, added folders (broken ones with the reason), downloads and the remote server, each with roles', async () => {
    const store = new ModelStore(join(root, 'store'));
    const chatty = chatModel(join(root, 'folder-chat'));
    await store.addFolder(chatty);
    await store.addFolder(join(root, 'gone'));
    await store.addFolder(chatty); // once only
    const downloaded = join(store.modelsDir, 'org--tiny');
    cpSync(TINY, downloaded, { recursive: true });
    writeFileSync(join(downloaded, SOURCE_RECORD), JSON.stringify({ hub: 'http://hub', repo: 'org/tiny', revision: 'main', dtypes: ['fp32'], files: [], downloadedAt: 'now' }));
    mkdirSync(join(store.incomingDir, 'org--partial'), { recursive: true });

    const { entries, problems } = buildCatalog({ embeddedDir: TINY, stores: [store], dtype: 'auto', remotes: [{ url: 'http://gpu-box:8000/v1', model: 'big', fim: 'qwen' }] });
    assert.deepEqual(problems, []);
    assert.deepEqual(entries.map((e) => [e.kind, e.name]), [
      ['embedded', 'tiny-llama'],
      ['folder', 'folder-chat'],
      ['folder', 'gone'],
      ['downloaded', 'org/tiny'],
      ['remote', 'big'],
    ]);
    const [embedded, chat, gone, dl, remote] = entries;
    // A download chosen in the settings is listed once, as a download.
    const again = buildCatalog({ embeddedDir: TINY, stores: [store], dtype: 'auto', settingsFolders: [downloaded] });
    assert.deepEqual(again.entries.filter((e) => e.choice.kind === 'folder' && e.choice.dir === downloaded).map((e) => e.kind), ['downloaded']);
    assert.deepEqual([embedded.roles.completion.ok, embedded.roles.chat.ok], [true, false]);
    assert.deepEqual([chat.roles.completion.ok, chat.roles.chat.ok], [true, true]);
    assert.match(gone.problem ?? '', /does not exist/);
    assert.deepEqual(gone.roles.completion.ok, false);
    assert.equal(dl.repo, 'org/tiny');
    assert.deepEqual(dl.choice, { kind: 'folder', dir: downloaded });
    assert.deepEqual(remote.choice, { kind: 'server', baseUrl: 'http://gpu-box:8000/v1', model: 'big', fim: 'qwen' });
    assert.equal(remote.roles.chat.ok, true);
    assert.match(remote.roles.chat.why, /the server's \/v1\/chat\/completions/);
    assert.equal(store.find('org/tiny')?.name, 'org--tiny');
    await store.remove('org/tiny');
    assert.deepEqual(store.downloaded(), []);
    await assert.rejects(store.remove('org/tiny'), /no downloaded model called 'org\/tiny'/);
  });

  test('a broken folders.json is reported, not overwritten', async () => {
    const store = new ModelStore(join(root, 'broken'));
    mkdirSync(store.root, { recursive: true });
    writeFileSync(store.foldersFile, '{ "folders": [');
    const { problems } = buildCatalog({ stores: [store], dtype: 'auto' });
    assert.match(problems[0], /folders\.json is not valid JSON/);
    await assert.rejects(store.addFolder(TINY), /folders\.json is not valid JSON/);
    assert.equal(readFileSync(store.foldersFile, 'utf8'), '{ "folders": [');
  });
});
