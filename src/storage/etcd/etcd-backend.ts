// The Backend on etcd v3: reads are ranges, writes are transactions comparing
// create_revision == 0 (create) or mod_revision (update, delete), like k8s' etcd3 store.
// Keys get an optional prefix (kine-style namespace) on the way in and lose it on the way out.
// Ranges and transactions go over native gRPC (etcd-grpc.ts); watches, compaction and the
// status ping over the JSON gateway (etcd-client.ts).
import type { Backend, KeyRange, KeyValue, RangeOptions, RangeResult, WriteResult } from '../backend.ts';
import { keyExists, storageTimeout, tooOld, unavailable } from '../errors.ts';
import { EtcdClient, isCompactedError, isFutureRevisionError } from './etcd-client.ts';
import type { EtcdClientOptions } from './etcd-client.ts';
import { decodeRangeResponse, decodeTxnOutcome, decodeTxnWithRange, deleteOp, encodeCreateTxn, encodeMessage, encodeModTxn, putOp, rangeRequest } from './etcd-proto.ts';
import type { ProtoField, ProtoKv } from './etcd-proto.ts';
import { probeCompactRevision, watchEtcd } from './etcd-watch.ts';
import type { EtcdWatch } from './etcd-watch.ts';

export interface EtcdBackendOptions extends EtcdClientOptions {
  prefix?: string;
  watchResumeTimeoutMs?: number;
}

export function createEtcdBackend(options: EtcdBackendOptions): Backend {
  const client = new EtcdClient(options);
  const prefix = options.prefix ?? '';
  const watches = new Set<EtcdWatch>();
  let closed = false;
  const outKv = (kv: ProtoKv): KeyValue => ({ key: kv.key.slice(prefix.length), value: kv.value, createRevision: kv.create_revision, modRevision: kv.mod_revision });
  const bytes = (key: string): Buffer => Buffer.from(prefix + key, 'utf8');
  const currentRevision = async (): Promise<number> =>
    decodeRangeResponse(await client.unary('/etcdserverpb.KV/Range', encodeMessage(rangeRequest({ key: bytes('\x00'), countOnly: true })))).revision;

  async function read<T>(key: string, revision: number, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (isCompactedError(err)) throw tooOld(key, revision, await probeCompactRevision(client, prefix + key, revision));
      if (isFutureRevisionError(err)) throw storageTimeout(key, `Too large resource version: ${revision}`);
      throw err;
    }
  }

  async function conditional(key: string, modRevision: number, op: ProtoField): Promise<WriteResult> {
    const res = decodeTxnWithRange(await client.unary('/etcdserverpb.KV/Txn', encodeModTxn(bytes(key), modRevision, op), key));
    if (res.succeeded) return { ok: true, revision: res.revision };
    const current = res.range?.kvs[0];
    return { ok: false, current: current ? outKv(current) : undefined, revision: res.revision };
  }

  return {
    async range(range: KeyRange, opts: RangeOptions = {}): Promise<RangeResult> {
      const revision = opts.revision ?? 0;
      const request = rangeRequest({ key: bytes(range.start), rangeEnd: range.end !== undefined ? bytes(range.end) : undefined, revision, limit: opts.limit });
      const res = decodeRangeResponse(await read(range.start, revision, () => client.unary('/etcdserverpb.KV/Range', encodeMessage(request), range.start)));
      return { kvs: res.kvs.map(outKv), revision: revision > 0 ? revision : res.revision, count: res.count };
    },
    async create(key, value) {
      // If create_revision == 0 then put, and nothing else (k8s etcd3 store.Create): a failed
      // create needs only the header revision.
      const res = decodeTxnOutcome(await client.unary('/etcdserverpb.KV/Txn', encodeCreateTxn(bytes(key), Buffer.from(value, 'utf8')), key));
      if (!res.succeeded) throw keyExists(key, res.revision);
      return res.revision;
    },
    update: (key, value, modRevision) => conditional(key, modRevision, putOp(bytes(key), Buffer.from(value, 'utf8'))),
    delete: (key, modRevision) => conditional(key, modRevision, deleteOp(bytes(key))),
    async watch(range, opts, onMessage) {
      if (closed) throw unavailable(range.start, 'storage is closed');
      const handle = await watchEtcd(client, { prefix, range, after: opts.after, progressNotify: opts.progressNotify, resumeTimeoutMs: options.watchResumeTimeoutMs ?? 60_000 }, onMessage);
      watches.add(handle);
      return () => {
        watches.delete(handle);
        handle.stop();
      };
    },
    currentRevision,
    async compact(revision) {
      const current = await currentRevision();
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
