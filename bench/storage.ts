// Storage: the SQLite and etcd drivers of src/storage through the Store interface —
// create (16 in flight), get (16 in flight), paginated list of 1k and 10k objects, and
// watch-event throughput (a watch replaying 1k changes) — against a real etcd started on
// this machine (plain HTTP on 127.0.0.1), with etcd's own put rate beside it:
//   - the gRPC gateway of the same etcd (`POST /v3/kv/put`, and the driver's own create
//     `POST /v3/kv/txn` with CREATE=0) driven by wrk, 16 keep-alive connections, a new key per
//     request: etcd's floor at the driver's concurrency (the driver speaks to this gateway);
//   - `etcdctl put` as 16 parallel loops of processes: what a shell script reaches;
//   - etcd's native gRPC API (`/etcdserverpb.KV/Put`, and the create txn), which the driver
//     uses for creates: one HTTP/2 connection, 16 streams in flight, requests encoded by hand
//     (a Node client, so not free, but it does no JSON and no storage work);
//   - paired rounds: the driver's creates, wrk's gateway puts, gRPC puts and gRPC create txns taking turns in
//     short rounds, so all see the same background load (this 2-core machine is shared).
// Each driver first creates for WARMUP_MS under a separate prefix, so the timed creates are
// not the JIT's first calls into undici (wrk, native code, needs no warm-up).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { GrpcChannel } from '../src/storage/etcd/etcd-grpc.ts';
import { encodeCreateTxn } from '../src/storage/etcd/etcd-proto.ts';
import { createStore, type Store, type StoredObject } from '../src/storage/mod.ts';
import { startEtcd } from '../test/support/etcd.ts';
import { SECONDS, loadAverage, parseWrk, run, runOk, stats, writeResult } from './lib.ts';

const CONCURRENCY = 16;
const SIZES = [1000, 10_000];
const PREFIX = '/registry/bench.example.com/flunders/default/';
const WARMUP_PREFIX = '/registry/bench.example.com/warmup/';
const WARMUP_MS = 1_000;
const PAIRED_ROUNDS = 5;

function object(i: number): StoredObject {
  return {
    apiVersion: 'bench.example.com/v1',
    kind: 'Flunder',
    metadata: { name: `obj-${String(i).padStart(6, '0')}`, namespace: 'default', uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, creationTimestamp: '2026-01-01T00:00:00Z', labels: { app: 'bench' } },
    spec: { reference: 'bench-reference', referenceType: 'Flunder' },
  };
}

/** Runs `op(i)` for i in [from, to) with CONCURRENCY in flight, stopping at `deadline`; returns how many finished. */
async function pool(from: number, to: number, deadline: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = from;
  let done = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < to && Date.now() < deadline) {
      const i = next++;
      await op(i);
      done++;
    }
  }));
  return done;
}

interface DriverResult {
  driver: string;
  /** The first 1,000 timed creates. */
  createPerSec: number;
  /** Every timed create: the first 1,000 and the ones up to 10,000. */
  createAllPerSec: number;
  warmupCreates: number;
  created: number;
  getPerSec: number;
  list: Array<{ objects: number; pageSize: number; ms: ReturnType<typeof stats>; itemsPerSec: number }>;
  watch: { events: number; seconds: number; eventsPerSec: number };
}

