import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createStore } from '../storage/mod.ts';
import type { StoredObject } from '../storage/interface.ts';
import { convertingStore, inRequestVersion, type KindConversion } from './conversion.ts';

// v1: spec.size is a number; v2 (storage): spec.size is "<n>Gi".
const SIZES: KindConversion = {
  group: 'demo.example.com',
  resource: 'disks',
  versions: ['v1', 'v2'],
  storageVersion: 'v2',
  convert(o, version) {
    const size = (o.spec as { size: number | string }).size;
    return { ...o, spec: { size: version === 'v2' ? `${size}Gi` : Number.parseInt(String(size), 10) } };
  },
};
const KEY = '/registry/demo.example.com/disks/default/d1';
const v1 = (size: number): StoredObject => ({ apiVersion: 'demo.example.com/v1', kind: 'Disk', metadata: { name: 'd1', namespace: 'default' }, spec: { size } });

describe('convertingStore', () => {
  it('stores in the storage version and reads in the request version', async () => {
    const raw = await createStore({ type: 'memory' });
    const store = convertingStore(raw, '/registry', [SIZES]);
    try {
      const created = await inRequestVersion('v1', () => store.create(KEY, v1(5)));
      assert.deepEqual(created.spec, { size: 5 });
      assert.deepEqual((await raw.get(KEY)).spec, { size: '5Gi' });
      assert.deepEqual((await inRequestVersion('v2', () => store.get(KEY))).spec, { size: '5Gi' });
      await inRequestVersion('v1', () => store.guaranteedUpdate(KEY, (cur) => {
        assert.deepEqual(cur?.spec, { size: 5 });
        return { ...v1(7), metadata: cur?.metadata ?? {} };
      }));
      assert.deepEqual((await raw.get(KEY)).spec, { size: '7Gi' });
      const list = await inRequestVersion('v1', () => store.list('/registry/demo.example.com/disks/', { filter: (o) => (o.spec as { size: number }).size === 7 }));
      assert.deepEqual(list.items.map((o) => o.spec), [{ size: 7 }]);
      assert.deepEqual((await store.get(KEY)).spec, { size: '7Gi' }, 'outside a request: the storage version');
    } finally {
      await raw.close();
    }
  });

  it('converts watch events', async () => {
    const raw = await createStore({ type: 'memory' });
    const store = convertingStore(raw, '/registry', [SIZES]);
    try {
      const events = await inRequestVersion('v1', async () => {
        const w = await store.watch('/registry/demo.example.com/disks/', { revision: 0, recursive: true });
        await store.create(KEY, { ...v1(3), apiVersion: 'demo.example.com/v1' });
        for await (const e of w) {
          w.close();
          return [e];
        }
        return [];
      });
      assert.equal(events[0].type, 'ADDED');
      assert.deepEqual(events[0].object?.spec, { size: 3 });
    } finally {
      await raw.close();
    }
  });

  it('leaves other resources alone', async () => {
    const raw = await createStore({ type: 'memory' });
    const store = convertingStore(raw, '/registry', [SIZES]);
    try {
      const o = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } };
      await inRequestVersion('v1', () => store.create('/registry/configmaps/default/c', o));
      assert.deepEqual((await raw.get('/registry/configmaps/default/c')).data, { a: '1' });
    } finally {
      await raw.close();
    }
  });
});
