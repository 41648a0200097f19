import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createStore, parseStorageFlag, registeredDrivers } from './mod.ts';

test('parseStorageFlag', async (t) => {
  const cases = [
    { name: 'memory', in: 'memory', want: { type: 'memory' } },
    { name: 'sqlite with path', in: 'sqlite:/var/lib/kagg/state.db', want: { type: 'sqlite', path: '/var/lib/kagg/state.db' } },
    { name: 'sqlite relative path', in: 'sqlite:data/x.db', want: { type: 'sqlite', path: 'data/x.db' } },
    { name: 'etcd alone', in: 'etcd', want: { type: 'etcd', endpoints: [] } },
    { name: 'etcd with endpoints', in: 'etcd:https://127.0.0.1:2379,https://127.0.0.2:2379', want: { type: 'etcd', endpoints: ['https://127.0.0.1:2379', 'https://127.0.0.2:2379'] } },
  ] as const;
  for (const c of cases) await t.test(c.name, () => assert.deepEqual(parseStorageFlag(c.in), c.want));
  for (const bad of ['', 'sqlite', 'sqlite:', 'postgres:x', 'memory:x', 'etcd:ftp://x']) {
    await t.test(`invalid: "${bad}"`, () => assert.throws(() => parseStorageFlag(bad), new RegExp(`invalid --storage value "${bad}"`)));
  }
});

test('createStore selects the registered driver by type', async () => {
  assert.ok(registeredDrivers().includes('memory'));
  const store = await createStore({ type: 'memory' });
  try {
    const o = await store.create('/registry/x', { metadata: { name: 'x' } });
    assert.equal(o.metadata.resourceVersion, '1');
  } finally {
    await store.close();
  }
});
