// SQLite backend on better-sqlite3 (the only module that imports it), laid out like
// kine's generic SQL driver: an append-only log table where the row id is the revision.
//
// Durability: WAL with synchronous=FULL (default) fsyncs the WAL on every commit, so an
// acknowledged write survives a crash of the process and of the machine. NORMAL in WAL
// mode survives a process crash (SIGKILL) but may lose the last commits on power loss.
// Writes are acknowledged only after the commit returns (see write-queue.ts).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Backend, KeyRange, KeyValue, KvEvent, RangeOptions, RangeResult, WriteResult } from '../backend.ts';
import { keyExists, storageTimeout, tooOld, unavailable } from '../errors.ts';
import { LogHub } from '../log/log-hub.ts';
import type { Row } from './schema.ts';
import { REBUILD_CURRENT, SCHEMA, SQL } from './schema.ts';
import { WriteQueue } from './write-queue.ts';

export interface SqliteBackendOptions {
  path: string;
  synchronous?: 'FULL' | 'NORMAL';
  pollIntervalMs?: number;
  progressIntervalMs?: number;
  /** How long a write waits for another process's lock (blocks the loop meanwhile). Default 2000 ms. */
  busyTimeoutMs?: number;
}

const LOG_PAGE = 500;
const COMPACT_BATCH = 1_000;

const text = (v: string | Buffer | null): string => (v === null ? '' : typeof v === 'string' ? v : v.toString('utf8'));

function rowKv(row: Row): KeyValue {
  return { key: row.name, value: text(row.value), createRevision: row.created ? row.id : row.create_revision, modRevision: row.id };
}

function rowEvent(row: Row): KvEvent {
  const kv = rowKv(row);
  const prevKv: KeyValue | undefined = row.created ? undefined : { key: row.name, value: text(row.old_value), createRevision: kv.createRevision, modRevision: row.prev_revision };
  return { type: row.deleted ? 'delete' : 'put', kv, prevKv };
}

