// list(): pages pinned to one revision, filters that still fill pages up to `limit`,
// k8s continue tokens and remainingItemCount (k8s etcd3 store.GetList).
import type { Backend, KeyValue } from './backend.ts';
import { prefixEnd } from './backend.ts';
import { decodeObject } from './codec.ts';
import { decodeContinue, encodeContinue } from './continue-token.ts';
import { storageTimeout } from './errors.ts';
import type { ListOptions, ListResult, StoredObject } from './interface.ts';

/** Largest batch read while filling a filtered page (k8s maxLimit). */
const MAX_BATCH = 10_000;
/** Batch size when listing without a limit, so no single read is huge. */
const UNLIMITED_BATCH = 1_000;

export async function listObjects(backend: Backend, prefix: string, options: ListOptions = {}): Promise<ListResult> {
  const end = prefixEnd(prefix);
  let start = prefix;
  let revision = 0;
  let exact = false;
  if (options.continue) {
    const point = decodeContinue(prefix, options.continue);
    start = point.start;
    revision = point.revision;
    exact = true;
  } else if (options.revision && options.revision > 0) {
    if (options.revisionMatch === 'exact') {
      revision = options.revision;
      exact = true;
    }
  }
  const limit = options.limit && options.limit > 0 ? options.limit : 0;
  const filter = options.filter;
  const items: StoredObject[] = [];
  let batch = limit > 0 ? limit : UNLIMITED_BATCH;
  let lastKey: string | undefined;

  for (let round = 0; ; round++) {
    const res = await backend.range({ start, end }, { revision: exact || round > 0 ? revision : 0, limit: batch });
    if (round === 0 && !exact) {
      revision = res.revision;
      if (options.revision && options.revision > revision) {
        throw storageTimeout(prefix, `Too large resource version: ${options.revision}, current: ${revision}`);
      }
    }
    let kv: KeyValue | undefined;
    let taken = 0;
    for (kv of res.kvs) {
      taken++;
      lastKey = kv.key;
      const obj = decodeObject(kv.key, kv.value, kv.modRevision);
      if (!filter || filter(obj)) items.push(obj);
      if (limit > 0 && items.length >= limit) break;
    }
    const remaining = res.count - taken;
    if (remaining <= 0 || res.kvs.length === 0) return { items, revision };
    if (limit > 0 && items.length >= limit) {
      const result: ListResult = { items, revision, continue: encodeContinue(prefix, `${lastKey}\x00`, revision) };
      if (!filter) result.remainingItemCount = remaining;
      return result;
    }
    start = `${lastKey}\x00`;
    if (limit > 0) batch = Math.min(batch * 2, MAX_BATCH);
    // Let I/O run between batches: the embedded drivers answer synchronously.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
