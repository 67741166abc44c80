/**
 * A request answered before its body was read (unknown route, wrong method, body too large)
 * does not break the keep-alive connection for the client's next request (the fuzz harness
 * found resets there).
 */
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { after, before, test } from 'node:test';
import { OpenAiServer } from '../../../extension/core/backends/serve';
import { createLogger } from '../../../extension/core/common/logger';
import { ScriptedGenerator } from '../helpers/scriptedGenerator';

const server = new OpenAiServer({ generator: new ScriptedGenerator(['ok']), modelId: 'scripted', log: createLogger({ log: () => undefined }, 'serve'), maxBodyBytes: 64 * 1024 });
let port = 0;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

before(async () => {
  port = (await server.listen(0)).port;
});

after(async () => {
  agent.destroy();
  await server.close();
});

function send(method: string, path: string, body: Buffer): Promise<{ status: number; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers: { 'content-type': 'application/json', 'content-length': String(body.length) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('early answers close the connection; the next request on the same client still works', async () => {
  const big = Buffer.alloc(1 << 20, 0x20);
  for (const [method, path, status] of [['POST', '/nope', 404], ['PUT', '/v1/completions', 405], ['POST', '/v1/completions', 413]] as const) {
    const early = await send(method, path, big).catch((e: unknown) => ({ status: -1, connection: String(e) }));
    assert.equal(early.status, status, `${method} ${path}`);
    const next = await send('POST', '/v1/completions', Buffer.from(JSON.stringify({ prompt: 'hi', max_tokens: 2 })));
    assert.equal(next.status, 200, `the request after ${method} ${path} is answered`);
  }
});
