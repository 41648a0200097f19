import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KvEvent, KvWatchMessage } from '../backend.ts';
import { isStorageError } from '../errors.ts';
import { LogHub } from './log-hub.ts';

const ev = (rev: number, key = `/k/${rev}`): KvEvent => ({ type: 'put', kv: { key, value: '{}', createRevision: rev, modRevision: rev } });

/** A log whose reads wait until the test lets them finish, so writes can land mid-replay. */
function slowLog(initial: number) {
  const log: KvEvent[] = Array.from({ length: initial }, (_, i) => ev(i + 1));
  const gates: Array<() => void> = [];
  return {
    log,
    gates,
    source: {
      readLog: async (after: number, upTo: number, limit: number) => {
        await new Promise<void>((r) => gates.push(r));
        return log.filter((e) => e.kv.modRevision > after && e.kv.modRevision <= upTo).slice(0, limit);
      },
      compactRevision: () => 0,
    },
  };
}

const revisions = (msgs: KvWatchMessage[]): number[] => msgs.flatMap((m) => (m.kind === 'events' ? m.events.map((e) => e.kv.modRevision) : []));

test('LogHub: writes published during the replay are delivered after it, with no gap and no duplicate', async () => {
  const { log, gates, source } = slowLog(1200);
  const hub = new LogHub(source, 1200, { progressIntervalMs: 0 });
  const got: KvWatchMessage[] = [];
  const subscribed = hub.subscribe({ start: '/k/', end: '/k0' }, 100, false, (m) => got.push(m));
  for (let rev = 1201; rev <= 1210; rev++) {
    // Interleave: one live write, then let one replay page finish.
    log.push(ev(rev));
    hub.publish([ev(rev)]);
    for (let i = 0; i < 50 && gates.length === 0; i++) await new Promise((r) => setImmediate(r));
    gates.shift()?.();
  }
  for (let i = 0; i < 20; i++) {
    gates.shift()?.();
    await new Promise((r) => setImmediate(r));
  }
  await subscribed;
  hub.publish([ev(1211)]);
  const want = Array.from({ length: 1111 }, (_, i) => i + 101);
  assert.deepEqual(revisions(got), want);
});

test('LogHub: only keys in range; progress carries the last published revision', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  const hub = new LogHub({ readLog: () => [], compactRevision: () => 0 }, 5, { progressIntervalMs: 1000 });
  const got: KvWatchMessage[] = [];
  await hub.subscribe({ start: '/a' }, 0, true, (m) => got.push(m));
  hub.publish([ev(6, '/a'), ev(7, '/ab'), ev(8, '/b')]);
  t.mock.timers.tick(1000);
  assert.deepEqual(got, [{ kind: 'events', events: [ev(6, '/a')] }, { kind: 'progress', revision: 8 }]);
  hub.close();
  assert.equal(got.at(-1)?.kind, 'error');
});

test('LogHub: a start revision before the compaction is TooOld', async () => {
  const hub = new LogHub({ readLog: () => [], compactRevision: () => 10 }, 20);
  await assert.rejects(hub.subscribe({ start: '/a' }, 8, false, () => {}), (err) => isStorageError(err, 'TooOld') && err.revision === 10);
  await hub.subscribe({ start: '/a' }, 9, false, () => {});
  assert.equal(hub.size, 1);
});
