// Footprint: `kagg up` (kagg serve + the wardle sample + its APIServices; SQLite, and etcd)
// from spawn until every APIService is Available (the ready marker), then the RSS of each
// process idle and while wrk lists flunders through the aggregator for SECONDS with a
// service-account token (TokenRequest; cluster-admin binding) at 16 connections.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { freePort } from '../test/support/etcd.ts';
import { REPS, ROOT, SECONDS, cpuMs, loadAverage, parseWrk, rssMiB, runOk, startDaemon, stats, writeResult } from './lib.ts';

const FLUNDERS = '/apis/wardle.example.com/v1alpha1/namespaces/default/flunders';

interface Admin {
  url: string;
  ca: string;
  cert: string;
  key: string;
}

function readAdmin(file: string): Admin {
  const kc = parse(readFileSync(file, 'utf8')) as { clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>; users: Array<{ user: { 'client-certificate-data': string; 'client-key-data': string } }> };
  const b = (s: string) => Buffer.from(s, 'base64').toString('utf8');
  return { url: kc.clusters[0].cluster.server, ca: b(kc.clusters[0].cluster['certificate-authority-data']), cert: b(kc.users[0].user['client-certificate-data']), key: b(kc.users[0].user['client-key-data']) };
}

function call(admin: Admin, method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, admin.url), { method, ca: admin.ca, cert: admin.cert, key: admin.key, agent: false, timeout: 20_000, headers: { accept: 'application/json', 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${path} timed out`)));
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

async function saToken(admin: Admin): Promise<string> {
  const steps: Array<[string, unknown]> = [
    ['/api/v1/namespaces/default/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'bench' } }],
    ['/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'bench-admin' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'ServiceAccount', name: 'bench', namespace: 'default' }] }],
  ];
  for (const [path, body] of steps) {
    const r = await call(admin, 'POST', path, body);
    if (r.status !== 201 && r.status !== 409) throw new Error(`${path}: ${r.status} ${r.text}`);
  }
  const r = await call(admin, 'POST', '/api/v1/namespaces/default/serviceaccounts/bench/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } });
  if (r.status !== 201) throw new Error(`TokenRequest: ${r.status} ${r.text}`);
  return (JSON.parse(r.text) as { status: { token: string } }).status.token;
}

function children(stateDir: string): Array<{ name: string; pid: number }> {
  const file = join(stateDir, 'children.pids');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => {
    const [name, pid] = l.split(' ');
    return { name, pid: Number(pid) };
  });
}

async function once(storage: string, withLoad: boolean) {
  const stateDir = await mkdtemp(join(tmpdir(), 'kagg-bench-up-'));
  const port = await freePort();
  const t0 = performance.now();
  const up = await startDaemon(process.execPath, [join(ROOT, 'bin', 'kagg.mjs'), 'up', `--state-dir=${stateDir}`, `--port=${port}`, `--storage=${storage}`], /APIServices Available/, { timeoutMs: 180_000, stopGraceMs: 30_000 });
  const readyMs = performance.now() - t0;
  try {
    const procs = [{ name: 'kagg up', pid: up.pid }, ...children(stateDir)];
    await new Promise((r) => setTimeout(r, 2000));
    const idle = Object.fromEntries(procs.map((p) => [p.name, rssMiB(p.pid)]));
    if (!withLoad) return { readyMs, idle };
    const admin = readAdmin(join(stateDir, 'admin.conf'));
    const token = await saToken(admin);
    const serve = procs.find((p) => p.name === 'kagg-serve');
    const c0 = serve ? cpuMs(serve.pid) : 0;
    const peak: Record<string, number> = {};
    const sampler = setInterval(() => {
      for (const p of procs) peak[p.name] = Math.max(peak[p.name] ?? 0, rssMiB(p.pid));
    }, 250);
    let w;
    try {
      w = parseWrk((await runOk('wrk', ['-t1', '-c16', `-d${SECONDS}s`, '--latency', '-H', `Authorization: Bearer ${token}`, `${admin.url}${FLUNDERS}`], { timeoutMs: (SECONDS + 30) * 1000 })).stdout);
    } finally {
      clearInterval(sampler);
    }
    const c1 = serve ? cpuMs(serve.pid) : 0;
    return { readyMs, idle, load: { rps: w.rps, p99ms: w.p99ms, non2xx: w.non2xx, peak, serveCpuUsPerReq: ((c1 - c0) * 1000) / Math.max(1, w.requests - w.non2xx) } };
  } finally {
    const kids = children(stateDir);
    await up.stop();
    for (const k of kids) {
      try {
        process.kill(k.pid, 0);
        process.kill(k.pid, 'SIGKILL');
        process.stderr.write(`footprint: ${k.name} (${k.pid}) outlived kagg up; killed\n`);
      } catch {
        // already gone
      }
    }
    await rm(stateDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const load = loadAverage();
  const reps = Math.min(REPS, 3);
  const rows = [];
  for (const storage of ['sqlite', 'etcd']) {
    const runs = [];
    for (let i = 0; i < reps; i++) runs.push(await once(storage, i === reps - 1));
    const last = runs[runs.length - 1];
    rows.push({ storage, readyMs: stats(runs.map((r) => r.readyMs)), idle: last.idle, load: last.load });
    process.stderr.write(`footprint ${storage}: ready in ${stats(runs.map((r) => r.readyMs)).median.toFixed(0)} ms; idle RSS ${JSON.stringify(last.idle)}; under load ${JSON.stringify(last.load)}\n`);
  }
  await writeResult('footprint', { date: new Date().toISOString(), loadAverage: load, cores: cpus().length, seconds: SECONDS, reps, rows });
}

await main();
