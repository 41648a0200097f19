import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createStore } from '../storage/mod.ts';
import type { StoredObject } from '../storage/interface.ts';
import { isStorageError } from '../storage/errors.ts';
import { createNamespaceLifecycle } from './namespace-lifecycle.ts';

const KEY = '/registry/namespaces/team-a';

describe('createNamespaceLifecycle', () => {
  it('mirrors the core server: present, terminating, then gone', async (t) => {
    const store = await createStore({ type: 'memory' });
    t.after(() => store.close());
    let core: StoredObject | undefined = { metadata: { name: 'team-a', uid: 'u-1', creationTimestamp: '2026-01-01T00:00:00Z' } };
    let lookups = 0;
    let now = 0;
    const lifecycle = createNamespaceLifecycle({ store, etcdPrefix: '/registry', lookup: async () => (lookups++, core), cacheMs: 5_000, now: () => now });
    await lifecycle.sync('team-a');
    const local = await store.get(KEY);
    assert.equal(local.metadata.uid, 'u-1');
    assert.deepEqual(local.status, { phase: 'Active' });
    await lifecycle.sync('team-a');
    assert.equal(lookups, 1, 'a present namespace is trusted for the cache time');

    now = 5_000;
    core = { metadata: { name: 'team-a', uid: 'u-1', deletionTimestamp: '2026-01-02T00:00:00Z' } };
    await lifecycle.sync('team-a');
    assert.equal((await store.get(KEY)).metadata.deletionTimestamp, '2026-01-02T00:00:00Z');

    core = undefined;
    await lifecycle.sync('team-a');
    await assert.rejects(store.get(KEY), (err) => isStorageError(err, 'NotFound'));
  });

  it('accepts any namespace without a core server', async (t) => {
    const store = await createStore({ type: 'memory' });
    t.after(() => store.close());
    await createNamespaceLifecycle({ store, etcdPrefix: '/registry' }).sync('team-a');
    assert.equal((await store.get(KEY)).metadata.name, 'team-a');
  });
});
