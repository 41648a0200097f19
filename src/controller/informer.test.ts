import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store, StoredObject } from '../storage/interface.ts';
import { createStore } from '../storage/mod.ts';
import { createInformer } from './informer.ts';

const cm = (ns: string, name: string, v = '1'): StoredObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { v } });

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('informer: lists, then follows adds, updates and deletes with handlers', async (t) => {
  const store = await createStore({ type: 'memory' });
  const abort = new AbortController();
  t.after(async () => {
    abort.abort();
    await store.close();
  });
  await store.create('/registry/configmaps/a/one', cm('a', 'one'));
  const events: string[] = [];
  const informer = createInformer({
    store,
    prefix: '/registry/configmaps/',
    onAdd: (o) => events.push(`add ${o.metadata.name}`),
    onUpdate: (_o, n) => events.push(`update ${n.metadata.name} ${(n.data as Record<string, string>).v}`),
    onDelete: (o) => events.push(`delete ${o.metadata.name}`),
  });
  await informer.start(abort.signal);
  assert.equal(informer.hasSynced(), true);
  assert.deepEqual(events, ['add one']);
  await store.create('/registry/configmaps/b/two', cm('b', 'two'));
  await store.guaranteedUpdate('/registry/configmaps/a/one', (cur) => ({ ...cur!, data: { v: '2' } }));
  await store.delete('/registry/configmaps/b/two');
  await until(() => events.length === 4, 'four events');
  assert.deepEqual(events, ['add one', 'add two', 'update one 2', 'delete two']);
  assert.equal((informer.get('a/one')?.data as Record<string, string>).v, '2');
  assert.equal(informer.get('b/two'), undefined);
  const late: string[] = [];
  informer.addHandlers({ onAdd: (o) => late.push(String(o.metadata.name)) });
  assert.deepEqual(late, ['one']);
});

test('informer: a watch that is too old re-lists and reconciles what changed meanwhile', async (t) => {
  const inner = await createStore({ type: 'memory' });
  const abort = new AbortController();
  t.after(async () => {
    abort.abort();
    await inner.close();
  });
  await inner.create('/registry/configmaps/a/one', cm('a', 'one'));
  await inner.create('/registry/configmaps/a/gone', cm('a', 'gone'));
  let watches = 0;
  // Before the first watch starts, changes happen and history is compacted past them, so
  // only a re-list (not a replay) can bring the cache up to date.
  const store: Store = {
    ...inner,
    list: (...a) => inner.list(...a),
    watch: async (key, o) => {
      watches++;
      if (watches === 1) {
        await inner.delete('/registry/configmaps/a/gone');
        await inner.create('/registry/configmaps/a/new', cm('a', 'new'));
        await inner.compact(await inner.currentRevision());
      }
      return inner.watch(key, o);
    },
  };
  const events: string[] = [];
  const informer = createInformer({ store, prefix: '/registry/configmaps/', backoffMs: 5, onAdd: (o) => events.push(`add ${o.metadata.name}`), onDelete: (o) => events.push(`delete ${o.metadata.name}`) });
  await informer.start(abort.signal);
  await until(() => events.includes('add new') && events.includes('delete gone'), 'reconciliation after re-list');
  assert.deepEqual(informer.list().map((o) => o.metadata.name).sort(), ['new', 'one']);
  await inner.create('/registry/configmaps/a/after', cm('a', 'after'));
  await until(() => events.includes('add after'), 'events on the new watch');
  assert.ok(watches >= 2);
});
