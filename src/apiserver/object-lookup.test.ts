import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createStore } from '../storage/mod.ts';
import type { Store } from '../storage/interface.ts';
import { createCachedLookup } from './object-lookup.ts';
import { objectKey } from './registry/keys.ts';

const key = (resource: string, ns: string, name: string) => objectKey('/registry', { group: '', resource }, ns, name);
const sa = (ns: string, name: string) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { namespace: ns, name, uid: `uid-${name}` } });

/** The store with its gets counted. */
function counting(store: Store): { store: Store; gets: () => number } {
  let gets = 0;
  const wrapped = Object.create(store) as Store;
  wrapped.get = (k) => {
    gets++;
    return store.get(k);
  };
  return { store: wrapped, gets: () => gets };
}

async function eventually(probe: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail('condition not met in time');
}

test('cached lookup: informers answer hits without a storage read; a miss reads the store; changes follow the watch', async (t) => {
  const base = await createStore({ type: 'memory' });
  t.after(() => base.close());
  const { store, gets } = counting(base);
  await base.create(key('serviceaccounts', 'default', 'old'), sa('default', 'old'));
  const abort = new AbortController();
  t.after(() => abort.abort());
  const cached = createCachedLookup(store, '/registry');

  // Before start: the store answers.
  assert.equal((await cached.lookup('serviceaccounts', 'default', 'old'))?.metadata.uid, 'uid-old');
  assert.equal(gets(), 1);

  await cached.start(abort.signal);
  const before = gets();
  for (let i = 0; i < 5; i++) assert.equal((await cached.lookup('serviceaccounts', 'default', 'old'))?.metadata.uid, 'uid-old');
  assert.equal(gets(), before, 'hits come from the informer cache');

  // Absent everywhere: the store is asked (it may be newer than the cache), and says no.
  assert.equal(await cached.lookup('secrets', 'default', 'nope'), undefined);
  assert.equal(gets(), before + 1);

  // Created after start: found at once (store fallback or cache), then from the cache only.
  await base.create(key('serviceaccounts', 'default', 'new'), sa('default', 'new'));
  assert.equal((await cached.lookup('serviceaccounts', 'default', 'new'))?.metadata.uid, 'uid-new');
  await eventually(async () => {
    const g = gets();
    const hit = await cached.lookup('serviceaccounts', 'default', 'new');
    return hit !== undefined && gets() === g;
  });

  // Deleted: gone once the watch delivers the deletion.
  await base.delete(key('serviceaccounts', 'default', 'old'));
  await eventually(async () => (await cached.lookup('serviceaccounts', 'default', 'old')) === undefined);
});
