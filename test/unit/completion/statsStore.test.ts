import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompletionStats } from '../../../extension/core/completion/stats';
import { STATS_STORAGE_KEY, StatsStore, type StatsStorage } from '../../../extension/core/completion/statsStore';
import { FakeClock, flush } from '../helpers/fakeClock';

/** An in-memory Memento, shared between "windows" like a workspace's storage. */
class MemoryStorage implements StatsStorage {
  readonly values = new Map<string, unknown>();
  writes = 0;
  get(key: string): unknown {
    return this.values.get(key);
  }
  update(key: string, value: unknown): Promise<void> {
    this.writes++;
    // Like a Memento: what is stored is a JSON copy, not the live object.
    this.values.set(key, JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  }
}

function use(stats: CompletionStats): void {
  stats.recordServed(120, true);
  stats.recordServed(0, false);
  stats.recordShown();
  stats.recordShown();
  stats.recordAccepted();
  stats.recordPartialAccept();
  stats.recordError();
}

test('stats counted in one window are there in the next window of the same workspace', async () => {
  const storage = new MemoryStorage();
  const clock = new FakeClock();
  const first = new StatsStore(storage, clock, { now: () => 1_000 });
  use(first.stats);
  first.dispose();
  await flush();

  const second = new StatsStore(storage, new FakeClock(), { now: () => 9_000 });
  const s = second.stats.snapshot();
  assert.deepEqual(
    { shown: s.shown, accepted: s.accepted, partial: s.partiallyAccepted, requests: s.requests, cacheHits: s.cacheHits, errors: s.errors, since: s.since },
    { shown: 2, accepted: 1, partial: 1, requests: 1, cacheHits: 1, errors: 1, since: 1_000 },
  );
  assert.equal(s.latencyP50Ms, 60);
  // And it keeps counting on top of them.
  second.stats.recordAccepted();
  await second.flush();
  assert.equal((storage.get(STATS_STORAGE_KEY) as { accepted: number }).accepted, 2);
});

test('changes are saved together after the delay, not on every event', async () => {
  const storage = new MemoryStorage();
  const clock = new FakeClock();
  const store = new StatsStore(storage, clock, { saveDelayMs: 1000 });
  use(store.stats);
  assert.equal(storage.writes, 0, 'nothing written before the delay');
  await clock.advance(999);
  assert.equal(storage.writes, 0);
  await clock.advance(1);
  assert.equal(storage.writes, 1, 'one write for seven changes');
  assert.equal((storage.get(STATS_STORAGE_KEY) as { shown: number }).shown, 2);
  store.stats.recordShown();
  await clock.advance(1000);
  assert.equal(storage.writes, 2);
  store.dispose();
  await flush();
  assert.equal(storage.writes, 2, 'nothing pending: dispose does not write again');
});

test('dispose saves what is pending at once', async () => {
  const storage = new MemoryStorage();
  const store = new StatsStore(storage, new FakeClock(), { saveDelayMs: 60_000 });
  store.stats.recordShown();
  store.dispose();
  await flush();
  assert.equal((storage.get(STATS_STORAGE_KEY) as { shown: number }).shown, 1);
  store.stats.recordShown();
  await flush();
  assert.equal(storage.writes, 1, 'a disposed store schedules no more saves');
});

test('reset zeroes the stats, restarts "since" and saves immediately', async () => {
  const storage = new MemoryStorage();
  let now = 5;
  const store = new StatsStore(storage, new FakeClock(), { now: () => now });
  use(store.stats);
  now = 77;
  await store.reset();
  const snap = store.stats.snapshot();
  assert.equal(snap.shown + snap.accepted + snap.requests + snap.cacheHits + snap.errors + snap.partiallyAccepted, 0);
  assert.ok(Number.isNaN(snap.latencyP50Ms), 'no latencies after a reset');
  assert.equal(snap.since, 77);
  const stored = storage.get(STATS_STORAGE_KEY) as { shown: number; since: number; latencies: number[] };
  assert.deepEqual([stored.shown, stored.since, stored.latencies.length], [0, 77, 0]);
});

test('unreadable stored stats are reported and counting starts from zero', () => {
  for (const bad of [42, 'x', null, { v: 2, shown: 1 }, { v: 1, since: 0, shown: -1, accepted: 0, partiallyAccepted: 0, requests: 0, cacheHits: 0, errors: 0, latencies: [] }, { v: 1, since: 0, shown: 1, accepted: 0, partiallyAccepted: 0, requests: 0, cacheHits: 0, errors: 0, latencies: ['1'] }]) {
    const storage = new MemoryStorage();
    storage.values.set(STATS_STORAGE_KEY, bad);
    const problems: string[] = [];
    const store = new StatsStore(storage, new FakeClock(), { onProblem: (m) => problems.push(m), now: () => 3 });
    assert.equal(store.stats.snapshot().shown, 0, JSON.stringify(bad));
    assert.equal(store.stats.snapshot().since, 3);
    assert.equal(problems.length, 1, JSON.stringify(bad));
  }
  const empty = new StatsStore(new MemoryStorage(), new FakeClock(), { onProblem: () => assert.fail('nothing stored is not a problem') });
  assert.equal(empty.stats.snapshot().shown, 0);
});

test('a failing save is reported, and later saves still happen in order', async () => {
  const problems: string[] = [];
  let fail = true;
  const values: number[] = [];
  const storage: StatsStorage = {
    get: () => undefined,
    update: (_k, v) => (fail ? Promise.reject(new Error('disk full')) : (values.push((v as { shown: number }).shown), Promise.resolve())),
  };
  const store = new StatsStore(storage, new FakeClock(), { onProblem: (m) => problems.push(m) });
  store.stats.recordShown();
  await store.flush();
  assert.deepEqual(problems, ['saving the completion stats failed']);
  fail = false;
  store.stats.recordShown();
  const a = store.flush();
  store.stats.recordShown();
  const b = store.flush();
  await Promise.all([a, b]);
  assert.deepEqual(values, [2, 3]);
});

test('stored latencies are capped to the newest and rounded', () => {
  const stats = new CompletionStats(1000, () => undefined, () => 0);
  for (let i = 0; i < 10; i++) stats.recordServed(i + 0.4, true);
  assert.deepEqual(stats.toStored(3).latencies, [7, 8, 9]);
  const back = new CompletionStats(2);
  assert.ok(back.restore(stats.toStored()));
  // A smaller window keeps the newest.
  assert.equal(back.snapshot().latencyP50Ms, 8.5);
  assert.equal(back.snapshot().requests, 10);
});
