// The storage contract on a real etcd (TLS with client certificates from src/pki), plus
// what only a shared server can show: two store instances see each other's writes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createStore } from '../../src/storage/mod.ts';
import type { Store } from '../../src/storage/mod.ts';
import { runStorageContract } from '../../src/storage/testing/contract.ts';
import { collectEvents, countAtLeast } from '../../src/storage/testing/watch-helpers.ts';
import { startEtcd, type EtcdServer } from '../support/etcd.ts';
import { toolOptions } from '../support/tools.ts';

const skip = toolOptions('etcd').skip;

describe('etcd storage', { skip }, () => {
  let etcd: EtcdServer;
  const stores: Store[] = [];
  let n = 0;
  before(async () => {
    etcd = await startEtcd({ progressNotifyIntervalMs: 500 });
  });
  after(async () => {
    await Promise.all(stores.map((s) => s.close().catch(() => {})));
    await etcd?.cleanup();
  });
  const open = (prefix: string): Promise<Store> =>
    createStore({ type: 'etcd', endpoints: etcd.endpoints, tls: etcd.clientTls, prefix, compactionIntervalMs: 0 });

  runStorageContract(
    'etcd',
    async () => {
      const store = await open(`/kagg-contract-${n++}`);
      return { store, cleanup: () => store.close() };
    },
    { progressWithinMs: 500 },
  );

  test('two store instances on one etcd: a write through one is seen by a watch on the other', async () => {
    const a = await open('/shared');
    const b = await open('/shared');
    stores.push(a, b);
    const w = await b.watch('/registry/pods/', { revision: 0, recursive: true });
    try {
      const made = await a.create('/registry/pods/default/p1', { metadata: { name: 'p1', namespace: 'default' } });
      const updated = await b.guaranteedUpdate('/registry/pods/default/p1', (cur) => ({ ...cur!, spec: { x: 1 } }));
      const events = await collectEvents(w, countAtLeast(2), 5_000);
      assert.deepEqual(events.map((e) => [e.type, e.object]), [['ADDED', made], ['MODIFIED', updated]]);
      assert.deepEqual(await a.get('/registry/pods/default/p1'), updated);
    } finally {
      w.close();
    }
  });

  test('key prefix: stores with different --etcd-prefix do not see each other', async () => {
    const a = await open('/tenant-a');
    const b = await open('/tenant-b');
    stores.push(a, b);
    await a.create('/registry/x/one', { metadata: { name: 'one' } });
    assert.equal(await b.count('/registry/x/'), 0);
    assert.equal(await a.count('/registry/x/'), 1);
    await b.create('/registry/x/one', { metadata: { name: 'one-b' } });
    assert.equal((await a.get('/registry/x/one')).metadata.name, 'one');
  });

  test('a client without the client certificate is refused', async () => {
    const bare = await createStore({ type: 'etcd', endpoints: etcd.endpoints, tls: { ...etcd.clientTls!, cert: '', key: '' }, requestTimeoutMs: 2_000 });
    stores.push(bare);
    await assert.rejects(bare.get('/registry/x/one'), (err: Error) => err.name === 'StorageError' && /Unavailable/.test(String((err as { code?: string }).code)));
  });
});