async function benchDriver(driver: string, store: Store): Promise<DriverResult> {
  const warmupCreates = await pool(0, 1_000_000, Date.now() + WARMUP_MS, (i) => store.create(`${WARMUP_PREFIX}${i}`, object(i)));
  // A first write so the watch below replays from a revision > 0 (0 means "from now").
  await store.create('/registry/bench.example.com/sentinel', { metadata: { name: 'sentinel' } });
  const rev0 = await store.currentRevision();
  // Creates: the first 1k are timed, then up to 10k for the list; the headline rate is over both.
  let start = performance.now();
  const created1k = await pool(0, SIZES[0], Date.now() + SECONDS * 6000, (i) => store.create(`${PREFIX}${object(i).metadata.name}`, object(i)));
  const create1kSeconds = (performance.now() - start) / 1000;
  const createPerSec = created1k / create1kSeconds;
  const list: DriverResult['list'] = [];
  const listRun = async (objects: number) => {
    const times: number[] = [];
    for (let k = 0; k < 5; k++) {
      const t = performance.now();
      let token: string | undefined;
      let items = 0;
      for (let page = 0; page < 1000; page++) {
        const r = await store.list(PREFIX, { limit: 500, continue: token });
        items += r.items.length;
        token = r.continue;
        if (!token) break;
      }
      if (items !== objects) throw new Error(`${driver}: listed ${items} of ${objects}`);
      times.push(performance.now() - t);
    }
    const s = stats(times);
    list.push({ objects, pageSize: 500, ms: s, itemsPerSec: objects / (s.median / 1000) });
  };
  await listRun(created1k);
  // Watch replay: every change since rev0 (the first 1k creates), delivered as fast as the driver can.
  const ac = new AbortController();
  start = performance.now();
  const watcher = await store.watch(PREFIX, { revision: rev0, recursive: true, signal: ac.signal });
  let events = 0;
  const timer = setTimeout(() => watcher.close(), 60_000);
  for await (const e of watcher) {
    if (e.type === 'ADDED') events++;
    if (events >= created1k) break;
  }
  clearTimeout(timer);
  watcher.close();
  const watchSeconds = (performance.now() - start) / 1000;
  // Gets: random keys among the first 1k, for SECONDS.
  start = performance.now();
  const gets = await pool(0, 1_000_000, Date.now() + SECONDS * 1000, (i) => store.get(`${PREFIX}${object((i * 7919) % created1k).metadata.name}`));
  const getPerSec = gets / ((performance.now() - start) / 1000);
  start = performance.now();
  const more = await pool(SIZES[0], SIZES[1], Date.now() + SECONDS * 6000, (i) => store.create(`${PREFIX}${object(i).metadata.name}`, object(i)));
  const createAllPerSec = (created1k + more) / (create1kSeconds + (performance.now() - start) / 1000);
  await listRun(created1k + more);
  process.stderr.write(`storage ${driver}: create ${createPerSec.toFixed(0)}/s (all ${createAllPerSec.toFixed(0)}/s), get ${getPerSec.toFixed(0)}/s, watch ${(events / watchSeconds).toFixed(0)} events/s, list ${list.map((l) => `${l.objects}: ${l.ms.median.toFixed(0)} ms`).join(', ')}\n`);
  return { driver, createPerSec, createAllPerSec, warmupCreates, created: created1k + more, getPerSec, list, watch: { events, seconds: watchSeconds, eventsPerSec: events / watchSeconds } };
}

const PUT_LUA = `counter = 0
request = function()
  counter = counter + 1
  local key = b64("/bench/" .. MODE .. "/" .. RUN .. "/" .. counter)
  local put = '{"key":"' .. key .. '","value":"' .. VALUE64 .. '"}'
  if MODE == "txn" then
    local body = '{"compare":[{"key":"' .. key .. '","target":"CREATE","result":"EQUAL","create_revision":"0"}],"success":[{"request_put":' .. put .. '}]}'
    return wrk.format("POST", "/v3/kv/txn", {["Content-Type"] = "application/json"}, body)
  end
  return wrk.format("POST", "/v3/kv/put", {["Content-Type"] = "application/json"}, put)
end
local chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
function b64(data)
  return ((data:gsub('.', function(x)
    local r, b = '', x:byte()
    for i = 8, 1, -1 do r = r .. (b % 2 ^ i - b % 2 ^ (i - 1) > 0 and '1' or '0') end
    return r
  end) .. '0000'):gsub('%d%d?%d?%d?%d?%d?', function(x)
    if #x < 6 then return '' end
    local c = 0
    for i = 1, 6 do c = c + (x:sub(i, i) == '1' and 2 ^ (6 - i) or 0) end
    return chars:sub(c + 1, c + 1)
  end) .. ({ '', '==', '=' })[#data % 3 + 1])
end
-- Once, not per request: this bit-string base64 costs wrk ~230 µs of Lua per 287-byte value,
-- which made wrk, not etcd, the limit of the floor (2× fewer puts/s on this machine).
VALUE64 = b64(VALUE)
`;

