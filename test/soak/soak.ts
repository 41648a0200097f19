// Soak: 64 concurrent clients against `kagg serve` (a child process) for a bounded time,
// mixing list, get, create, delete and watch on wardle flunders through the aggregator's
// proxy and on core ConfigMaps. Passes with zero unexpected errors, kagg's RSS growing less
// than 10% after warm-up, and no leaked sockets or file descriptors (counted in
// /proc/PID/fd). Prints a JSON summary on the last line; exits 1 on failure.
//
//   npm run test:soak                       60 s (CI)
//   KAGG_SOAK_SECONDS=600 npm run test:soak  longer, locally
//   KAGG_SOAK_CLIENTS=64                     client count
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wardleRegistration, wardleServerName } from '../../examples/wardle/registration.ts';
import { writeFrontProxyPki } from '../e2e/aggregator-fixture.ts';
import { apiRequest, startTestApiServer, type TestApiServer } from '../support/apiserver.ts';
import { defaultAuthConfigMap, eventually, publishAuthConfigMap, startTestWardle, type TestWardle } from '../support/extension.ts';

const SECONDS = Number(process.env.KAGG_SOAK_SECONDS ?? 60);
const CLIENTS = Number(process.env.KAGG_SOAK_CLIENTS ?? 64);
const WARMUP_MS = Math.max(10_000, Math.min(120_000, SECONDS * 400));
const FLUNDERS = '/apis/wardle.example.com/v1alpha1/namespaces/default/flunders';
const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface SoakSummary {
  seconds: number;
  clients: number;
  requests: number;
  byOp: Record<string, number>;
  watchEvents: number;
  errors: number;
  errorSamples: string[];
  rssWarmKiB: number;
  rssEndKiB: number;
  rssGrowth: number;
  fdsWarm: number;
  fdsEnd: number;
  /** nodejs_heap_size_used_bytes from kagg's /metrics (information; the limit is on RSS). */
  heapWarmBytes: number;
  heapEndBytes: number;
  passed: boolean;
  failures: string[];
}

const fds = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;
const rss = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);

interface Creds {
  url: string;
  ca: string;
  cert: string;
  key: string;
}

function call(c: Creds, agent: Agent, method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, c.url), { method, ca: c.ca, cert: c.cert, key: c.key, agent, timeout: 30_000, headers: { accept: 'application/json', ...(data ? { 'content-type': 'application/json', 'content-length': data.length } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(data);
  });
}

/** A watch that runs until the server ends it (timeoutSeconds) or the deadline; returns the event count. */
function watch(c: Creds, path: string, seconds: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let events = 0;
    const req = request(new URL(`${path}?watch=1&timeoutSeconds=${seconds}`, c.url), { ca: c.ca, cert: c.cert, key: c.key, agent: false, headers: { accept: 'application/json' } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`watch ${path}: ${res.statusCode}`));
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (d: string) => (events += d.split('\n').length - 1));
      res.on('end', () => resolve(events));
      res.on('error', reject);
    });
    const timer = setTimeout(() => req.destroy(new Error(`watch ${path} outlived its timeoutSeconds`)), (seconds + 15) * 1000);
    req.on('close', () => clearTimeout(timer));
    req.on('error', reject);
    req.end();
  });
}

async function heapUsed(c: Creds): Promise<number> {
  const r = await call(c, new Agent({ keepAlive: false }), 'GET', '/metrics');
  return Number(/^nodejs_heap_size_used_bytes\s+(\S+)/m.exec(r.text)?.[1] ?? 0);
}

