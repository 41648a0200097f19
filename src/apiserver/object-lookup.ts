// The objects service-account authentication checks (ServiceAccount, Secret, Pod) and
// TokenRequest reads. Like kube-apiserver's token getter, informer caches answer first and
// the store answers a miss (an object created a moment ago), so an authenticated request
// costs no storage read in the steady state.
import { createInformer, type Informer } from '../controller/informer.ts';
import { isStorageError } from '../storage/errors.ts';
import type { Store } from '../storage/interface.ts';
import type { LookupResource, ObjectLookup } from './authn/service-account.ts';
import { objectKey, resourcePrefix } from './registry/keys.ts';

const RESOURCES: readonly LookupResource[] = ['serviceaccounts', 'secrets', 'pods'];

/** Reads core objects straight from the store. */
export function storeLookup(store: Store, etcdPrefix: string): ObjectLookup {
  return async (resource, namespace, name) => {
    try {
      return await store.get(objectKey(etcdPrefix, { group: '', resource }, namespace, name));
    } catch (err) {
      if (isStorageError(err, 'NotFound')) return undefined;
      throw err;
    }
  };
}

export interface CachedLookup {
  lookup: ObjectLookup;
  /** Lists and watches the three resources; until then every lookup reads the store. */
  start(signal: AbortSignal): Promise<void>;
}

export function createCachedLookup(store: Store, etcdPrefix: string, log?: (line: string) => void): CachedLookup {
  const direct = storeLookup(store, etcdPrefix);
  const informers = new Map<LookupResource, Informer>(RESOURCES.map((resource) => [resource, createInformer({ store, prefix: resourcePrefix(etcdPrefix, { group: '', resource }), log })]));
  return {
    async lookup(resource, namespace, name) {
      const informer = informers.get(resource);
      const cached = informer?.hasSynced() ? informer.get(`${namespace}/${name}`) : undefined;
      return cached ?? direct(resource, namespace, name);
    },
    async start(signal) {
      await Promise.all([...informers.values()].map((i) => i.start(signal)));
    },
  };
}
