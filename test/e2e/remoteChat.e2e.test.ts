/**
 * A chat model on a server (Ollama, vLLM, LM Studio, llama.cpp server): Explain Selection sends
 * the messages to the server's /v1/chat/completions, which applies the model's own chat
 * template, and the answer streams into the explanation beside the code. The server here is a
 * loopback fake speaking the OpenAI chat streaming format; the completion model stays embedded.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FakeChatServer } from '../unit/helpers/fakeChatServer';
import { e2eSession, type E2eSession } from './harness/session';

const chatServer = new FakeChatServer();
let s: E2eSession;

before(async () => {
  await chatServer.start();
  chatServer.options.pieces = ['It computes ', 'the distance ', 'between two points.'];
  s = await e2eSession('remote-chat', { 'lathe.chat.backend.url': chatServer.base });
});

after(async () => {
  await s?.close();
  await chatServer.stop();
});

test('with lathe.chat.backend.url set, Explain Selection answers through the server\'s chat endpoint', async () => {
  const { workbench } = s;
  await workbench.openFile('src/math.ts');
  await workbench.selectLines(6, 10);
  await workbench.runCommand('Lathe: Explain Selection');
  const answer = workbench.page.locator('.monaco-editor .view-lines', { hasText: 'It computes the distance between two points.' });
  await answer.waitFor({ state: 'visible', timeout: 60_000 });
  await workbench.screenshot('remote-chat-explain');
  const run = chatServer.requests.find((r) => r.path === '/v1/chat/completions');
  assert.ok(run, `the chat endpoint was asked (requests: ${chatServer.paths().join(', ')})`);
  const messages = run.body.messages as Array<{ role: string; content: string }>;
  assert.deepEqual(messages.map((m) => m.role), ['system', 'user']);
  assert.match(messages[1].content, /export function distance/);
  assert.ok(!chatServer.paths().includes('/apply-template'), 'Lathe rendered no chat template itself');
});
