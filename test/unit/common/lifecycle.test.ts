import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DisposableStore, disposeAll, toDisposable } from '../../../extension/core/common/lifecycle';
import { createLogger, type LogLevel } from '../../../extension/core/common/logger';

test('a store disposes in reverse order, once', () => {
  const order: number[] = [];
  const store = new DisposableStore();
  store.add(toDisposable(() => order.push(1)));
  store.add(toDisposable(() => order.push(2)));
  store.dispose();
  store.dispose();
  assert.deepEqual(order, [2, 1]);
  store.add(toDisposable(() => order.push(3)));
  assert.deepEqual(order, [2, 1, 3], 'adding to a disposed store disposes at once');
});

test('disposeAll keeps going after a failure and reports it', () => {
  const order: string[] = [];
  const items = [toDisposable(() => order.push('a')), toDisposable(() => { throw new Error('bad'); }), toDisposable(() => order.push('c'))];
  assert.throws(() => disposeAll(items), /bad/);
  assert.deepEqual(order, ['c', 'a']);
});

test('loggers tag messages with their component and describe causes', () => {
  const lines: Array<[LogLevel, string]> = [];
  const log = createLogger({ log: (l, m) => lines.push([l, m]) }, 'lathe');
  log.info('up');
  log.child('engine').error('load failed', new Error('no file', { cause: new Error('ENOENT') }));
  assert.deepEqual(lines, [
    ['info', '[lathe] up'],
    ['error', '[lathe/engine] load failed: Error: no file (cause: Error: ENOENT)'],
  ]);
});
