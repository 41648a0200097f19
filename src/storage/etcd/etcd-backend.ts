// The Backend on etcd v3: reads are ranges, writes are transactions comparing
// create_revision == 0 (create) or mod_revision (update, delete), like k8s' etcd3 store.
// Keys get an optional prefix (kine-style namespace) on the way in and lose it on the way out.
import type { Backend, KeyRange, KeyValue, RangeOptions, RangeResult, WriteResult } from '../backend.ts';
import { keyExists, storageTimeout, tooOld, unavailable } from '../errors.ts';
import type { EtcdKv } from './etcd-client.ts';
import { b64, decodeHeader, decodeKv, EtcdClient, int, isCompactedError, isFutureRevisionError } from './etcd-client.ts';
import type { EtcdClientOptions } from './etcd-client.ts';
import { decodeTxnOutcome, encodeCreateTxn } from './etcd-proto.ts';
import { probeCompactRevision, watchEtcd } from './etcd-watch.ts';
import type { EtcdWatch } from './etcd-watch.ts';

interface RawHeader {
  revision?: string;
}
interface RangeResponse {
  header?: RawHeader;
  kvs?: Array<Record<string, string>>;
  count?: string;
}
interface TxnResponse {
  header?: RawHeader;
  succeeded?: boolean;
  responses?: Array<{ response_range?: RangeResponse; response_delete_range?: { prev_kvs?: Array<Record<string, string>> } }>;
}

export interface EtcdBackendOptions extends EtcdClientOptions {
  prefix?: string;
  watchResumeTimeoutMs?: number;
}

export function createEtcdBackend(options: EtcdBackendOptions): Backend {
  const client = new EtcdClient(options);
  const prefix = options.prefix ?? '';
  const watches = new Set<EtcdWatch>();
  let closed = false;
  const outKv = (kv: EtcdKv): KeyValue => ({ key: kv.key.slice(prefix.length), value: kv.value, createRevision: kv.create_revision, modRevision: kv.mod_revision });
  const firstKv = (res: RangeResponse | undefined): KeyValue | undefined => (res?.kvs?.[0] ? outKv(decodeKv(res.kvs[0])) : undefined);

  async function read<T>(key: string, revision: number, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (isCompactedError(err)) throw tooOld(key, revision, await probeCompactRevision(client, prefix + key, revision));
      if (isFutureRevisionError(err)) throw storageTimeout(key, `Too large resource version: ${revision}`);
      throw err;
    }
  }

  async function conditional(key: string, modRevision: number, op: Record<string, unknown>): Promise<WriteResult> {
    const k = b64(prefix + key);
    const res = await client.call<TxnResponse>(
      '/v3/kv/txn',
      {
        compare: [{ key: k, target: 'MOD', result: 'EQUAL', mod_revision: String(modRevision) }],
        success: [op],
        failure: [{ request_range: { key: k } }],
      },
      key,
    );
    const revision = decodeHeader(res.header).revision;
    if (res.succeeded) return { ok: true, revision };
    return { ok: false, current: firstKv(res.responses?.[0]?.response_range), revision };
  }

  return {
    async range(range: KeyRange, opts: RangeOptions = {}): Promise<RangeResult> {
      const revision = opts.revision ?? 0;
      const res = await read(range.start, revision, () =>
        client.call<RangeResponse>(
          '/v3/kv/range',
          {
            key: b64(prefix + range.start),
            ...(range.end !== undefined ? { range_end: b64(prefix + range.end) } : {}),
            ...(revision > 0 ? { revision: String(revision) } : {}),
            ...(opts.limit ? { limit: String(opts.limit) } : {}),
          },
          range.start,
        ),
      );
      const kvs = (res.kvs ?? []).map((raw) => outKv(decodeKv(raw)));
      return { kvs, revision: revision > 0 ? revision : decodeHeader(res.header).revision, count: int(res.count) };
    },
    async create(key, value) {
      // If create_revision == 0 then put, and nothing else (k8s etcd3 store.Create): a failed
      // create needs only the header revision. Sent over native gRPC, not the gateway.
      const res = decodeTxnOutcome(await client.unary('/etcdserverpb.KV/Txn', encodeCreateTxn(Buffer.from(prefix + key, 'utf8'), Buffer.from(value, 'utf8')), key));
      if (!res.succeeded) throw keyExists(key, res.revision);
      return res.revision;
    },
    update: (key, value, modRevision) => conditional(key, modRevision, { request_put: { key: b64(prefix + key), value: b64(value) } }),
    delete: (key, modRevision) => conditional(key, modRevision, { request_delete_range: { key: b64(prefix + key) } }),
    async watch(range, opts, onMessage) {
      if (closed) throw unavailable(range.start, 'storage is closed');
      const handle = await watchEtcd(client, { prefix, range, after: opts.after, progressNotify: opts.progressNotify, resumeTimeoutMs: options.watchResumeTimeoutMs ?? 60_000 }, onMessage);
      watches.add(handle);
      return () => {
        watches.delete(handle);
        handle.stop();
      };
    },
    async currentRevision() {
      const res = await client.call<RangeResponse>('/v3/kv/range', { key: b64(`${prefix}\x00`), count_only: true });
      return decodeHeader(res.header).revision;
    },
    async compact(revision) {
      const current = decodeHeader((await client.call<RangeResponse>('/v3/kv/range', { key: b64(`${prefix}\x00`), count_only: true })).header).revision;
      const target = Math.min(revision, current);
      try {
        await client.call('/v3/kv/compaction', { revision: String(target) });
      } catch (err) {
        if (!isCompactedError(err)) throw err; // already compacted at or past it
      }
      return target;
    },
    async ping() {
      await client.call('/v3/maintenance/status', {});
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const w of watches) w.fail(unavailable('', 'storage is closed'));
      watches.clear();
      await client.close();
    },
  };
}
