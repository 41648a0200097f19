// The watch half of the contract suite: every kind of start revision, no gap and no
// duplicate while writes race the watch start, DELETED payloads, filters, bookmarks and
// a fan-out to many watchers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStorageError } from '../errors.ts';
import type { StoredObject, WatchEvent, Watcher } from '../interface.ts';
import type { ContractOptions, MakeStore } from './contract.ts';
import { obj, rv, withStore } from './contract.ts';
import { collectEvents, countAtLeast, describeEvents } from './watch-helpers.ts';

async function closing<T>(watchers: Watcher[], fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } finally {
    for (const w of watchers) w.close();
  }
}

export function runWatchContract(makeStore: MakeStore, options: ContractOptions): void {
  test('watch from 0 starts now: ADDED, MODIFIED, DELETED with the last object', () =>
    withStore(makeStore, async (store, p) => {
      await store.create(`${p}before`, obj('before'));
      const w = await store.watch(p, { revision: 0, recursive: true });
      await closing([w], async () => {
        const a = await store.create(`${p}a`, obj('a', { data: { v: 1 } }));
        const a2 = await store.guaranteedUpdate(`${p}a`, (cur) => ({ ...cur!, data: { v: 2 } }));
        const gone = await store.delete(`${p}a`);
        const events = await collectEvents(w, countAtLeast(3));
        assert.deepEqual(describeEvents(events), [`ADDED a @${rv(a)}`, `MODIFIED a @${rv(a2)}`, `DELETED a @${rv(gone)}`]);
        assert.deepEqual(events[0].object, a);
        assert.deepEqual(events[1].object, a2);
        assert.deepEqual(events[1].prevObject, a);
        assert.equal(events[2].object?.metadata.resourceVersion, String(rv(gone)), 'DELETED carries the deletion revision');
        assert.deepEqual(events[2].object?.data, { v: 2 }, 'DELETED carries the last state');
        assert.deepEqual(events[2].prevObject, a2);
      });
    }));

  test('watch from an old revision replays history in order', () =>
    withStore(makeStore, async (store, p) => {
      const start = await store.currentRevision();
      const a = await store.create(`${p}a`, obj('a'));
      const b = await store.create(`${p}b`, obj('b'));
      const a2 = await store.guaranteedUpdate(`${p}a`, (cur) => ({ ...cur!, data: { v: 2 } }));
      const bGone = await store.delete(`${p}b`);
      const w = await store.watch(p, { revision: start, recursive: true });
      await closing([w], async () => {
        const c = await store.create(`${p}c`, obj('c'));
        const events = await collectEvents(w, countAtLeast(5));
        assert.deepEqual(describeEvents(events), [
          `ADDED a @${rv(a)}`,
          `ADDED b @${rv(b)}`,
          `MODIFIED a @${rv(a2)}`,
          `DELETED b @${rv(bGone)}`,
          `ADDED c @${rv(c)}`,
        ]);
        // From a revision in the middle: only what came after it.
        const w2 = await store.watch(p, { revision: rv(a2), recursive: true });
        await closing([w2], async () => {
          const later = await collectEvents(w2, countAtLeast(2));
          assert.deepEqual(describeEvents(later), [`DELETED b @${rv(bGone)}`, `ADDED c @${rv(c)}`]);
        });
      });
    }));

  test('watch from the current revision sees only later writes', () =>
    withStore(makeStore, async (store, p) => {
      const a = await store.create(`${p}a`, obj('a'));
      const w = await store.watch(p, { revision: rv(a), recursive: true });
      await closing([w], async () => {
        const b = await store.create(`${p}b`, obj('b'));
        const events = await collectEvents(w, countAtLeast(1));
        assert.deepEqual(describeEvents(events), [`ADDED b @${rv(b)}`]);
      });
    }));

  test('watch on a single key ignores siblings sharing its prefix', () =>
    withStore(makeStore, async (store, p) => {
      const start = await store.currentRevision();
      const w = await store.watch(`${p}a`, { revision: start, recursive: false });
      await closing([w], async () => {
        await store.create(`${p}ab`, obj('ab'));
        await store.create(`${p}a/x`, obj('a-x'));
        const a = await store.create(`${p}a`, obj('a'));
        await store.create(`${p}b`, obj('b'));
        const gone = await store.delete(`${p}a`);
        const events = await collectEvents(w, countAtLeast(2));
        assert.deepEqual(describeEvents(events), [`ADDED a @${rv(a)}`, `DELETED a @${rv(gone)}`]);
      });
    }));

  test('no gap and no duplicate while writes race the watch start', () =>
    withStore(makeStore, async (store, p) => {
      const total = 200;
      const written: number[] = [];
      let startAt = 0;
      let watcher: Watcher | undefined;
      const writes = (async () => {
        for (let i = 0; i < total; i++) {
          const o = await store.create(`${p}k${i}`, obj(`k${i}`));
          written.push(rv(o));
          if (i === 60) {
            // Start the watch while the writes keep going.
            startAt = rv(o);
            const pending = store.watch(p, { revision: startAt, recursive: true });
            void pending.then((w) => (watcher = w));
          }
        }
      })();
      await writes;
      for (let i = 0; !watcher && i < 500; i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(watcher, 'the watch started');
      await closing([watcher], async () => {
        const want = written.filter((r) => r > startAt);
        const events = await collectEvents(watcher!, countAtLeast(want.length), 20_000);
        assert.deepEqual(events.map((e) => e.revision), want);
      });
    }));

  test('watch filter: objects entering the filter are ADDED, leaving it DELETED', () =>
    withStore(makeStore, async (store, p) => {
      const start = await store.currentRevision();
      const filter = (o: StoredObject): boolean => (o.metadata.labels as Record<string, string> | undefined)?.app === 'web';
      const w = await store.watch(p, { revision: start, recursive: true, filter });
      await closing([w], async () => {
        await store.create(`${p}x`, obj('x'));
        const inn = await store.guaranteedUpdate(`${p}x`, (cur) => ({ ...cur!, metadata: { ...cur!.metadata, labels: { app: 'web' } } }));
        const mod = await store.guaranteedUpdate(`${p}x`, (cur) => ({ ...cur!, data: { v: 1 } }));
        const out = await store.guaranteedUpdate(`${p}x`, (cur) => ({ ...cur!, metadata: { ...cur!.metadata, labels: {} } }));
        await store.delete(`${p}x`);
        const y = await store.create(`${p}y`, obj('y', { metadata: { name: 'y', labels: { app: 'web' } } }));
        const events = await collectEvents(w, countAtLeast(4));
        assert.deepEqual(describeEvents(events), [`ADDED x @${rv(inn)}`, `MODIFIED x @${rv(mod)}`, `DELETED x @${rv(out)}`, `ADDED y @${rv(y)}`]);
      });
    }));

  test('BOOKMARK progress events when asked', { skip: options.progressWithinMs === undefined ? 'driver has no fast progress interval' : undefined }, () =>
    withStore(makeStore, async (store, p) => {
      const a = await store.create(`${p}a`, obj('a'));
      const w = await store.watch(p, { revision: rv(a), recursive: true, progressNotify: true });
      await closing([w], async () => {
        const b = await store.create(`${p}b`, obj('b'));
        const isLateBookmark = (e: WatchEvent): boolean => e.type === 'BOOKMARK' && e.revision >= rv(b);
        const events = await collectEvents(w, (ev) => ev.some(isLateBookmark), (options.progressWithinMs ?? 0) * 3 + 5_000, () => true);
        const bookmark = events.find(isLateBookmark)!;
        assert.equal(bookmark.object?.metadata.resourceVersion, String(bookmark.revision));
        const before = events.slice(0, events.indexOf(bookmark)).filter((e) => e.type !== 'BOOKMARK');
        assert.deepEqual(describeEvents(before), [`ADDED b @${rv(b)}`], 'every event up to the bookmark revision comes before it');
      });
      const quiet = await store.watch(p, { revision: 0, recursive: true });
      await closing([quiet], async () => {
        await assert.rejects(
          collectEvents(quiet, countAtLeast(1), (options.progressWithinMs ?? 0) * 2 + 500, () => true),
          /timed out/,
          'no bookmarks unless asked',
        );
      });
    }));

  test('an aborted signal or close() ends a watch', () =>
    withStore(makeStore, async (store, p) => {
      const ac = new AbortController();
      const w = await store.watch(p, { revision: 0, recursive: true, signal: ac.signal });
      const w2 = await store.watch(p, { revision: 0, recursive: true });
      const next = w[Symbol.asyncIterator]().next();
      ac.abort();
      assert.equal((await next).done, true);
      w2.close();
      assert.equal((await w2[Symbol.asyncIterator]().next()).done, true);
      await store.create(`${p}after`, obj('after')); // no consumer left; must not throw
    }));

  test('closing the store ends open watches with Unavailable', () =>
    withStore(makeStore, async (store, p) => {
      const w = await store.watch(p, { revision: 0, recursive: true });
      await closing([w], async () => {
        await store.close();
        const events = await collectEvents(w, (ev) => ev.length > 0, 5_000, () => true);
        assert.equal(events[0].type, 'ERROR');
        assert.ok(isStorageError(events[0].error, 'Unavailable'), String(events[0].error));
        const rest = await w[Symbol.asyncIterator]().next();
        assert.equal(rest.done, true, 'the watch ends after the error');
      });
    }));

  test('many concurrent watchers each get every event', { timeout: 120_000 }, () =>
    withStore(makeStore, async (store, p) => {
      const n = options.watchers ?? 1000;
      const start = await store.currentRevision();
      const watchers: Watcher[] = [];
      await closing(watchers, async () => {
        for (let i = 0; i < n; i += 100) {
          watchers.push(...(await Promise.all(Array.from({ length: Math.min(100, n - i) }, () => store.watch(p, { revision: start, recursive: true })))));
        }
        const writes = 10;
        const revs: number[] = [];
        for (let i = 0; i < writes; i++) revs.push(rv(await store.create(`${p}k${i}`, obj(`k${i}`))));
        const all = await Promise.all(watchers.map((w) => collectEvents(w, countAtLeast(writes), 60_000)));
        for (const events of all) assert.deepEqual(events.map((e) => e.revision), revs);
      });
    }));
}
