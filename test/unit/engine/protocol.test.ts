import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENGINE_PROTOCOL } from '../../../extension/core/engine/shared/protocol';
import { parseClientMessage, parsePeerMessage } from '../../../extension/core/common/rpc/wire';
import { problemOf } from '../helpers/problemOf';

const { methods, events, errorCodes } = ENGINE_PROTOCOL;

describe('engine process protocol', () => {
  it('accepts well-formed requests and rejects malformed ones with the field at fault', () => {
    assert.equal(methods.generate.params({ prompt: 'x', maxTokens: 3, stop: ['\n'] }, 'p'), undefined);
    assert.match(problemOf(methods.generate.params({ prompt: 'x', maxTokens: -1 }, 'p')), /maxTokens must be ≥ 0/);
    assert.match(problemOf(methods.generate.params({ prompt: 'x', maxTokens: 1, onToken: 1 }, 'p')), /onToken is not a known field/);
    assert.match(problemOf(methods.load.params({ modelDir: '/m', dtype: 'int3', threads: 0, speculation: true }, 'p')), /dtype must be one of/);
    assert.equal(methods.load.params({ modelDir: '/m', dtype: 'auto', threads: 0, speculation: true }, 'p'), undefined);
    assert.match(problemOf(methods.info.params({}, 'p')), /must be null/);
    assert.equal(typeof parseClientMessage({ kind: 'request', id: 1, method: 'generate', params: {} }), 'object');
    assert.match(problemOf(parseClientMessage({ kind: 'request', id: 0, method: 'x', params: null })), /id must be a positive integer/);
    assert.match(problemOf(parseClientMessage({ kind: 'cancel', id: 2, extra: 1 })), /unknown field "extra"/);
    assert.match(problemOf(parseClientMessage({ kind: 'eval' })), /unknown message kind "eval"/);
    assert.match(problemOf(parseClientMessage('load')), /not an object/);
  });

  it('validates events, error replies and result payloads', () => {
    assert.equal(events.tokens({ events: [{ text: 'a', tokenId: 5, logprob: -Infinity }] }, 'e'), undefined);
    assert.match(problemOf(events.tokens({ events: [{ text: 'a', tokenId: 5, logprob: NaN }] }, 'e')), /log probability/);
    assert.match(problemOf(events.log({ level: 'loud', message: 'x' }, 'e')), /level must be one of/);
    assert.match(problemOf(parsePeerMessage({ kind: 'error', id: 2, error: { code: 'boom', message: 'x' } }, errorCodes)), /code must be one of/);
    assert.equal(typeof parsePeerMessage({ kind: 'error', id: 2, error: { code: 'context-overflow', message: 'x', file: '/m/config.json' } }, errorCodes), 'object');
    assert.equal(typeof parsePeerMessage({ kind: 'event', name: 'log', data: {} }, errorCodes), 'object');
    assert.equal(methods.tokenize.result([1, 2, 3], 'r', { text: 'x' }), undefined);
    assert.match(problemOf(methods.tokenize.result([1, -2], 'r', { text: 'x' })), /r\[1\] must be ≥ 0/);
    assert.match(problemOf(methods.generate.result({ text: 'x' }, 'r', {})), /r\.tokens must be an array/);
  });
});
