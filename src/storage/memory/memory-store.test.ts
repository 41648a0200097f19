import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStorageError } from '../errors.ts';
import { runStorageContract } from '../testing/contract.ts';
import { openMemoryStore } from './memory-store.ts';

runStorageContract(
  'memory',
  async () => {
    const store = await openMemoryStore({ progressIntervalMs: 200, compactionIntervalMs: 0 });
    return { store, cleanup: () => store.close() };
  },
  { progressWithinMs: 200 },
);

test('periodic compaction: history older than one interval goes, a watch from before it is TooOld', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  const settle = () => new Promise((r) => setImmediate(r));
  const store = await openMemoryStore({ compactionIntervalMs: 100 });
  try {
    const a = await store.create('/registry/c/a', { metadata: { name: 'a' } });
    await store.guaranteedUpdate('/registry/c/a', (cur) => ({ ...cur!, data: 0 }));
    await store.guaranteedUpdate('/registry/c/a', (cur) => ({ ...cur!, data: 1 }));
    // Tick 1 records the revision, tick 2 compacts to it.
    t.mock.timers.tick(100);
    await settle();
    await assert.doesNotReject(store.list('/registry/c/', { revision: Number(a.metadata.resourceVersion), revisionMatch: 'exact' }), 'nothing compacted after one tick');
    t.mock.timers.tick(100);
    await settle();
    await assert.rejects(store.watch('/registry/c/', { revision: Number(a.metadata.resourceVersion), recursive: true }), (err) => isStorageError(err, 'TooOld'));
    assert.equal(((await store.get('/registry/c/a')).data as number), 1);
    const recent = await store.currentRevision();
    const w = await store.watch('/registry/c/', { revision: recent, recursive: true });
    w.close();
  } finally {
    await store.close();
  }
});
