// The one storage contract suite (k8s.io/apiserver pkg/storage/testing), run unchanged
// against every driver: `runStorageContract('memory', async () => ({ store, cleanup }))`.
// Every test uses its own key prefix, so a driver may hand out stores on a shared backend.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { isStorageError } from '../errors.ts';
import type { Store, StoredObject } from '../interface.ts';
import { runWatchContract } from './contract-watch.ts';
import { collectEvents, countAtLeast } from './watch-helpers.ts';

export interface StoreUnderTest {
  store: Store;
  cleanup: () => Promise<void>;
}

export interface ContractOptions {
  /** Concurrent watchers in the fan-out test. Default 1000. */
  watchers?: number;
  /** The store emits progress notifications within this many ms (BOOKMARK test); undefined skips it. */
  progressWithinMs?: number;
  /** Skip reason for the compaction tests (e.g. a backend shared with tests that need history). */
  skipCompaction?: string;
}

export type MakeStore = () => Promise<StoreUnderTest>;

export const obj = (name: string, extra: Record<string, unknown> = {}): StoredObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
  ...extra,
});

export const rv = (o: StoredObject): number => Number(o.metadata.resourceVersion);

export function isCode(code: string) {
  return (err: unknown): boolean => {
    assert.ok(isStorageError(err), `expected a StorageError ${code}, got ${String(err)}`);
    assert.equal(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
    return true;
  };
}

/** Opens a store for one test and closes it after, even when the test fails. */
export async function withStore(makeStore: MakeStore, fn: (store: Store, prefix: string) => Promise<void>): Promise<void> {
  const { store, cleanup } = await makeStore();
  const id = randomUUID().slice(0, 8);
  const prefix = `/registry/contract-${id}/`;
  try {
    // Revision 0 means "now" to watch; make sure the store is past it.
    await store.create(`/registry/contract-seed/${id}`, obj('seed'));
    await fn(store, prefix);
  } finally {
    await cleanup();
  }
}

export function runStorageContract(name: string, makeStore: MakeStore, options: ContractOptions = {}): void {
  describe(`storage contract: ${name}`, () => {
    test('create, get, AlreadyExists, NotFound', () =>
      withStore(makeStore, async (store, p) => {
        const created = await store.create(`${p}a`, obj('a', { data: { x: '1' } }));
        assert.match(created.metadata.resourceVersion ?? '', /^[1-9]\d*$/);
        assert.deepEqual(created.data, { x: '1' });
        const got = await store.get(`${p}a`);
        assert.deepEqual(got, created);
        await assert.rejects(store.create(`${p}a`, obj('a')), isCode('AlreadyExists'));
        await assert.rejects(store.get(`${p}missing`), isCode('NotFound'));
        await assert.rejects(store.create(`${p}b`, { metadata: { name: 'b', resourceVersion: '5' } }), isCode('InvalidObject'));
      }));

    test('one global monotonic revision; resourceVersion is the last write', () =>
      withStore(makeStore, async (store, p) => {
        const revs: number[] = [];
        for (let i = 0; i < 5; i++) revs.push(rv(await store.create(`${p}k${i}`, obj(`k${i}`))));
        const updated = await store.guaranteedUpdate(`${p}k0`, (cur) => ({ ...cur!, data: { v: 2 } }));
        revs.push(rv(updated));
        const deleted = await store.delete(`${p}k1`);
        revs.push(rv(deleted));
        for (let i = 1; i < revs.length; i++) assert.ok(revs[i] > revs[i - 1], `revisions increase: ${revs.join(',')}`);
        assert.ok((await store.currentRevision()) >= revs[revs.length - 1]);
        assert.equal(rv(await store.get(`${p}k0`)), rv(updated));
        assert.equal(rv(await store.get(`${p}k2`)), revs[2]);
      }));

    test('list by prefix, ordered by key, exact prefix match, count', () =>
      withStore(makeStore, async (store, p) => {
        for (const k of ['ns1/b', 'ns1/a', 'ns10/a', 'ns2/c']) await store.create(`${p}${k}`, obj(k.replace('/', '-')));
        const all = await store.list(p);
        assert.deepEqual(all.items.map((o) => o.metadata.name), ['ns1-a', 'ns1-b', 'ns10-a', 'ns2-c']);
        assert.ok(all.revision >= Math.max(...all.items.map(rv)));
        assert.equal(all.continue, undefined);
        const ns1 = await store.list(`${p}ns1/`);
        assert.deepEqual(ns1.items.map((o) => o.metadata.name), ['ns1-a', 'ns1-b']);
        assert.equal(await store.count(`${p}ns1/`), 2);
        assert.equal(await store.count(p), 4);
        assert.equal(await store.count(`${p}none/`), 0);
        assert.deepEqual((await store.list(`${p}none/`)).items, []);
      }));

    test('preconditions: stale resourceVersion or uid → Conflict', () =>
      withStore(makeStore, async (store, p) => {
        const a = await store.create(`${p}a`, obj('a'));
        const b = await store.guaranteedUpdate(`${p}a`, (cur) => ({ ...cur!, data: { n: 1 } }), { preconditions: { resourceVersion: a.metadata.resourceVersion } });
        await assert.rejects(
          store.guaranteedUpdate(`${p}a`, (cur) => ({ ...cur!, data: { n: 2 } }), { preconditions: { resourceVersion: a.metadata.resourceVersion } }),
          isCode('Conflict'),
        );
        await assert.rejects(store.guaranteedUpdate(`${p}a`, (cur) => cur, { preconditions: { uid: 'other' } }), isCode('Conflict'));
        await assert.rejects(store.delete(`${p}a`, { preconditions: { resourceVersion: a.metadata.resourceVersion } }), isCode('Conflict'));
        await assert.rejects(store.delete(`${p}a`, { preconditions: { uid: 'other' } }), isCode('Conflict'));
        await assert.rejects(
          store.delete(`${p}a`, { validateDeletion: () => { throw new Error('refused'); } }),
          /refused/,
        );
        const gone = await store.delete(`${p}a`, { preconditions: { uid: 'uid-a', resourceVersion: b.metadata.resourceVersion } });
        assert.deepEqual(gone.data, { n: 1 });
        assert.ok(rv(gone) > rv(b), 'a deleted object carries the deletion revision');
        await assert.rejects(store.get(`${p}a`), isCode('NotFound'));
        await assert.rejects(store.delete(`${p}a`), isCode('NotFound'));
        await assert.rejects(store.guaranteedUpdate(`${p}a`, (cur) => cur), isCode('NotFound'));
      }));

    test('guaranteedUpdate retries under concurrent writers', () =>
      withStore(makeStore, async (store, p) => {
        await store.create(`${p}counter`, obj('counter', { data: { n: 0 } }));
        const writers = 20;
        let calls = 0;
        const results = await Promise.all(
          Array.from({ length: writers }, () =>
            store.guaranteedUpdate(`${p}counter`, async (cur) => {
              calls++;
              const n = (cur!.data as { n: number }).n;
              await new Promise((r) => setImmediate(r));
              return { ...cur!, data: { n: n + 1 } };
            }),
          ),
        );
        assert.equal(((await store.get(`${p}counter`)).data as { n: number }).n, writers);
        assert.equal(new Set(results.map(rv)).size, writers, 'every write got its own revision');
        assert.ok(calls >= writers);
      }));

    test('guaranteedUpdate: ignoreNotFound creates, undefined and no-op leave the object, stale cachedExisting is re-read', () =>
      withStore(makeStore, async (store, p) => {
        const made = await store.guaranteedUpdate(`${p}x`, (cur) => (cur ? cur : obj('x', { data: { v: 1 } })), { ignoreNotFound: true });
        assert.deepEqual(await store.get(`${p}x`), made);
        const same = await store.guaranteedUpdate(`${p}x`, () => undefined);
        assert.equal(rv(same), rv(made));
        const noop = await store.guaranteedUpdate(`${p}x`, (cur) => cur);
        assert.equal(rv(noop), rv(made));
        const newer = await store.guaranteedUpdate(`${p}x`, (cur) => ({ ...cur!, data: { v: 2 } }));
        let seen: unknown;
        const fixed = await store.guaranteedUpdate(
          `${p}x`,
          (cur) => {
            seen = cur!.data;
            return { ...cur!, data: { v: 3 } };
          },
          { cachedExisting: made },
        );
        assert.deepEqual(seen, { v: 2 }, 'the last try saw the fresh object');
        assert.ok(rv(fixed) > rv(newer));
        assert.deepEqual((await store.get(`${p}x`)).data, { v: 3 });
      }));

    test('list at exact and notOlderThan revisions', () =>
      withStore(makeStore, async (store, p) => {
        const a1 = await store.create(`${p}a`, obj('a', { data: { v: 1 } }));
        await store.create(`${p}b`, obj('b'));
        await store.guaranteedUpdate(`${p}a`, (cur) => ({ ...cur!, data: { v: 2 } }));
        await store.delete(`${p}b`);
        const old = await store.list(p, { revision: rv(a1), revisionMatch: 'exact' });
        assert.equal(old.revision, rv(a1));
        assert.deepEqual(old.items.map((o) => [o.metadata.name, o.data]), [['a', { v: 1 }]]);
        assert.equal(old.items[0].metadata.resourceVersion, a1.metadata.resourceVersion);
        const fresh = await store.list(p, { revision: rv(a1), revisionMatch: 'notOlderThan' });
        assert.ok(fresh.revision > rv(a1));
        assert.deepEqual(fresh.items.map((o) => [o.metadata.name, o.data]), [['a', { v: 2 }]]);
        const future = (await store.currentRevision()) + 1000;
        await assert.rejects(store.list(p, { revision: future, revisionMatch: 'notOlderThan' }), isCode('Timeout'));
      }));

    test('limit + continue: pages pinned to one revision under concurrent writes, remainingItemCount', () =>
      withStore(makeStore, async (store, p) => {
        const names = Array.from({ length: 10 }, (_, i) => `item-${String(i).padStart(2, '0')}`);
        for (const n of names) await store.create(`${p}${n}`, obj(n));
        const first = await store.list(p, { limit: 3 });
        assert.deepEqual(first.items.map((o) => o.metadata.name), names.slice(0, 3));
        assert.equal(first.remainingItemCount, 7);
        const token = JSON.parse(Buffer.from(first.continue!, 'base64').toString()) as { v: string; rv: number; start: string };
        assert.equal(token.v, 'meta.k8s.io/v1');
        assert.equal(token.rv, first.revision);
        // Concurrent writes between pages must not show up in the pinned list.
        await store.delete(`${p}item-05`);
        await store.create(`${p}item-04a`, obj('item-04a'));
        await store.guaranteedUpdate(`${p}item-09`, (cur) => ({ ...cur!, data: { late: true } }));
        const seen = [...first.items];
        let page = first;
        for (let i = 0; page.continue && i < 10; i++) {
          page = await store.list(p, { limit: 3, continue: page.continue });
          assert.equal(page.revision, first.revision);
          seen.push(...page.items);
          // Counted at the pinned revision, not the latest one.
          if (page.continue) assert.equal(page.remainingItemCount, names.length - seen.length, 'remainingItemCount at the pinned revision');
        }
        assert.equal(page.continue, undefined);
        assert.deepEqual(seen.map((o) => o.metadata.name), names);
        assert.equal(seen[9].data, undefined);
        await assert.rejects(store.list(p, { limit: 3, continue: 'not-a-token' }), isCode('InvalidObject'));
      }));

    test('filtered lists still fill each page up to limit', () =>
      withStore(makeStore, async (store, p) => {
        for (let i = 0; i < 20; i++) await store.create(`${p}o${String(i).padStart(2, '0')}`, obj(`o${i}`, { data: { even: i % 2 === 0 } }));
        const filter = (o: StoredObject): boolean => (o.data as { even: boolean }).even;
        const got: string[] = [];
        let cont: string | undefined;
        let pages = 0;
        do {
          const page = await store.list(p, { limit: 4, continue: cont, filter });
          if (page.continue) assert.equal(page.items.length, 4, 'a page that continues is full');
          assert.equal(page.remainingItemCount, undefined, 'no remainingItemCount with a filter');
          got.push(...page.items.map((o) => o.metadata.name!));
          cont = page.continue;
          pages++;
        } while (cont && pages < 10);
        assert.deepEqual(got, Array.from({ length: 10 }, (_, i) => `o${i * 2}`));
      }));

    runWatchContract(makeStore, options);

    test('compaction: watch and exact list at a compacted revision are TooOld', { skip: options.skipCompaction }, () =>
      withStore(makeStore, async (store, p) => {
        const a = await store.create(`${p}a`, obj('a', { data: { v: 1 } }));
        await store.guaranteedUpdate(`${p}a`, (cur) => ({ ...cur!, data: { v: 2 } }));
        await store.create(`${p}b`, obj('b'));
        await store.delete(`${p}b`);
        const last = await store.guaranteedUpdate(`${p}a`, (cur) => ({ ...cur!, data: { v: 3 } }));
        const compactedAt = await store.compact(rv(last));
        assert.ok(compactedAt >= rv(last));
        await assert.rejects(store.watch(p, { revision: rv(a), recursive: true }), (err) => {
          isCode('TooOld')(err);
          assert.ok(isStorageError(err) && err.revision >= compactedAt, `TooOld names the compaction revision (${compactedAt})`);
          return true;
        });
        await assert.rejects(store.list(p, { revision: rv(a), revisionMatch: 'exact' }), (err) => {
          isCode('TooOld')(err);
          assert.ok(isStorageError(err) && err.revision >= compactedAt, `TooOld names the compaction revision (${compactedAt})`);
          return true;
        });
        const now = await store.list(p);
        assert.deepEqual(now.items.map((o) => [o.metadata.name, o.data]), [['a', { v: 3 }]]);
        assert.deepEqual((await store.get(`${p}a`)).data, { v: 3 });
        // Still writable and watchable from the compaction point on.
        const w = await store.watch(p, { revision: rv(last), recursive: true });
        try {
          await store.create(`${p}c`, obj('c'));
          const events = await collectEvents(w, countAtLeast(1));
          assert.equal(events[0].type, 'ADDED');
          assert.equal(events[0].object?.metadata.name, 'c');
        } finally {
          w.close();
        }
      }));
  });
}
