import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StopMatcher } from '../../../extension/core/engine/worker/stopSequences';

function run(stops: string[], pieces: string[]): { emitted: string[]; stopped: boolean; rest: string } {
  const m = new StopMatcher(stops);
  const emitted: string[] = [];
  for (const p of pieces) {
    const step = m.push(p);
    emitted.push(step.text);
    if (step.stopped) return { emitted, stopped: true, rest: '' };
  }
  return { emitted, stopped: false, rest: m.flush() };
}

describe('stop sequences', () => {
  it('holds back a partial match until it completes, then drops it', () => {
    const r = run(['\n\n'], ['a', 'b\n', '\nc']);
    assert.deepEqual(r.emitted, ['a', 'b', '']);
    assert.equal(r.stopped, true);
  });

  it('releases held text when the match fails', () => {
    const r = run(['</end>'], ['x</', 'en', 'x']);
    assert.deepEqual(r.emitted, ['x', '', '</enx']);
    assert.equal(r.stopped, false);
  });

  it('finds a stop sequence inside one piece and keeps the text before it', () => {
    const r = run(['STOP'], ['hello STOP world']);
    assert.deepEqual(r.emitted, ['hello ']);
    assert.equal(r.stopped, true);
  });

  it('stops at the earliest of several sequences', () => {
    const r = run(['bb', 'abc'], ['xa', 'bcbb']);
    assert.deepEqual(r.emitted, ['x', '']);
    assert.equal(r.stopped, true);
  });

  it('flush returns text still held at the end', () => {
    const r = run(['###'], ['code #', '#']);
    assert.deepEqual(r.emitted, ['code ', '']);
    assert.equal(r.rest, '##');
  });

  it('passes everything through without stop sequences', () => {
    assert.deepEqual(run([], ['a', 'b']).emitted, ['a', 'b']);
  });
});
