import assert from 'node:assert/strict';
import { test } from 'node:test';
import { samplingFromFlags } from '../../../extension/cli/samplingFlags';
import { beamsFlag, copyFlag, healFlag } from '../../../extension/cli/modelFlags';

test('sampling flags: given ones parsed, absent ones left out, bad values name the flag', () => {
  assert.deepEqual(samplingFromFlags({}), {});
  assert.deepEqual(samplingFromFlags({ temperature: '0.7', 'top-k': '40', 'max-tokens': '12', stop: ['\n'] }), { temperature: 0.7, topK: 40, maxTokens: 12, stop: ['\n'] });
  assert.deepEqual(Object.keys(samplingFromFlags({ seed: '3' })), ['seed']);
  assert.throws(() => samplingFromFlags({ 'top-k': '1.5' }), /--top-k must be an integer/);
  assert.throws(() => samplingFromFlags({ temperature: 'hot' }), /--temperature must be a number/);
});

test('--beams: an integer from 1 to 8, absent keeps the pipeline default, bad values name the flag', () => {
  assert.equal(beamsFlag(undefined), undefined);
  assert.equal(beamsFlag('1'), 1);
  assert.equal(beamsFlag('4'), 4);
  for (const bad of ['0', '9', '2.5', 'wide']) assert.throws(() => beamsFlag(bad), /--beams must be an integer from 1 to 8/);
});

test('--heal and --copy: on (the default) or off, bad values name the flag', () => {
  for (const flag of [healFlag, copyFlag]) {
    assert.equal(flag(undefined), true);
    assert.equal(flag('on'), true);
    assert.equal(flag('off'), false);
  }
  assert.throws(() => copyFlag('yes'), /--copy must be on or off, got 'yes'/);
  assert.throws(() => healFlag('0'), /--heal must be on or off, got '0'/);
});
