// etcd going away under the store: a watch resumes after a restart with no gap and no
// duplicate; while etcd is down (or hung) calls fail fast with Unavailable; a dead
// endpoint in the list is skipped.
import assert from 'node:assert/strict';
import { createServer, connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createStore, isStorageError } from '../../src/storage/mod.ts';
import type { Store, WatchEvent } from '../../src/storage/mod.ts';
import { collectEvents, countAtLeast } from '../../src/storage/testing/watch-helpers.ts';
import { freePort, startEtcd, type EtcdServer } from '../support/etcd.ts';
import { toolOptions } from '../support/tools.ts';

const skip = toolOptions('etcd').skip;

/** A loopback TCP relay to `port`; while held, it cuts every connection and refuses new ones. */
async function startRelay(port: number): Promise<{ port: number; connections: number; hold(on: boolean): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let held = false;
  let connections = 0;
  const server = createServer((client) => {
    if (held) {
      client.destroy();
      return;
    }
    connections++;
    const upstream = connect(port, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : 0,
    get connections() {
      return connections;
    },
    hold(on) {
      held = on;
      if (on) for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
const rv = (o: { metadata: { resourceVersion?: string } }): number => Number(o.metadata.resourceVersion);

describe('etcd storage resilience', { skip }, () => {
  let etcd: EtcdServer;
  const stores: Store[] = [];
  before(async () => {
    etcd = await startEtcd();
  });
  after(async () => {
    await Promise.all(stores.map((s) => s.close().catch(() => {})));
    await etcd?.cleanup();
  });
  const open = async (extra: { endpoints?: string[]; requestTimeoutMs?: number; watchResumeTimeoutMs?: number } = {}): Promise<Store> => {
    const s = await createStore({ type: 'etcd', endpoints: etcd.endpoints, tls: etcd.clientTls, compactionIntervalMs: 0, ...extra });
    stores.push(s);
    return s;
  };
  const ensureUp = async (): Promise<void> => {
    if (etcd.pid === undefined) await etcd.start();
  };

  test('a watch survives an etcd restart: resumes from its last revision, no gap, no duplicate', { timeout: 60_000 }, async (t) => {
    await ensureUp();
    // The watching store reaches etcd through a TCP relay the test can hold shut, so the
    // writes made after the restart are certainly missed live and must be replayed.
    const target = new URL(etcd.endpoints[0]);
    const relay = await startRelay(Number(target.port));
    t.after(() => relay.close());
    const watching = await open({ endpoints: [`${target.protocol}//127.0.0.1:${relay.port}`], watchResumeTimeoutMs: 30_000 });
    const writer = await open();
    const p = '/registry/restart/';
    const start = rv(await writer.create(`${p}seed`, { metadata: { name: 'seed' } }));
    const w = await watching.watch(p, { revision: start, recursive: true });
    try {
      const written: number[] = [];
      for (let i = 0; i < 20; i++) written.push(rv(await writer.create(`${p}a${i}`, { metadata: { name: `a${i}` } })));
      const before = await collectEvents(w, countAtLeast(20), 5_000);
      assert.deepEqual(before.map((e) => e.revision), written, 'live before the restart');
      relay.hold(true);
      const stoppedAt = Date.now();
      await etcd.stop();
      await etcd.start();
      const restartMs = Date.now() - stoppedAt;
      for (let i = 0; i < 20; i++) written.push(rv(await writer.create(`${p}b${i}`, { metadata: { name: `b${i}` } })));
      relay.hold(false);
      const events = [...before, ...(await collectEvents(w, countAtLeast(20), 20_000))];
      assert.deepEqual(events.map((e) => e.revision), written);
      assert.equal(new Set(events.map((e) => e.object?.metadata.name)).size, written.length);
      assert.ok(relay.connections >= 2, 'the watch reconnected');
      // And it is still live.
      const late = rv(await writer.create(`${p}late`, { metadata: { name: 'late' } }));
      const more = await collectEvents(w, countAtLeast(1), 5_000);
      assert.deepEqual(more.map((e) => e.revision), [late]);
      t.diagnostic(`etcd restart took ${restartMs} ms; watch delivered ${written.length} events across it over ${relay.connections} connections`);
    } finally {
      w.close();
    }
  });

  test('etcd down: every call fails fast with Unavailable, and a broken watch ends with it', { timeout: 60_000 }, async (t) => {
    await ensureUp();
    const store = await open({ requestTimeoutMs: 2_000, watchResumeTimeoutMs: 1_500 });
    await store.create('/registry/down/x', { metadata: { name: 'x' } });
    const w = await store.watch('/registry/down/', { revision: 0, recursive: true });
    await etcd.kill();
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['get', () => store.get('/registry/down/x')],
      ['create', () => store.create('/registry/down/y', { metadata: { name: 'y' } })],
      ['list', () => store.list('/registry/down/')],
      ['update', () => store.guaranteedUpdate('/registry/down/x', (c) => c)],
      ['delete', () => store.delete('/registry/down/x')],
      ['count', () => store.count('/registry/down/')],
      ['watch', () => store.watch('/registry/down/', { revision: 0, recursive: true })],
      ['ping', () => store.ping()],
    ];
    for (const [name, call] of calls) {
      const t0 = Date.now();
      await assert.rejects(call(), (err) => isStorageError(err, 'Unavailable'), `${name} rejects with Unavailable`);
      const ms = Date.now() - t0;
      assert.ok(ms < 1_000, `${name} took ${ms} ms`);
    }
    const t0 = Date.now();
    const events: WatchEvent[] = await collectEvents(w, countAtLeast(1), 10_000, () => true);
    assert.equal(events[0].type, 'ERROR');
    assert.ok(isStorageError(events[0].error, 'Unavailable'), String(events[0].error));
    t.diagnostic(`down: watch gave up after ${Date.now() - t0} ms (resume timeout 1500 ms)`);
    await etcd.start();
    assert.equal((await store.get('/registry/down/x')).metadata.name, 'x', 'the store works again once etcd is back');
  });

  test('etcd hung (SIGSTOP): calls time out into Unavailable instead of hanging', { timeout: 60_000 }, async () => {
    await ensureUp();
    const store = await open({ requestTimeoutMs: 1_000 });
    await store.ping();
    const pid = etcd.pid!;
    process.kill(pid, 'SIGSTOP');
    try {
      const t0 = Date.now();
      await assert.rejects(store.get('/registry/hung/x'), (err) => isStorageError(err, 'Unavailable'));
      const ms = Date.now() - t0;
      assert.ok(ms >= 900 && ms < 3_000, `took ${ms} ms with a 1000 ms bound`);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await store.ping();
  });

  test('several endpoints: a dead one is skipped for calls and watches', async () => {
    await ensureUp();
    const dead = `${new URL(etcd.endpoints[0]).protocol}//127.0.0.1:${await freePort()}`;
    const store = await open({ endpoints: [dead, ...etcd.endpoints] });
    const w = await store.watch('/registry/failover/', { revision: 0, recursive: true });
    try {
      const made = await store.create('/registry/failover/a', { metadata: { name: 'a' } });
      assert.deepEqual(await store.get('/registry/failover/a'), made);
      const events = await collectEvents(w, countAtLeast(1), 5_000);
      assert.deepEqual(events[0].object, made);
    } finally {
      w.close();
    }
  });
});