/** PutRequest{key, value} (rpc.proto field 1 and 2, both bytes). */
function encodePut(key: Buffer, value: Buffer): Buffer {
  const len = (n: number): number[] => {
    const out: number[] = [];
    for (; n >= 0x80; n = Math.floor(n / 0x80)) out.push((n % 0x80) | 0x80);
    out.push(n);
    return out;
  };
  return Buffer.concat([Buffer.from([0x0a, ...len(key.length)]), key, Buffer.from([0x12, ...len(value.length)]), value]);
}

/** etcd's gRPC put (or create txn) rate: CONCURRENCY streams on one HTTP/2 connection, a new key per call. */
async function grpcRun(endpoint: string, mode: 'put' | 'txn', value: string, run: number, seconds: number): Promise<{ putsPerSec: number; requests: number; failed: number }> {
  const channel = new GrpcChannel(endpoint);
  const bytes = Buffer.from(value);
  let requests = 0;
  let failed = 0;
  try {
    const t = performance.now();
    await pool(0, 10_000_000, Date.now() + seconds * 1000, async (i) => {
      const key = Buffer.from(`/bench/grpc-${mode}/${run}/${i}`);
      requests++;
      try {
        await (mode === 'put' ? channel.unary('/etcdserverpb.KV/Put', encodePut(key, bytes), 5_000) : channel.unary('/etcdserverpb.KV/Txn', encodeCreateTxn(key, bytes), 5_000));
      } catch {
        failed++;
      }
    });
    return { putsPerSec: (requests - failed) / ((performance.now() - t) / 1000), requests, failed };
  } finally {
    channel.close();
  }
}

