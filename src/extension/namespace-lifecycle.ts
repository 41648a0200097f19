// NamespaceLifecycle for an extension server: the generic registry checks a create against
// the namespaces in its own store, but namespaces live in the core API server. Before a
// create, the namespace is looked up there (as the server's own identity, like upstream's
// namespace informer) and mirrored into the local store: present, terminating, or gone.
// Without a core server every namespace is accepted (standalone use).
import { objectKey } from '../apiserver/registry/keys.ts';
import { isStorageError } from '../storage/errors.ts';
import type { Store, StoredObject } from '../storage/interface.ts';
import { createTtlCache } from './ttl-cache.ts';

/** A namespace from the core server; `undefined` when it does not exist. Throws on failure. */
export type NamespaceLookup = (name: string) => Promise<StoredObject | undefined>;

export interface NamespaceLifecycleOptions {
  store: Store;
  etcdPrefix: string;
  lookup?: NamespaceLookup;
  /** How long a positive lookup is trusted; default 5 s. */
  cacheMs?: number;
  now?: () => number;
}

export interface NamespaceLifecycle {
  /** Makes the local copy of `name` match the core server before a create in it. */
  sync(name: string): Promise<void>;
}

function localCopy(name: string, from: StoredObject | undefined): StoredObject {
  const meta = from?.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      ...(meta.uid ? { uid: meta.uid } : {}),
      ...(meta.creationTimestamp ? { creationTimestamp: meta.creationTimestamp } : {}),
      ...(meta.deletionTimestamp ? { deletionTimestamp: meta.deletionTimestamp } : {}),
      labels: { 'kubernetes.io/metadata.name': name },
    },
    status: { phase: meta.deletionTimestamp ? 'Terminating' : 'Active' },
  };
}

export function createNamespaceLifecycle(options: NamespaceLifecycleOptions): NamespaceLifecycle {
  const cache = createTtlCache<true>({ now: options.now });
  const ttl = options.cacheMs ?? 5_000;
  const keyOf = (name: string) => objectKey(options.etcdPrefix, { group: '', resource: 'namespaces' }, '', name);
  const write = async (name: string, obj: StoredObject) => {
    const key = keyOf(name);
    try {
      await options.store.create(key, obj);
    } catch (err) {
      if (!isStorageError(err, 'AlreadyExists')) throw err;
      await options.store.guaranteedUpdate(key, (cur) => (cur?.metadata.deletionTimestamp === obj.metadata.deletionTimestamp ? undefined : { ...obj, metadata: { ...obj.metadata, resourceVersion: cur?.metadata.resourceVersion } }));
    }
  };
  return {
    async sync(name) {
      if (!name || cache.get(name)) return;
      if (!options.lookup) {
        await write(name, localCopy(name, undefined));
        cache.set(name, true, ttl);
        return;
      }
      const found = await options.lookup(name);
      if (found) {
        await write(name, localCopy(name, found));
        if (!found.metadata.deletionTimestamp) cache.set(name, true, ttl);
        return;
      }
      try {
        await options.store.delete(keyOf(name));
      } catch (err) {
        if (!isStorageError(err, 'NotFound')) throw err;
      }
    },
  };
}
