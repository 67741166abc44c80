/** Which backend URLs Lathe asks about before sending code (and an API key) there. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { approvalKey, decideBackendUrl, isLoopbackHost, urlQuestion, type UrlDecisionInput } from '../../../extension/core/backends/urlTrust';

const decide = (input: Partial<UrlDecisionInput> & { url: string }) => decideBackendUrl({ source: 'user', hasApiKey: false, approved: {}, ...input });

test("a URL from the user's own settings is used without asking, over https or to this machine", () => {
  assert.deepEqual(decide({ url: 'https://gpu-box:8000/v1' }), { kind: 'allow', url: 'https://gpu-box:8000/v1' });
  assert.deepEqual(decide({ url: 'http://127.0.0.1:8000/v1/', hasApiKey: true }), { kind: 'allow', url: 'http://127.0.0.1:8000/v1' });
  assert.deepEqual(decide({ url: 'http://gpu-box:8000/v1' }), { kind: 'allow', url: 'http://gpu-box:8000/v1' }, 'plain http without a key sends no secret');
});

test("a URL from a workspace's settings is asked about, even to this machine", () => {
  assert.deepEqual(decide({ url: 'http://localhost:8000/v1', source: 'workspace' }), { kind: 'ask', url: 'http://localhost:8000/v1', risks: ['workspace-setting'] });
  assert.deepEqual(decide({ url: 'https://evil.example/v1', source: 'workspace', hasApiKey: true }), { kind: 'ask', url: 'https://evil.example/v1', risks: ['workspace-setting'] });
});

test('plain http to another machine with an API key is asked about, wherever the URL comes from', () => {
  assert.deepEqual(decide({ url: 'http://gpu-box:8000/v1', hasApiKey: true }), { kind: 'ask', url: 'http://gpu-box:8000/v1', risks: ['plain-http-with-key'] });
  assert.deepEqual(decide({ url: 'http://10.0.0.5/v1', source: 'workspace', hasApiKey: true }), { kind: 'ask', url: 'http://10.0.0.5/v1', risks: ['workspace-setting', 'plain-http-with-key'] });
});

test('an answer holds per URL and risk: the same URL is not asked again, a new risk is', () => {
  const approved = { 'http://gpu-box:8000/v1': ['workspace-setting' as const] };
  assert.equal(decide({ url: 'http://gpu-box:8000/v1/', source: 'workspace', approved }).kind, 'allow');
  assert.deepEqual(decide({ url: 'http://gpu-box:8000/v1', source: 'workspace', hasApiKey: true, approved }), { kind: 'ask', url: 'http://gpu-box:8000/v1', risks: ['plain-http-with-key'] });
  assert.equal(decide({ url: 'http://gpu-box:9000/v1', source: 'workspace', approved }).kind, 'ask', 'another port is another URL');
  assert.equal(approvalKey(new URL('http://user:pw@Host:80/v1/?x=1#y')), 'http://host/v1', 'credentials, query and fragment are not part of the key');
});

test('bad URLs are refused with a message; loopback hosts are recognised', () => {
  const bad = decide({ url: 'gpu-box:8000' });
  assert.ok(bad.kind === 'invalid' && /must be an http or https URL/.test(bad.message));
  assert.equal(decide({ url: 'not a url' }).kind, 'invalid');
  assert.equal(decide({ url: 'file:///etc/passwd' }).kind, 'invalid');
  for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]', 'api.localhost']) assert.ok(isLoopbackHost(h), h);
  for (const h of ['gpu-box', '10.0.0.1', '128.0.0.1', 'localhost.evil.com', '::2']) assert.ok(!isLoopbackHost(h), h);
  assert.match(urlQuestion('http://x/v1', ['workspace-setting', 'plain-http-with-key']).message, /^Send your code and API key to http:\/\/x\/v1\?$/);
});