export function openSqliteBackend(options: SqliteBackendOptions): Backend {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const db = new BetterSqlite3(options.path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 2000}`);
  db.exec(SCHEMA);
  if (!db.prepare<[], { value: number }>(SQL.currentBuilt).get()) db.transaction(() => db.exec(REBUILD_CURRENT)).immediate();

  const st = {
    latest: db.prepare<[string], Row>(SQL.latest),
    range: db.prepare<[string, string, number, number], Row>(SQL.range),
    rangeLatest: db.prepare<[string, string, number], Row>(SQL.rangeLatest),
    countLatest: db.prepare<[string, string], { n: number }>(SQL.countLatest),
    changedSince: db.prepare<[number, number, string, string], { name: string; thenDeleted: number | null; liveNow: number }>(SQL.changedSince),
    setCurrent: db.prepare<[string, number]>(SQL.setCurrent),
    dropCurrent: db.prepare<[string]>(SQL.dropCurrent),
    insert: db.prepare<[string, number, number, number, number, string, string | null]>(SQL.insert),
    revision: db.prepare<[], { seq: number }>(SQL.revision),
    log: db.prepare<[number, number, number], Row>(SQL.log),
    logOpen: db.prepare<[number, number], Row>(SQL.logOpen),
    compactRevision: db.prepare<[], { value: number }>(SQL.compactRevision),
    setCompactRevision: db.prepare<[number]>(SQL.setCompactRevision),
    compactReplaced: db.prepare<[number, number]>(SQL.compactReplaced),
    compactDeleted: db.prepare<[number, number]>(SQL.compactDeleted),
  };
  const currentRevision = (): number => st.revision.get()?.seq ?? 0;
  const compactRevision = (): number => st.compactRevision.get()?.value ?? 0;

  const hub = new LogHub(
    { readLog: (after, upTo, limit) => st.log.all(after, upTo, limit).map(rowEvent), compactRevision },
    currentRevision(),
    { progressIntervalMs: options.progressIntervalMs },
  );
  /** Publishes rows committed since the last poll (ours or another process's). */
  const poll = (): void => {
    for (;;) {
      const rows = st.logOpen.all(hub.lastRevision, LOG_PAGE);
      if (rows.length > 0) hub.publish(rows.map(rowEvent));
      if (rows.length < LOG_PAGE) return;
    }
  };
  const writes = new WriteQueue(db, poll);
  let closed = false;
  const pollTimer = setInterval(() => {
    if (!closed && writes.pending === 0) poll();
  }, options.pollIntervalMs ?? 1000);
  pollTimer.unref();

  const check = (): void => {
    if (closed) throw unavailable('', 'storage is closed');
  };
  const readRange = db.transaction((range: KeyRange, requested: number, limit: number): RangeResult => {
    const head = currentRevision();
    const rev = requested > 0 ? requested : head;
    const compacted = compactRevision();
    if (rev < compacted) throw tooOld(range.start, rev, compacted);
    if (rev > head) throw storageTimeout(range.start, `Too large resource version: ${rev}, current: ${head}`);
    const end = range.end ?? `${range.start}\x00`;
    const latest = rev === head;
    const kvs = (latest ? st.rangeLatest.all(range.start, end, limit) : st.range.all(range.start, end, rev, limit)).map(rowKv);
    if (limit < 0 || kvs.length < limit) return { kvs, revision: rev, count: kvs.length };
    let count = st.countLatest.get(range.start, end)?.n ?? 0;
    if (!latest) {
      for (const c of st.changedSince.all(rev, rev, range.start, end)) count += (c.thenDeleted === 0 ? 1 : 0) - (c.liveNow ? 1 : 0);
    }
    return { kvs, revision: rev, count };
  });
  const live = (key: string): Row | undefined => {
    const row = st.latest.get(key);
    return row && !row.deleted ? row : undefined;
  };

  return {
    async range(range: KeyRange, opts: RangeOptions = {}): Promise<RangeResult> {
      check();
      // One read transaction: the revision, the rows and the count come from one snapshot.
      return readRange(range, opts.revision ?? 0, opts.limit && opts.limit > 0 ? opts.limit : -1);
    },
    create(key, value) {
      check();
      return writes.enqueue(() => {
        const cur = st.latest.get(key);
        if (cur && !cur.deleted) throw keyExists(key, cur.id);
        const rev = Number(st.insert.run(key, 1, 0, 0, cur?.id ?? 0, value, null).lastInsertRowid);
        st.setCurrent.run(key, rev);
        return rev;
      });
    },
    update(key, value, modRevision) {
      check();
      return writes.enqueue((): WriteResult => {
        const cur = live(key);
        if (!cur || cur.id !== modRevision) return { ok: false, current: cur && rowKv(cur), revision: currentRevision() };
        const prev = rowKv(cur);
        const rev = Number(st.insert.run(key, 0, 0, prev.createRevision, cur.id, value, text(cur.value)).lastInsertRowid);
        st.setCurrent.run(key, rev);
        return { ok: true, revision: rev, prevKv: prev };
      });
    },
    delete(key, modRevision) {
      check();
      return writes.enqueue((): WriteResult => {
        const cur = live(key);
        if (!cur || cur.id !== modRevision) return { ok: false, current: cur && rowKv(cur), revision: currentRevision() };
        const prev = rowKv(cur);
        const rev = Number(st.insert.run(key, 0, 1, prev.createRevision, cur.id, text(cur.value), text(cur.value)).lastInsertRowid);
        st.dropCurrent.run(key);
        return { ok: true, revision: rev, prevKv: prev };
      });
    },
    async watch(range, opts, onMessage) {
      check();
      poll();
      return hub.subscribe(range, opts.after, opts.progressNotify, onMessage);
    },
    async currentRevision() {
      check();
      return currentRevision();
    },
    async compact(revision) {
      check();
      const from = compactRevision();
      const target = Math.min(revision, currentRevision());
      if (target <= from) return from;
      // In batches, yielding between them, so a large compaction never stalls the loop.
      for (let lo = from; lo < target; lo += COMPACT_BATCH) {
        const hi = Math.min(lo + COMPACT_BATCH, target);
        await writes.enqueue(() => {
          st.compactReplaced.run(lo, hi);
          st.compactDeleted.run(lo, hi);
          if (hi === target) st.setCompactRevision.run(target);
        });
      }
      return target;
    },
    async ping() {
      check();
      st.revision.get();
    },
    async close() {
      if (closed) return;
      for (let i = 0; writes.pending > 0 && i < 1000; i++) await new Promise((r) => setImmediate(r));
      closed = true;
      clearInterval(pollTimer);
      hub.close();
      db.close();
    },
  };
}

/** Runs `PRAGMA integrity_check` on a database file; returns 'ok' or the problems found. */
export function checkSqliteIntegrity(path: string): string {
  const db = new BetterSqlite3(path, { fileMustExist: true });
  try {
    const rows = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
    return rows.map((r) => r.integrity_check).join('\n');
  } finally {
    db.close();
  }
}
