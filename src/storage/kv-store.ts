// The Kubernetes storage semantics over a Backend, written once for every driver
// (k8s.io/apiserver pkg/storage/etcd3/store.go): codec, preconditions, guaranteed update
// with retry, conditional delete, paging and watch translation.
import type { Backend, KeyValue } from './backend.ts';
import { prefixEnd } from './backend.ts';
import { decodeObject, encodeObject, parseRevision } from './codec.ts';
import { conflict, keyExists, keyNotFound, StorageError } from './errors.ts';
import type { DeleteOptions, ListOptions, ListResult, Preconditions, Store, StoredObject, TryUpdate, UpdateOptions, WatchOptions, Watcher } from './interface.ts';
import { listObjects } from './kv-list.ts';
import { watchObjects } from './kv-watch.ts';

/** Bound on read-modify-write retries under contention. */
const MAX_ATTEMPTS = 1_000;

export interface KvStoreOptions {
  /** Compact history older than this (kube-apiserver --etcd-compaction-interval, 5m). 0: never. */
  compactionIntervalMs?: number;
}

function checkPreconditions(key: string, pre: Preconditions | undefined, obj: StoredObject): void {
  if (!pre) return;
  if (pre.uid !== undefined && pre.uid !== obj.metadata.uid) {
    throw conflict(key, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid ?? ''}`, Number(obj.metadata.resourceVersion));
  }
  if (pre.resourceVersion !== undefined && pre.resourceVersion !== obj.metadata.resourceVersion) {
    throw conflict(
      key,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion ?? ''}`,
      Number(obj.metadata.resourceVersion),
    );
  }
}

async function getKv(backend: Backend, key: string): Promise<KeyValue | undefined> {
  return (await backend.range({ start: key })).kvs[0];
}

const decodeKv = (kv: KeyValue): StoredObject => decodeObject(kv.key, kv.value, kv.modRevision);

export function createKvStore(backend: Backend, options: KvStoreOptions = {}): Store {
  const compactor = startCompactor(backend, options.compactionIntervalMs ?? 5 * 60_000);

  async function guaranteedUpdate(key: string, tryUpdate: TryUpdate, opts: UpdateOptions = {}): Promise<StoredObject> {
    let cached = opts.cachedExisting;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      let current: KeyValue | undefined;
      let currentObj: StoredObject | undefined;
      if (cached && attempt === 0) {
        const rev = parseRevision(key, cached.metadata.resourceVersion);
        currentObj = structuredClone(cached);
        current = { key, value: encodeObject(key, cached), createRevision: 0, modRevision: rev };
      } else {
        current = await getKv(backend, key);
        currentObj = current ? decodeKv(current) : undefined;
      }
      cached = undefined;
      if (!currentObj && !opts.ignoreNotFound) throw keyNotFound(key);
      if (currentObj) checkPreconditions(key, opts.preconditions, currentObj);
      const next = await tryUpdate(currentObj ? structuredClone(currentObj) : undefined);
      if (next === undefined) {
        if (currentObj) return currentObj;
        throw keyNotFound(key);
      }
      const value = encodeObject(key, next);
      if (current && currentObj) {
        if (value === current.value) {
          // No-op update: k8s skips the write, but only once it knows the state is fresh.
          if (opts.cachedExisting && attempt === 0) continue;
          return currentObj;
        }
        const res = await backend.update(key, value, current.modRevision);
        if (res.ok) return decodeObject(key, value, res.revision);
        continue;
      }
      try {
        const rev = await backend.create(key, value);
        return decodeObject(key, value, rev);
      } catch (err) {
        if (err instanceof StorageError && err.code === 'AlreadyExists') continue;
        throw err;
      }
    }
    throw conflict(key, `too many conflicts updating ${key}`);
  }

  async function remove(key: string, opts: DeleteOptions = {}): Promise<StoredObject> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await getKv(backend, key);
      if (!current) throw keyNotFound(key);
      const obj = decodeKv(current);
      checkPreconditions(key, opts.preconditions, obj);
      if (opts.validateDeletion) await opts.validateDeletion(structuredClone(obj));
      const res = await backend.delete(key, current.modRevision);
      if (res.ok) return decodeObject(key, current.value, res.revision);
      if (!res.current) throw keyNotFound(key, res.revision);
    }
    throw conflict(key, `too many conflicts deleting ${key}`);
  }

  return {
    async create(key, obj) {
      if (obj.metadata?.resourceVersion) {
        throw new StorageError('InvalidObject', key, 'resourceVersion should not be set on objects to be created');
      }
      const value = encodeObject(key, obj);
      const rev = await backend.create(key, value);
      return decodeObject(key, value, rev);
    },
    async get(key) {
      const kv = await getKv(backend, key);
      if (!kv) throw keyNotFound(key);
      return decodeKv(kv);
    },
    list: (prefix: string, opts?: ListOptions): Promise<ListResult> => listObjects(backend, prefix, opts),
    guaranteedUpdate,
    delete: remove,
    async count(prefix) {
      return (await backend.range({ start: prefix, end: prefixEnd(prefix) }, { limit: 1 })).count;
    },
    watch: (key: string, opts: WatchOptions): Promise<Watcher> => watchObjects(backend, key, opts),
    currentRevision: () => backend.currentRevision(),
    compact: (revision) => backend.compact(revision),
    ping: () => backend.ping(),
    async close() {
      compactor.stop();
      await backend.close();
    },
  };
}

/** Like kube-apiserver's compactor: each interval, compact to the revision seen one interval ago. */
function startCompactor(backend: Backend, intervalMs: number): { stop(): void } {
  if (intervalMs <= 0) return { stop() {} };
  let last = 0;
  const timer = setInterval(() => {
    const target = last;
    backend
      .currentRevision()
      .then(async (rev) => {
        last = rev;
        if (target > 0) await backend.compact(target);
      })
      .catch(() => {
        // The backend is down or already compacted further; the next tick retries.
      });
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
