// An informer: lists a store prefix into an in-memory cache, then watches from the list's
// revision and keeps the cache current, calling add/update/delete handlers. When the watch
// falls behind compaction (TooOld) or ends, it lists again (with backoff) and reconciles,
// so handlers see every object that changed meanwhile. (client-go's reflector + store.)
import { isStorageError } from '../storage/errors.ts';
import type { Store, StoredObject } from '../storage/interface.ts';

export interface InformerHandlers {
  onAdd?: (obj: StoredObject) => void;
  onUpdate?: (oldObj: StoredObject, obj: StoredObject) => void;
  onDelete?: (obj: StoredObject) => void;
}

export interface InformerOptions extends InformerHandlers {
  store: Store;
  prefix: string;
  /** Wait before re-listing after a failure; doubles up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  log?: (line: string) => void;
}

export interface Informer {
  /** Starts the list/watch loop; resolves after the first list, rejects if it fails. */
  start(signal: AbortSignal): Promise<void>;
  hasSynced(): boolean;
  /** The cached objects; the same array until the cache changes (do not mutate). */
  list(): readonly StoredObject[];
  /** `namespace/name`, or `name` for cluster-scoped objects. */
  get(key: string): StoredObject | undefined;
  /** Adds a handler set; it first receives an add for each cached object. */
  addHandlers(h: InformerHandlers): void;
  /** The revision of the cache (last event or list). */
  revision(): number;
}

export function cacheKey(obj: StoredObject): string {
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name}` : String(obj.metadata.name);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export function createInformer(options: InformerOptions): Informer {
  const cache = new Map<string, StoredObject>();
  // list() is called per request (RBAC): the array is rebuilt only after a change.
  let listed: readonly StoredObject[] | undefined;
  const handlers: InformerHandlers[] = [{ onAdd: options.onAdd, onUpdate: options.onUpdate, onDelete: options.onDelete }];
  let synced = false;
  let rev = 0;
  const log = options.log ?? (() => {});

  const emit = {
    add: (o: StoredObject) => handlers.forEach((h) => h.onAdd?.(o)),
    update: (a: StoredObject, b: StoredObject) => handlers.forEach((h) => h.onUpdate?.(a, b)),
    delete: (o: StoredObject) => handlers.forEach((h) => h.onDelete?.(o)),
  };

  async function relist(): Promise<number> {
    const items: StoredObject[] = [];
    let cont: string | undefined;
    let revision = 0;
    for (let page = 0; page < 100_000; page++) {
      const result = await options.store.list(options.prefix, { limit: 500, continue: cont });
      items.push(...result.items);
      revision = revision || result.revision;
      cont = result.continue;
      if (!cont) break;
    }
    const fresh = new Map(items.map((o) => [cacheKey(o), o]));
    for (const [k, old] of cache) {
      if (!fresh.has(k)) {
        cache.delete(k);
        listed = undefined;
        emit.delete(old);
      }
    }
    for (const [k, obj] of fresh) {
      const old = cache.get(k);
      cache.set(k, obj);
      listed = undefined;
      if (!old) emit.add(obj);
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) emit.update(old, obj);
    }
    rev = revision;
    return revision;
  }

  async function watchLoop(signal: AbortSignal): Promise<void> {
    const base = options.backoffMs ?? 200;
    let backoff = base;
    while (!signal.aborted) {
      try {
        const watcher = await options.store.watch(options.prefix, { revision: rev, recursive: true, signal });
        const stop = () => watcher.close();
        signal.addEventListener('abort', stop, { once: true });
        try {
          for await (const ev of watcher) {
            backoff = base;
            if (ev.type === 'ERROR') throw ev.error ?? new Error('watch error');
            if (ev.type === 'BOOKMARK') {
              rev = Math.max(rev, ev.revision);
              continue;
            }
            if (!ev.object) continue;
            const k = cacheKey(ev.object);
            const old = cache.get(k);
            listed = undefined;
            if (ev.type === 'DELETED') {
              cache.delete(k);
              emit.delete(old ?? ev.object);
            } else {
              cache.set(k, ev.object);
              if (old) emit.update(old, ev.object);
              else emit.add(ev.object);
            }
            rev = Math.max(rev, ev.revision);
          }
        } finally {
          signal.removeEventListener('abort', stop);
        }
      } catch (err) {
        if (signal.aborted) return;
        if (!isStorageError(err, 'TooOld')) log(`informer ${options.prefix}: watch failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (signal.aborted) return;
      await sleep(backoff, signal);
      backoff = Math.min(backoff * 2, options.maxBackoffMs ?? 10_000);
      try {
        await relist();
      } catch (err) {
        log(`informer ${options.prefix}: list failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  return {
    async start(signal) {
      await relist();
      synced = true;
      void watchLoop(signal);
    },
    hasSynced: () => synced,
    list: () => (listed ??= [...cache.values()]),
    get: (key) => cache.get(key),
    addHandlers(h) {
      handlers.push(h);
      for (const o of cache.values()) h.onAdd?.(o);
    },
    revision: () => rev,
  };
}
