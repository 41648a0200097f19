// The in-memory reference backend (kine's pkg/drivers/memory): per-key version history,
// a sorted key index and a revision log for watch replay. Every call runs synchronously
// inside one tick, so each write is atomic.
import type { Backend, KeyRange, KeyValue, KvEvent, RangeOptions, RangeResult, WriteResult } from '../backend.ts';
import { inRange } from '../backend.ts';
import { keyExists, storageTimeout, tooOld, unavailable } from '../errors.ts';
import { LogHub } from '../log/log-hub.ts';

interface Version {
  kv: KeyValue;
  deleted: boolean;
}

export interface MemoryBackendOptions {
  progressIntervalMs?: number;
}

function lowerBound(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function createMemoryBackend(options: MemoryBackendOptions = {}): Backend {
  const history = new Map<string, Version[]>();
  const keys: string[] = [];
  const log: KvEvent[] = [];
  let revision = 0;
  let compacted = 0;
  let closed = false;

  const hub = new LogHub(
    {
      readLog(after, upTo, limit) {
        const out: KvEvent[] = [];
        for (let i = lowerBoundRev(after + 1); i < log.length && out.length < limit; i++) {
          if (log[i].kv.modRevision > upTo) break;
          out.push(log[i]);
        }
        return out;
      },
      compactRevision: () => compacted,
    },
    0,
    options,
  );

  function lowerBoundRev(rev: number): number {
    let lo = 0;
    let hi = log.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (log[mid].kv.modRevision < rev) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  function check(): void {
    if (closed) throw unavailable('', 'storage is closed');
  }

  function at(key: string, rev: number): Version | undefined {
    const versions = history.get(key);
    if (!versions) return undefined;
    for (let i = versions.length - 1; i >= 0; i--) {
      if (versions[i].kv.modRevision <= rev) return versions[i];
    }
    return undefined;
  }

  function live(key: string): KeyValue | undefined {
    const v = at(key, revision);
    return v && !v.deleted ? v.kv : undefined;
  }

  function append(key: string, version: Version, prevKv: KeyValue | undefined): void {
    let versions = history.get(key);
    if (!versions) {
      versions = [];
      history.set(key, versions);
      keys.splice(lowerBound(keys, key), 0, key);
    }
    versions.push(version);
    const event: KvEvent = { type: version.deleted ? 'delete' : 'put', kv: version.kv, prevKv };
    log.push(event);
    hub.publish([event]);
  }

  return {
    async range(range: KeyRange, opts: RangeOptions = {}): Promise<RangeResult> {
      check();
      const rev = opts.revision && opts.revision > 0 ? opts.revision : revision;
      if (rev < compacted) throw tooOld(range.start, rev, compacted);
      if (rev > revision) throw storageTimeout(range.start, `Too large resource version: ${rev}, current: ${revision}`);
      const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
      const kvs: KeyValue[] = [];
      let count = 0;
      for (let i = lowerBound(keys, range.start); i < keys.length && inRange(range, keys[i]); i++) {
        const v = at(keys[i], rev);
        if (!v || v.deleted) continue;
        count++;
        if (kvs.length < limit) kvs.push(v.kv);
        if (range.end === undefined) break;
      }
      return { kvs, revision: rev, count };
    },
    async create(key, value) {
      check();
      const cur = live(key);
      if (cur) throw keyExists(key, revision);
      const rev = ++revision;
      append(key, { kv: { key, value, createRevision: rev, modRevision: rev }, deleted: false }, undefined);
      return rev;
    },
    async update(key, value, modRevision): Promise<WriteResult> {
      check();
      const cur = live(key);
      if (!cur || cur.modRevision !== modRevision) return { ok: false, current: cur, revision };
      const rev = ++revision;
      append(key, { kv: { key, value, createRevision: cur.createRevision, modRevision: rev }, deleted: false }, cur);
      return { ok: true, revision: rev, prevKv: cur };
    },
    async delete(key, modRevision): Promise<WriteResult> {
      check();
      const cur = live(key);
      if (!cur || cur.modRevision !== modRevision) return { ok: false, current: cur, revision };
      const rev = ++revision;
      append(key, { kv: { key, value: cur.value, createRevision: cur.createRevision, modRevision: rev }, deleted: true }, cur);
      return { ok: true, revision: rev, prevKv: cur };
    },
    async watch(range, opts, onMessage) {
      check();
      return hub.subscribe(range, opts.after, opts.progressNotify, onMessage);
    },
    async currentRevision() {
      check();
      return revision;
    },
    async compact(rev) {
      check();
      const target = Math.min(rev, revision);
      if (target <= compacted) return compacted;
      // Keep, per key, the newest version at or below the target (unless it is a deletion).
      for (const [key, versions] of history) {
        let keep = 0;
        for (let i = versions.length - 1; i >= 0; i--) {
          if (versions[i].kv.modRevision <= target) {
            keep = versions[i].deleted ? i + 1 : i;
            break;
          }
        }
        if (keep > 0) versions.splice(0, keep);
        if (versions.length === 0) {
          history.delete(key);
          keys.splice(lowerBound(keys, key), 1);
        }
      }
      log.splice(0, lowerBoundRev(target));
      compacted = target;
      return compacted;
    },
    async ping() {
      check();
    },
    async close() {
      closed = true;
      hub.close();
    },
  };
}
