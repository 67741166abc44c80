import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHostMessage, parseWorkerMessage, resultChecks } from '../../../extension/core/engine/worker/protocol';

describe('engine worker protocol', () => {
  it('accepts well-formed requests and rejects malformed ones with the field at fault', () => {
    const abort = new SharedArrayBuffer(4);
    assert.equal(typeof parseHostMessage({ type: 'generate', id: 1, params: { prompt: 'x', maxTokens: 3, stop: ['\n'] }, abort }), 'object');
    assert.match(String(parseHostMessage({ type: 'generate', id: 1, params: { prompt: 'x', maxTokens: -1 }, abort })), /maxTokens must be ≥ 0/);
    assert.match(String(parseHostMessage({ type: 'generate', id: 1, params: { prompt: 'x', maxTokens: 1 }, abort: new ArrayBuffer(4) })), /abort must be a SharedArrayBuffer/);
    assert.match(String(parseHostMessage({ type: 'generate', id: 1, params: { prompt: 'x', maxTokens: 1, onToken: 1 }, abort })), /onToken is not a known field/);
    assert.match(String(parseHostMessage({ type: 'eval', id: 1 })), /unknown type "eval"/);
    assert.match(String(parseHostMessage({ type: 'load', id: 1, options: { modelDir: '/m', dtype: 'int3', threads: 0, speculation: true, prefixCacheEntries: 1, prefixCacheBytes: 1 } })), /dtype must be one of/);
    assert.match(String(parseHostMessage('load')), /not an object/);
  });

  it('validates worker notifications and result payloads', () => {
    assert.equal(typeof parseWorkerMessage({ type: 'token', id: 2, event: { text: 'a', tokenId: 5, logprob: -Infinity } }), 'object');
    assert.match(String(parseWorkerMessage({ type: 'token', id: 2, event: { text: 'a', tokenId: 5, logprob: NaN } })), /log probability/);
    assert.match(String(parseWorkerMessage({ type: 'error', id: 2, error: { code: 'boom', message: 'x' } })), /code must be one of/);
    assert.match(String(parseWorkerMessage({ type: 'log', level: 'loud', message: 'x' })), /level must be one of/);
    assert.equal(resultChecks.tokenize([1, 2, 3], 'r'), undefined);
    assert.match(String(resultChecks.tokenize([1, -2], 'r')), /r\[1\] must be ≥ 0/);
    assert.match(String(resultChecks.generate({ text: 'x' }, 'r')), /r\.tokens must be an array/);
  });
});
