// A 3-member (or n-member) etcd cluster on loopback for fault tests, with client and peer TLS
// from `kagg certs init`'s etcd tree (etcd/ca, etcd/server, etcd/peer; kagg connects with
// apiserver-etcd-client). Members can be killed and restarted one by one; every process is
// stopped by its PID, and a watchdog kills them if the test process dies.
//
//   const cluster = await startEtcdCluster();
//   t.after(() => cluster.cleanup());
//   kagg serve --storage=etcd --etcd-servers=${cluster.endpoints.join(',')} --etcd-cafile=${cluster.kaggTls.caFile} ...
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { main } from '../../src/cli/bin.ts';
import { captureIO } from './cli-io.ts';
import { freePort } from './etcd.ts';

export interface ClusterTls {
  caFile: string;
  certFile: string;
  keyFile: string;
}

export interface EtcdMember {
  readonly name: string;
  readonly clientUrl: string;
  /** PID while running. */
  readonly pid: number | undefined;
  start(): Promise<void>;
  /** SIGKILL; resolves once exited. */
  kill(): Promise<void>;
  /** SIGTERM (SIGKILL after 5 s); resolves once exited. */
  stop(): Promise<void>;
  logs(): string;
}

export interface EtcdCluster {
  readonly dir: string;
  readonly endpoints: string[];
  readonly members: EtcdMember[];
  /** apiserver-etcd-client: what `kagg serve --etcd-*` uses. */
  readonly kaggTls: ClusterTls;
  /** Starts every stopped member at once (a lone member has no quorum), then waits. */
  startAll(): Promise<void>;
  /** SIGTERM to every member at once. */
  stopAll(): Promise<void>;
  /** Waits until `count` members answer a status call (default: all running ones). */
  waitHealthy(count?: number, timeoutMs?: number): Promise<void>;
  cleanup(): Promise<void>;
}

function exited(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => proc.once('exit', () => resolve()));
}

/** Kills `pid` when this process exits or dies (a detached shell polls the parent). */
function reapWithParent(pid: number): void {
  const parent = process.pid;
  spawn('sh', ['-c', `while kill -0 ${parent} 2>/dev/null && kill -0 ${pid} 2>/dev/null; do sleep 1; done; kill -0 ${parent} 2>/dev/null || kill -9 ${pid} 2>/dev/null; exit 0`], { stdio: 'ignore', detached: true }).unref();
  process.once('exit', () => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  });
}