export async function runSoak(): Promise<SoakSummary> {
  const dir = await mkdtemp(join(tmpdir(), 'kagg-soak-'));
  let core: TestApiServer | undefined;
  let wardle: TestWardle | undefined;
  try {
    const frontProxy = await writeFrontProxyPki(dir);
    core = await startTestApiServer({ child: true, args: [...frontProxy.serveArgs, '--enable-aggregator-routing=true', '--max-requests-inflight=0'], storage: 'sqlite' });
    await publishAuthConfigMap(core, { ...defaultAuthConfigMap(core), requestHeaderCA: frontProxy.ca.pem });
    wardle = await startTestWardle({ core, child: true, args: [`--cert-dir=${join(dir, 'wardle-certs')}`, `--cert-hosts=${wardleServerName()}`] });
    for (const [path, body] of wardleRegistration({ port: wardle.port, caBundle: wardle.caBundle }).ordered()) {
      const r = await apiRequest(core, path, { cert: core.pki.admin, body });
      if (r.status !== 201) throw new Error(`${path}: ${r.status} ${r.text}`);
    }
    await eventually(async () => (await apiRequest(core!, FLUNDERS, { cert: core!.pki.admin })).status === 200, 30_000);

    const creds: Creds = { url: core.url, ca: core.pki.ca.cert, cert: core.pki.admin.cert, key: core.pki.admin.key };
    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    const pid = core.pid!;
    const byOp: Record<string, number> = {};
    const errorSamples: string[] = [];
    let errors = 0;
    let watchEvents = 0;
    let paused = false;
    let stop = false;
    let active = 0;
    const fail = (what: string) => {
      errors++;
      if (errorSamples.length < 20) errorSamples.push(what);
    };
    const expect = (op: string, r: { status: number; text: string }, ok: number[]) => {
      byOp[op] = (byOp[op] ?? 0) + 1;
      if (!ok.includes(r.status)) fail(`${op}: ${r.status} ${r.text.slice(0, 200)}`);
    };
    const client = async (id: number) => {
      const mine: string[] = [];
      let n = 0;
      for (let i = 0; i < 1_000_000 && !stop; i++) {
        if (paused) {
          await sleep(50);
          continue;
        }
        active++;
        try {
          const roll = (id * 7919 + i * 104729) % 100;
          const base = roll % 2 === 0 ? FLUNDERS : CONFIGMAPS;
          const kind = base === FLUNDERS ? { apiVersion: 'wardle.example.com/v1alpha1', kind: 'Flunder' } : { apiVersion: 'v1', kind: 'ConfigMap' };
          if (roll < 35) expect('list', await call(creds, agent, 'GET', `${base}?limit=50`), [200]);
          else if (roll < 60 && mine.length > 0) expect('get', await call(creds, agent, 'GET', `${mine[i % mine.length]}`), [200]);
          else if (roll < 80 || mine.length === 0) {
            const name = `soak-${id}-${n++}`;
            const r = await call(creds, agent, 'POST', base, { ...kind, metadata: { name } });
            expect('create', r, [201]);
            if (r.status === 201) mine.push(`${base}/${name}`);
          } else if (roll < 95) {
            const victim = mine.shift()!;
            expect('delete', await call(creds, agent, 'DELETE', victim), [200]);
          } else {
            byOp.watch = (byOp.watch ?? 0) + 1;
            watchEvents += await watch(creds, base, 2);
          }
          if (mine.length > 20) expect('delete', await call(creds, agent, 'DELETE', mine.shift()!), [200]);
        } catch (err) {
          fail(`error: ${err instanceof Error ? err.message : String(err)}`);
          await sleep(100);
        } finally {
          active--;
        }
      }
    };
    const settle = async () => {
      paused = true;
      for (let i = 0; i < 400 && active > 0; i++) await sleep(50);
      await sleep(1500);
    };
    const start = Date.now();
    const clients = Array.from({ length: CLIENTS }, (_, id) => client(id));
    await sleep(WARMUP_MS);
    await settle();
    const rssWarm = rss(pid);
    const fdsWarm = fds(pid);
    const heapWarm = await heapUsed(creds);
    paused = false;
    await sleep(Math.max(0, SECONDS * 1000 - (Date.now() - start)));
    await settle();
    stop = true;
    await Promise.all(clients);
    const rssEnd = rss(pid);
    const fdsEnd = fds(pid);
    const heapEnd = await heapUsed(creds);
    agent.destroy();
    const requests = Object.values(byOp).reduce((a, b) => a + b, 0);
    const growth = rssEnd / rssWarm - 1;
    const failures: string[] = [];
    if (errors > 0) failures.push(`${errors} unexpected errors`);
    if (growth >= 0.1) failures.push(`RSS grew ${(growth * 100).toFixed(1)}% after warm-up (${rssWarm} → ${rssEnd} KiB)`);
    if (fdsEnd > fdsWarm + 4) failures.push(`file descriptors ${fdsWarm} → ${fdsEnd}`);
    if (requests < CLIENTS) failures.push(`only ${requests} requests`);
    return { seconds: SECONDS, clients: CLIENTS, requests, byOp, watchEvents, errors, errorSamples, rssWarmKiB: rssWarm, rssEndKiB: rssEnd, rssGrowth: Number(growth.toFixed(4)), fdsWarm, fdsEnd, heapWarmBytes: heapWarm, heapEndBytes: heapEnd, passed: failures.length === 0, failures };
  } finally {
    await wardle?.close().catch(() => {});
    await core?.close().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const summary = await runSoak();
  for (const f of summary.failures) process.stderr.write(`soak: ${f}\n`);
  for (const e of summary.errorSamples) process.stderr.write(`soak: sample error: ${e}\n`);
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  process.exitCode = summary.passed ? 0 : 1;
}