async function main(): Promise<void> {
  const load = loadAverage();
  const dir = await mkdtemp(join(tmpdir(), 'kagg-bench-storage-'));
  const etcd = await startEtcd({ tls: false });
  const results: DriverResult[] = [];
  let gateway = { putsPerSec: 0, requests: 0, non2xx: 0 };
  let gatewayTxn = { putsPerSec: 0, requests: 0, non2xx: 0 };
  let etcdctl = { putsPerSec: 0, puts: 0 };
  let grpcPut = { putsPerSec: 0, requests: 0, failed: 0 };
  let grpcTxn = { putsPerSec: 0, requests: 0, failed: 0 };
  const paired: Array<{ driverCreatesPerSec: number; gatewayPutsPerSec: number; ratio: number; grpcPutsPerSec: number; grpcRatio: number; grpcTxnsPerSec: number; grpcTxnRatio: number }> = [];
  try {
    const sqlite = await createStore({ type: 'sqlite', path: join(dir, 'bench.db') });
    try {
      results.push(await benchDriver('sqlite', sqlite));
    } finally {
      await sqlite.close();
    }
    // The same value bytes the driver stored for one object.
    const value = JSON.stringify(object(0));
    let runs = 0;
    const gatewayRun = async (mode: 'put' | 'txn', seconds = SECONDS) => {
      // RUN keeps every wrk run on its own keys, so each request creates a new key.
      await writeFile(join(dir, `${mode}.lua`), `VALUE = ${JSON.stringify(value)}\nMODE = "${mode}"\nRUN = ${++runs}\n${PUT_LUA}`);
      const w = await runOk('wrk', ['-t1', `-c${CONCURRENCY}`, `-d${seconds}s`, '-s', join(dir, `${mode}.lua`), `${etcd.endpoints[0]}/v3/kv/${mode}`], { timeoutMs: (seconds + 30) * 1000 });
      const parsed = parseWrk(w.stdout);
      return { putsPerSec: (parsed.requests - parsed.non2xx) / parsed.seconds, requests: parsed.requests, non2xx: parsed.non2xx };
    };
    const etcdStore = await createStore({ type: 'etcd', endpoints: etcd.endpoints });
    try {
      results.push(await benchDriver('etcd', etcdStore));
      gateway = await gatewayRun('put');
      gatewayTxn = await gatewayRun('txn');
      grpcPut = await grpcRun(etcd.endpoints[0], 'put', value, ++runs, SECONDS);
      grpcTxn = await grpcRun(etcd.endpoints[0], 'txn', value, ++runs, SECONDS);
      // Paired rounds: driver creates, then wrk puts, each for the same short time.
      const roundSeconds = Math.max(1, Math.round(SECONDS / 3));
      for (let r = 0; r < PAIRED_ROUNDS; r++) {
        const t0 = performance.now();
        const done = await pool(0, 1_000_000, Date.now() + roundSeconds * 1000, (i) => etcdStore.create(`/registry/bench.example.com/paired/${r}/${i}`, object(i)));
        const driverPerSec = done / ((performance.now() - t0) / 1000);
        const w = await gatewayRun('put', roundSeconds);
        const g = await grpcRun(etcd.endpoints[0], 'put', value, ++runs, roundSeconds);
        const gt = await grpcRun(etcd.endpoints[0], 'txn', value, ++runs, roundSeconds);
        paired.push({
          driverCreatesPerSec: driverPerSec,
          gatewayPutsPerSec: w.putsPerSec,
          ratio: driverPerSec / w.putsPerSec,
          grpcPutsPerSec: g.putsPerSec,
          grpcRatio: driverPerSec / g.putsPerSec,
          grpcTxnsPerSec: gt.putsPerSec,
          grpcTxnRatio: driverPerSec / gt.putsPerSec,
        });
      }
    } finally {
      await etcdStore.close();
    }
    // 16 parallel loops of `etcdctl put`, each bounded by count and SECONDS.
    const deadline = Date.now() + SECONDS * 1000;
    let puts = 0;
    const t = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async (_, worker) => {
      for (let i = 0; i < 10_000 && Date.now() < deadline; i++) {
        const r = await run('etcdctl', [`--endpoints=${etcd.endpoints[0]}`, 'put', `/bench/etcdctl/${worker}/${i}`, value], { timeoutMs: 10_000 });
        if (r.code === 0) puts++;
      }
    }));
    etcdctl = { putsPerSec: puts / ((performance.now() - t) / 1000), puts };
    process.stderr.write(`storage etcd floor: gateway ${gateway.putsPerSec.toFixed(0)} puts/s, ${gatewayTxn.putsPerSec.toFixed(0)} create txns/s, gRPC ${grpcPut.putsPerSec.toFixed(0)} puts/s, ${grpcTxn.putsPerSec.toFixed(0)} create txns/s, etcdctl ${etcdctl.putsPerSec.toFixed(0)} puts/s; paired driver/put ratios gateway ${paired.map((p) => p.ratio.toFixed(2)).join(' ')}, gRPC ${paired.map((p) => p.grpcRatio.toFixed(2)).join(' ')}, gRPC txn ${paired.map((p) => p.grpcTxnRatio.toFixed(2)).join(' ')}\n`);
  } finally {
    await etcd.cleanup();
    await rm(dir, { recursive: true, force: true });
  }
  await writeResult('storage', { date: new Date().toISOString(), loadAverage: load, cores: cpus().length, seconds: SECONDS, concurrency: CONCURRENCY, valueBytes: Buffer.byteLength(JSON.stringify(object(0))), results, gateway, gatewayTxn, grpcPut, grpcTxn, etcdctl, paired, warmupMs: WARMUP_MS, putLua: PUT_LUA });
}

await main();
