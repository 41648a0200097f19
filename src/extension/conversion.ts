// Multi-version kinds: the generic registry keeps one copy of an object per group/resource
// whatever version wrote it, and stamps the served apiVersion on the way out. This adapter
// is the conversion layer in between: a Store wrapper that writes objects of converted
// resources in their storage version and reads them back in the version of the current
// request (an AsyncLocalStorage value set by the server around each request). Objects read
// outside a request (admission hooks, controllers) come back in the storage version.
import { AsyncLocalStorage } from 'node:async_hooks';
import { resourcePrefix } from '../apiserver/registry/keys.ts';
import type { DeleteOptions, ListOptions, Store, StoredObject, UpdateOptions, Watcher, WatchEvent, WatchOptions } from '../storage/interface.ts';

export interface KindConversion {
  group: string;
  /** The plural resource name (`flunders`). */
  resource: string;
  /** Every version the kind is served in. */
  versions: readonly string[];
  storageVersion: string;
  /** Returns `obj` (whose apiVersion names its version) converted to `version`; must not mutate `obj`. */
  convert(obj: StoredObject, version: string): StoredObject;
}

const requestVersion = new AsyncLocalStorage<string>();

/** Runs `fn` with `version` as the version objects are read in. */
export function inRequestVersion<T>(version: string, fn: () => T): T {
  return requestVersion.run(version, fn);
}

function versionOf(obj: StoredObject): string {
  const av = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  return av.slice(av.indexOf('/') + 1);
}

export function convertingStore(store: Store, etcdPrefix: string, conversions: readonly KindConversion[]): Store {
  if (conversions.length === 0) return store;
  const entries = conversions.map((c) => ({ c, prefix: resourcePrefix(etcdPrefix, { group: c.group, resource: c.resource }) }));
  const find = (key: string) => entries.find((e) => key.startsWith(e.prefix))?.c;

  const to = (c: KindConversion, obj: StoredObject, version: string): StoredObject => {
    const from = versionOf(obj) || requestVersion.getStore() || c.storageVersion;
    const withVersion = { ...obj, apiVersion: `${c.group}/${from}` };
    if (from === version) return withVersion;
    return { ...c.convert(withVersion, version), apiVersion: `${c.group}/${version}` };
  };
  const forStorage = (c: KindConversion | undefined, obj: StoredObject) => (c ? to(c, obj, c.storageVersion) : obj);
  const forReader = (c: KindConversion | undefined, obj: StoredObject) => {
    const v = requestVersion.getStore();
    return c && v && c.versions.includes(v) ? to(c, obj, v) : obj;
  };
  const maybe = (c: KindConversion | undefined, obj: StoredObject | undefined) => (obj ? forReader(c, obj) : obj);

  return {
    count: (prefix) => store.count(prefix),
    currentRevision: () => store.currentRevision(),
    compact: (revision) => store.compact(revision),
    ping: () => store.ping(),
    close: () => store.close(),
    create: async (key, obj) => {
      const c = find(key);
      return forReader(c, await store.create(key, forStorage(c, obj)));
    },
    get: async (key) => {
      const c = find(key);
      return forReader(c, await store.get(key));
    },
    list: async (prefix, options: ListOptions = {}) => {
      const c = find(prefix);
      if (!c) return store.list(prefix, options);
      const filter = options.filter;
      const result = await store.list(prefix, { ...options, ...(filter ? { filter: (o: StoredObject) => filter(forReader(c, o)) } : {}) });
      return { ...result, items: result.items.map((o) => forReader(c, o)) };
    },
    guaranteedUpdate: async (key, tryUpdate, options: UpdateOptions = {}) => {
      const c = find(key);
      if (!c) return store.guaranteedUpdate(key, tryUpdate, options);
      const out = await store.guaranteedUpdate(key, async (current) => {
        const next = await tryUpdate(maybe(c, current));
        return next ? forStorage(c, next) : undefined;
      }, { ...options, ...(options.cachedExisting ? { cachedExisting: forStorage(c, options.cachedExisting) } : {}) });
      return forReader(c, out);
    },
    delete: async (key, options: DeleteOptions = {}) => {
      const c = find(key);
      const validate = options.validateDeletion;
      const out = await store.delete(key, { ...options, ...(validate ? { validateDeletion: (o: StoredObject) => validate(forReader(c, o)) } : {}) });
      return forReader(c, out);
    },
    watch: async (key, options: WatchOptions) => {
      const c = find(key);
      if (!c) return store.watch(key, options);
      const filter = options.filter;
      const inner = await store.watch(key, { ...options, ...(filter ? { filter: (o: StoredObject) => filter(forReader(c, o)) } : {}) });
      const map = (e: WatchEvent): WatchEvent => ({ ...e, ...(e.object ? { object: forReader(c, e.object) } : {}), ...(e.prevObject ? { prevObject: forReader(c, e.prevObject) } : {}) });
      const watcher: Watcher = {
        close: () => inner.close(),
        async *[Symbol.asyncIterator]() {
          for await (const e of inner) yield map(e);
        },
      };
      return watcher;
    },
  };
}