export async function startEtcdCluster(o: { size?: number; readyTimeoutMs?: number } = {}): Promise<EtcdCluster> {
  const size = o.size ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'kagg-etcd-cluster-'));
  const procs: Array<ChildProcess | undefined> = [];
  try {
    const pki = join(dir, 'pki');
    const io = captureIO();
    const code = await main(['certs', 'init', '--cert-dir', pki, '--node-name', 'localhost', '--advertise-address', '127.0.0.1', '--key-algorithm', 'ecdsa-p256'], io);
    if (code !== 0) throw new Error(`kagg certs init failed: ${io.err()}`);
    const f = (p: string) => join(pki, p);
    const ports: Array<{ client: number; peer: number }> = [];
    for (let i = 0; i < size; i++) ports.push({ client: await freePort(), peer: await freePort() });
    const names = ports.map((_, i) => `m${i}`);
    const peerUrl = (i: number) => `https://127.0.0.1:${ports[i].peer}`;
    const clientUrl = (i: number) => `https://127.0.0.1:${ports[i].client}`;
    const initialCluster = names.map((n, i) => `${n}=${peerUrl(i)}`).join(',');
    const agent = new Agent({ connect: { ca: readFileSync(f('etcd/ca.crt')), cert: readFileSync(f('apiserver-etcd-client.crt')), key: readFileSync(f('apiserver-etcd-client.key')), timeout: 1000 } });
    const logs = names.map(() => '');
    const started = names.map(() => false);

    const args = (i: number) => [
      '--name', names[i],
      '--data-dir', join(dir, names[i]),
      '--listen-client-urls', clientUrl(i), '--advertise-client-urls', clientUrl(i),
      '--listen-peer-urls', peerUrl(i), '--initial-advertise-peer-urls', peerUrl(i),
      '--initial-cluster', initialCluster, '--initial-cluster-state', started[i] ? 'existing' : 'new', '--initial-cluster-token', 'kagg-fault',
      '--cert-file', f('etcd/server.crt'), '--key-file', f('etcd/server.key'), '--client-cert-auth', '--trusted-ca-file', f('etcd/ca.crt'),
      '--peer-cert-file', f('etcd/peer.crt'), '--peer-key-file', f('etcd/peer.key'), '--peer-client-cert-auth', '--peer-trusted-ca-file', f('etcd/ca.crt'),
      '--heartbeat-interval', '50', '--election-timeout', '500',
      '--experimental-watch-progress-notify-interval', '1000ms',
      '--logger', 'zap', '--log-outputs', 'stderr',
    ];
    const healthy = async (i: number): Promise<boolean> => {
      try {
        const res = await request(`${clientUrl(i)}/v3/maintenance/status`, { method: 'POST', body: '{}', dispatcher: agent, headersTimeout: 1000, bodyTimeout: 1000 });
        const body = (await res.body.json()) as { leader?: string; errors?: string[] };
        return res.statusCode === 200 && !!body.leader && body.leader !== '0' && !(body.errors?.length);
      } catch {
        return false;
      }
    };
    const running = (i: number) => {
      const p = procs[i];
      return !!p && p.exitCode === null && p.signalCode === null;
    };
    const spawnMember = (i: number) => {
      if (running(i)) return;
      const p = spawn('etcd', args(i), { stdio: ['ignore', 'ignore', 'pipe'] });
      started[i] = true;
      p.stderr?.on('data', (c: Buffer) => (logs[i] = (logs[i] + c.toString()).slice(-20_000)));
      if (p.pid !== undefined) reapWithParent(p.pid);
      procs[i] = p;
    };
    const signal = async (i: number, sig: NodeJS.Signals) => {
      const p = procs[i];
      if (!p || !running(i)) return;
      p.kill(sig);
      const timer = setTimeout(() => p.kill('SIGKILL'), 5_000);
      await exited(p);
      clearTimeout(timer);
    };
    const waitHealthy = async (count?: number, timeoutMs = o.readyTimeoutMs ?? 30_000) => {
      const deadline = Date.now() + timeoutMs;
      for (let attempt = 0; attempt < 1000 && Date.now() < deadline; attempt++) {
        const want = count ?? names.filter((_, i) => running(i)).length;
        const ok = (await Promise.all(names.map((_, i) => (running(i) ? healthy(i) : false)))).filter(Boolean).length;
        if (ok >= want) return;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`etcd cluster not healthy within ${timeoutMs} ms:\n${logs.map((l, i) => `--- ${names[i]}\n${l.slice(-1500)}`).join('\n')}`);
    };
    names.forEach((_, i) => spawnMember(i));
    await waitHealthy(size);
    const members: EtcdMember[] = names.map((name, i) => ({
      name,
      clientUrl: clientUrl(i),
      get pid() {
        return running(i) ? procs[i]?.pid : undefined;
      },
      start: async () => {
        spawnMember(i);
        await waitHealthy();
      },
      kill: () => signal(i, 'SIGKILL'),
      stop: () => signal(i, 'SIGTERM'),
      logs: () => logs[i],
    }));
    let cleaned = false;
    return {
      dir,
      endpoints: names.map((_, i) => clientUrl(i)),
      members,
      kaggTls: { caFile: f('etcd/ca.crt'), certFile: f('apiserver-etcd-client.crt'), keyFile: f('apiserver-etcd-client.key') },
      waitHealthy,
      async startAll() {
        names.forEach((_, i) => spawnMember(i));
        await waitHealthy(size);
      },
      async stopAll() {
        await Promise.all(names.map((_, i) => signal(i, 'SIGTERM')));
      },
      async cleanup() {
        if (cleaned) return;
        cleaned = true;
        await Promise.all(names.map((_, i) => signal(i, 'SIGTERM')));
        await agent.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    for (const p of procs) if (p && p.exitCode === null) p.kill('SIGKILL');
    await Promise.all(procs.map((p) => (p ? exited(p) : undefined)));
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
