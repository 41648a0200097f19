// One etcd watch over the gateway's streaming POST /v3/watch, kept alive across etcd
// restarts: when the stream breaks it reopens (rotating endpoints, bounded backoff) from
// the revision after the last event it delivered, and drops anything at or below that
// revision, so consumers see no gap and no duplicate. A compacted start revision — at
// creation or on resume — becomes TooOld, carrying etcd's compact_revision.
import type { KeyRange, KvEvent, KvWatchMessage } from '../backend.ts';
import { tooOld, unavailable } from '../errors.ts';
import type { EtcdClient } from './etcd-client.ts';
import { b64, decodeHeader, decodeKv, EtcdError, isCompactedError, isFutureRevisionError } from './etcd-client.ts';

export interface EtcdWatchSpec {
  prefix: string;
  range: KeyRange;
  /** Deliver events with revision > after; 0: from now. */
  after: number;
  progressNotify: boolean;
  /** Give up resuming after this long without a working stream. */
  resumeTimeoutMs: number;
}

interface RawEvent {
  type?: 'PUT' | 'DELETE';
  kv?: Record<string, string>;
  prev_kv?: Record<string, string>;
}

interface WatchLine {
  result?: {
    header?: { revision?: string };
    created?: boolean;
    canceled?: boolean;
    compact_revision?: string;
    cancel_reason?: string;
    events?: RawEvent[];
  };
  error?: { message?: string; grpc_code?: number };
}

const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 1_000;
const PROBE_TIMEOUT_MS = 2_000;

function toEvent(prefix: string, raw: RawEvent): KvEvent {
  const kv = decodeKv(raw.kv ?? {});
  const prev = raw.prev_kv ? decodeKv(raw.prev_kv) : undefined;
  const strip = (k: string): string => k.slice(prefix.length);
  const prevKv = prev ? { key: strip(prev.key), value: prev.value, createRevision: prev.create_revision, modRevision: prev.mod_revision } : undefined;
  if (raw.type === 'DELETE') {
    return {
      type: 'delete',
      kv: { key: strip(kv.key), value: prev?.value ?? '', createRevision: prev?.create_revision ?? 0, modRevision: kv.mod_revision },
      prevKv,
    };
  }
  return { type: 'put', kv: { key: strip(kv.key), value: kv.value, createRevision: kv.create_revision, modRevision: kv.mod_revision }, prevKv };
}

/** The revision etcd has compacted to, learned from a throwaway watch (etcd has no direct API). */
export async function probeCompactRevision(client: EtcdClient, key: string, start: number): Promise<number> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), PROBE_TIMEOUT_MS);
  try {
    const res = await client.openWatch({ create_request: { key: b64(key), start_revision: String(start) } }, 0, ac.signal);
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of res.body) {
      buf += decoder.decode(chunk as Buffer, { stream: true });
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = JSON.parse(buf.slice(0, nl)) as WatchLine;
        buf = buf.slice(nl + 1);
        if (line.result?.compact_revision) return Number(line.result.compact_revision);
      }
    }
  } catch {
    // Unknown: the caller reports 0.
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  return 0;
}

export interface EtcdWatch {
  /** Stops quietly (the consumer closed the watch). */
  stop(): void;
  /** Stops with a terminal error message to the consumer. */
  fail(error: Error): void;
}

export async function watchEtcd(client: EtcdClient, spec: EtcdWatchSpec, onMessage: (msg: KvWatchMessage) => void): Promise<EtcdWatch> {
  const key = spec.prefix + spec.range.start;
  const rangeEnd = spec.range.end !== undefined ? spec.prefix + spec.range.end : undefined;
  if (spec.after > 0) {
    // A compacted start is reported by etcd only asynchronously; check it up front.
    try {
      await client.call('/v3/kv/range', { key: b64(key), revision: String(spec.after + 1), count_only: true }, spec.range.start);
    } catch (err) {
      if (isCompactedError(err)) throw tooOld(spec.range.start, spec.after, await probeCompactRevision(client, key, spec.after + 1));
      if (!isFutureRevisionError(err)) throw err;
    }
  }

  let last = spec.after; // highest revision delivered (or the start point)
  let stopped = false;
  let current: AbortController | undefined;
  const stop = (): void => {
    stopped = true;
    current?.abort();
  };
  const fail = (error: Error): void => {
    if (stopped) return;
    stopped = true;
    current?.abort();
    onMessage({ kind: 'error', error });
  };

  /** Opens a stream from `last`; resolves once etcd confirms the watch, then keeps reading. */
  const open = async (attempt: number): Promise<{ done: Promise<void> }> => {
    const ac = new AbortController();
    current = ac;
    const body = {
      create_request: {
        key: b64(key),
        ...(rangeEnd !== undefined ? { range_end: b64(rangeEnd) } : {}),
        ...(last > 0 ? { start_revision: String(last + 1) } : {}),
        prev_kv: true,
        progress_notify: spec.progressNotify,
      },
    };
    const res = await client.openWatch(body, attempt, ac.signal);
    let confirm!: () => void;
    let reject!: (e: Error) => void;
    const created = new Promise<void>((resolve, rej) => {
      confirm = resolve;
      reject = rej;
    });
    const handle = (line: WatchLine): void => {
      if (line.error) throw new EtcdError(line.error.grpc_code ?? 0, line.error.message ?? 'watch error', 200);
      const r = line.result;
      if (!r) return;
      if (r.canceled) {
        const compacted = Number(r.compact_revision ?? 0);
        const err = compacted > 0 ? tooOld(spec.range.start, last, compacted) : unavailable(spec.range.start, `etcd canceled the watch: ${r.cancel_reason ?? ''}`);
        reject(err);
        fail(err);
        return;
      }
      if (r.created) {
        if (last === 0) last = decodeHeader(r.header).revision;
        confirm();
        return;
      }
      const events = (r.events ?? []).map((e) => toEvent(spec.prefix, e)).filter((e) => e.kv.modRevision > last);
      if (events.length > 0) {
        last = events[events.length - 1].kv.modRevision;
        onMessage({ kind: 'events', events });
      } else if (!r.events?.length && spec.progressNotify) {
        const rev = decodeHeader(r.header).revision;
        if (rev >= last) onMessage({ kind: 'progress', revision: rev });
      }
    };
    const done = (async () => {
      const decoder = new TextDecoder();
      let buf = '';
      for await (const chunk of res.body) {
        if (stopped) return;
        buf += decoder.decode(chunk as Buffer, { stream: true });
        for (let nl = buf.indexOf('\n'); nl >= 0 && !stopped; nl = buf.indexOf('\n')) {
          const text = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (text) handle(JSON.parse(text) as WatchLine);
        }
      }
      throw new Error('watch stream ended');
    })();
    done.catch((err: unknown) => reject(err as Error));
    await created;
    return { done };
  };

  const keepAlive = async (first: Promise<void>): Promise<void> => {
    let broken: Promise<void> = first;
    while (!stopped) {
      await broken.catch(() => {});
      if (stopped) return;
      // Resume from the last delivered revision, with bounded backoff across endpoints.
      const giveUp = Date.now() + spec.resumeTimeoutMs;
      let delay = BACKOFF_MIN_MS;
      let lastErr: unknown;
      let resumed = false;
      for (let attempt = 1; !stopped && Date.now() < giveUp; attempt++) {
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, BACKOFF_MAX_MS);
        if (stopped) return;
        try {
          broken = (await open(attempt)).done;
          resumed = true;
          break;
        } catch (err) {
          lastErr = err;
          if (stopped) return;
        }
      }
      if (!resumed) {
        fail(unavailable(spec.range.start, `etcd watch could not resume from revision ${last + 1}: ${(lastErr as Error)?.message ?? 'timed out'}`, lastErr));
        return;
      }
    }
  };

  // The first stream must open now (fail fast), trying each endpoint once.
  let firstErr: unknown;
  for (let attempt = 0; attempt < client.endpointCount; attempt++) {
    try {
      const { done } = await open(attempt);
      void keepAlive(done);
      return { stop, fail };
    } catch (err) {
      if (stopped) throw err;
      firstErr = err;
      if (err instanceof Error && err.name === 'StorageError') {
        stop();
        throw err;
      }
    }
  }
  stop();
  throw unavailable(spec.range.start, `etcd unavailable for watch (${client.endpoints.join(', ')}): ${(firstErr as Error)?.message ?? String(firstErr)}`, firstErr);
}
