// Aggregated request path: the same wardle backend (`kagg sample-apiserver`, memory storage)
// and the same certificates, reached three ways by wrk with a bearer token:
//   direct  — wrk → wardle; wardle authenticates the token by a TokenReview to the core and
//             authorizes by a SubjectAccessReview (both cached 10 s, as upstream's delegation);
//   kagg    — wrk → kagg serve (static token file + RBAC) → aggregator proxy presenting the
//             front-proxy client cert with X-Remote-User/Group → wardle (x509 requestheader + SAR);
//   nginx   — wrk → nginx (token matched by a `map`, no RBAC) → same mTLS hop as kagg.
// Then a watch fan-out through kagg: N concurrent watches, M creates, events/s delivered.
import { readFileSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { wardleRegistration, wardleServerName } from '../examples/wardle/registration.ts';
import { apiRequest, startTestApiServer, TEST_TOKENS, type TestApiServer } from '../test/support/apiserver.ts';
import { freePort } from '../test/support/etcd.ts';
import { startKaggChild } from '../test/support/kagg-child.ts';
import { defaultAuthConfigMap, eventually, publishAuthConfigMap, startTestWardle, type TestWardle } from '../test/support/extension.ts';
import { writeFrontProxyPki } from '../test/e2e/aggregator-fixture.ts';
import { ROOT, SECONDS, cpuMs, cpuTimesMs, loadAverage, parseWrk, rssMiB, runOk, startDaemon, writeResult, type Daemon, type WrkResult } from './lib.ts';

const NS_PATH = '/apis/wardle.example.com/v1alpha1/namespaces/default/flunders';
const CONNECTIONS = (process.env.KAGG_BENCH_CONNECTIONS ?? '1,16,64').split(',').map(Number).filter((n) => n > 0 && n <= 1024);
const WATCHES = (process.env.KAGG_BENCH_WATCHES ?? '10,100,1000').split(',').map(Number).filter((n) => n > 0 && n <= 2000);
// KAGG_BENCH_WORKERS=N adds kagg serve --workers N and nginx with N workers ('' or 1: none).
const MULTI = Math.max(0, Math.min(8, Number(process.env.KAGG_BENCH_WORKERS ?? 2) || 0));
// KAGG_BENCH_PATHS=kagg,nginx limits the request-path comparison (a quicker loop while tuning).
const PATHS = new Set((process.env.KAGG_BENCH_PATHS ?? `direct,kagg,nginx,node,kagg ×${MULTI},nginx ×${MULTI}`).split(','));
const WATCH_EVENTS = 50;

/** CPU ms of a process and its direct children (nginx master + worker). */
function treeCpuTimesMs(pid: number): { user: number; system: number } {
  const total = cpuTimesMs(pid);
  try {
    for (const child of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) {
      const c = cpuTimesMs(Number(child));
      total.user += c.user;
      total.system += c.system;
    }
  } catch {
    // no children file: the process alone
  }
  return total;
}

function nginxConf(o: { dir: string; port: number; upstreamPort: number; serverName: string; token: string; workers: number }): string {
  const p = (f: string) => join(o.dir, f);
  return `worker_processes ${o.workers};
pid ${p('nginx.pid')};
error_log ${p('error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${p('tmp')}; proxy_temp_path ${p('tmp')}; fastcgi_temp_path ${p('tmp')}; uwsgi_temp_path ${p('tmp')}; scgi_temp_path ${p('tmp')};
  map $http_authorization $bench_user { "Bearer ${o.token}" "jane"; default ""; }
  upstream wardle { server 127.0.0.1:${o.upstreamPort}; keepalive 128; }
  server {
    listen 127.0.0.1:${o.port} ssl;
    ssl_certificate ${p('serving.crt')};
    ssl_certificate_key ${p('serving.key')};
    location / {
      if ($bench_user = "") { return 401; }
      proxy_pass https://wardle;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Authorization "";
      proxy_set_header X-Remote-User $bench_user;
      proxy_set_header X-Remote-Group "devs";
      proxy_ssl_certificate ${p('proxy.crt')};
      proxy_ssl_certificate_key ${p('proxy.key')};
      proxy_ssl_trusted_certificate ${p('wardle-ca.crt')};
      proxy_ssl_verify on;
      proxy_ssl_name ${o.serverName};
      proxy_ssl_server_name on;
      proxy_ssl_session_reuse on;
    }
  }
}
`;
}

interface PathRow extends WrkResult {
  path: string;
  connections: number;
  /** Proxy process CPU µs per request (kagg, nginx); backend CPU µs per request. */
  proxyCpuUs?: number;
  /** The system-time share of proxyCpuUs (kernel: socket writes and reads, wake-ups). */
  proxySysUs?: number;
  backendCpuUs: number;
}

async function wrk(url: string, connections: number, token: string): Promise<WrkResult> {
  const r = await runOk('wrk', ['-t1', `-c${connections}`, `-d${SECONDS}s`, '--timeout', '10s', '--latency', '-H', `Authorization: Bearer ${token}`, url], { timeoutMs: (SECONDS + 30) * 1000 });
  return parseWrk(r.stdout);
}

/** Opens `n` watches as jane through kagg, creates WATCH_EVENTS flunders, counts deliveries. */
async function watchFanOut(core: TestApiServer, n: number): Promise<{ watches: number; opened: number; events: number; seconds: number; eventsPerSec: number; rssIdleMiB: number; rssWatchingMiB: number; rssAfterMiB: number; unavailable: number }> {
  const pid = core.pid ?? 0;
  const rssIdleMiB = rssMiB(pid);
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const counts = new Array<number>(n).fill(0);
  const requests: Array<{ destroy(): void }> = [];
  let opened = 0;
  let unavailable = 0;
  const openAll = Promise.all(Array.from({ length: n }, (_, i) => new Promise<void>((resolve) => {
    const req = request(new URL(`${NS_PATH}?watch=1&resourceVersion=0&allowWatchBookmarks=false`, core.url), { ca: core.pki.ca.cert, agent, headers: { authorization: `Bearer ${TEST_TOKENS.jane}`, accept: 'application/json' } }, (res) => {
      opened += res.statusCode === 200 ? 1 : 0;
      resolve();
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        for (let k = c.indexOf('"ADDED"'); k >= 0; k = c.indexOf('"ADDED"', k + 1)) counts[i]++;
      });
      res.on('error', () => {});
    });
    req.on('error', () => resolve());
    requests.push(req);
    req.end();
  })));
  try {
    await Promise.race([openAll, new Promise((r) => setTimeout(r, 60_000))]);
    const rssWatchingMiB = rssMiB(pid);
    const base = counts.reduce((a, b) => a + b, 0);
    const start = performance.now();
    const stamp = Date.now();
    // A 503 means the aggregator marked wardle unavailable meanwhile (its probe timed out):
    // counted, and the create retried (bounded).
    for (let i = 0; i < WATCH_EVENTS; i++) {
      for (let attempt = 0; ; attempt++) {
        const r = await apiRequest(core, NS_PATH, { cert: core.pki.admin, body: { apiVersion: 'wardle.example.com/v1alpha1', kind: 'Flunder', metadata: { name: `fan-${n}-${stamp}-${i}` } } });
        if (r.status === 201) break;
        if (r.status !== 503 || attempt >= 40) throw new Error(`create flunder ${i + 1} of ${WATCH_EVENTS}: ${r.status} ${r.text.trim()} (${opened} of ${n} watches had answered; ${unavailable} creates answered 503 before)`);
        unavailable++;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    const want = base + opened * WATCH_EVENTS;
    const deadline = Date.now() + 60_000;
    while (counts.reduce((a, b) => a + b, 0) < want && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const seconds = (performance.now() - start) / 1000;
    const events = counts.reduce((a, b) => a + b, 0) - base;
    const rssAfterMiB = rssMiB(pid);
    return { watches: n, opened, events, seconds, eventsPerSec: events / seconds, rssIdleMiB, rssWatchingMiB, rssAfterMiB, unavailable };
  } finally {
    for (const r of requests) r.destroy();
    agent.destroy();
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main(): Promise<void> {
  const load = loadAverage();
  const dir = await mkdtemp(join(tmpdir(), 'kagg-bench-proxy-'));
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const frontProxy = await writeFrontProxyPki(dir);
    const proxyCA = frontProxy.ca;
    const proxyClient = frontProxy.client;
    // KAGG_BENCH_PROFILE=DIR: kagg serve (only) is CPU-profiled into DIR (bench/cpu-profile-preload.mjs).
    const profileDir = process.env.KAGG_BENCH_PROFILE;
    const savedNodeOptions = process.env.NODE_OPTIONS;
    if (profileDir) {
      process.env.NODE_OPTIONS = `${savedNodeOptions ?? ''} --import=${join(ROOT, 'bench', 'cpu-profile-preload.mjs')}`.trim();
      process.env.KAGG_BENCH_PROFILE_DIR = profileDir;
    }
    // SQLite, so that a second kagg serve with several workers can share the same state.
    const core = await startTestApiServer({ child: true, storage: `sqlite:${join(dir, 'kagg.db')}`, args: [...frontProxy.serveArgs, '--enable-aggregator-routing=true'] });
    if (profileDir) {
      delete process.env.KAGG_BENCH_PROFILE_DIR;
      if (savedNodeOptions === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = savedNodeOptions;
    }
    cleanups.push(() => core.close());
    await publishAuthConfigMap(core, { ...defaultAuthConfigMap(core), requestHeaderCA: proxyCA.pem });
    const wardlePort = await freePort();
    const wardle: TestWardle = await startTestWardle({ core, child: true, args: [`--secure-port=${wardlePort}`, `--cert-dir=${join(dir, 'wardle-certs')}`, `--cert-hosts=${wardleServerName()}`] });
    cleanups.push(() => wardle.close());
    const admin = { cert: core.pki.admin };
    for (const [path, body] of wardleRegistration({ port: wardle.port, caBundle: wardle.caBundle }).ordered()) {
      const r = await apiRequest(core, path, { ...admin, body });
      if (r.status !== 201) throw new Error(`${path}: ${r.status} ${r.text}`);
    }
    // jane may list and watch flunders in default (RBAC), nothing more.
    const rbac = '/apis/rbac.authorization.k8s.io/v1/namespaces/default';
    for (const [path, body] of [
      [`${rbac}/roles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'flunder-reader', namespace: 'default' }, rules: [{ apiGroups: ['wardle.example.com'], resources: ['flunders'], verbs: ['get', 'list', 'watch'] }] }],
      [`${rbac}/rolebindings`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'jane-flunder-reader', namespace: 'default' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'flunder-reader' }, subjects: [{ kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' }] }],
    ] as const) {
      const r = await apiRequest(core, path, { ...admin, body });
      if (r.status !== 201) throw new Error(`${path}: ${r.status} ${r.text}`);
    }
    await eventually(async () => (await apiRequest(core, NS_PATH, { token: TEST_TOKENS.jane })).status === 200, 30_000);
    const created = await apiRequest(core, NS_PATH, { ...admin, body: { apiVersion: 'wardle.example.com/v1alpha1', kind: 'Flunder', metadata: { name: 'bench', labels: { app: 'bench' } }, spec: { reference: 'bench-reference', referenceType: 'Flunder' } } });
    if (created.status !== 201) throw new Error(`create flunder: ${created.status} ${created.text}`);
    const body = await apiRequest(core, NS_PATH, { token: TEST_TOKENS.jane });
    const bodyBytes = Buffer.byteLength(body.text);

    const ndir = join(dir, 'nginx');
    await mkdir(join(ndir, 'tmp'), { recursive: true });
    await writeFile(join(ndir, 'serving.crt'), core.pki.serving.cert);
    await writeFile(join(ndir, 'serving.key'), core.pki.serving.key, { mode: 0o600 });
    await writeFile(join(ndir, 'proxy.crt'), proxyClient.cert);
    await writeFile(join(ndir, 'proxy.key'), proxyClient.key, { mode: 0o600 });
    await writeFile(join(ndir, 'wardle-ca.crt'), wardle.caBundle);
    const nginxPort = await freePort();
    await writeFile(join(ndir, 'nginx.conf'), nginxConf({ dir: ndir, port: nginxPort, upstreamPort: wardle.port, serverName: wardleServerName(), token: TEST_TOKENS.jane, workers: 1 }));
    // nginx prints nothing once it listens: started here, readiness checked by a request below.
    const nginx: Daemon = await startDaemon('nginx', ['-p', ndir, '-c', join(ndir, 'nginx.conf'), '-g', 'daemon off;'], /^/, { timeoutMs: 10_000 });
    cleanups.push(() => nginx.stop());
    const nginxUrl = `https://127.0.0.1:${nginxPort}`;
    await eventually(async () => {
      try {
        const r = await apiRequest({ url: nginxUrl, pki: core.pki }, NS_PATH, { token: TEST_TOKENS.jane });
        return r.status === 200;
      } catch {
        return false;
      }
    }, 15_000);
    // The floor of Node's stack: node:https → undici → wardle, the same relay, no chain.
    const nodePort = await freePort();
    const nodeConfig = { port: nodePort, upstreamPort: wardle.port, serverName: wardleServerName(), token: TEST_TOKENS.jane, servingCert: join(ndir, 'serving.crt'), servingKey: join(ndir, 'serving.key'), proxyCert: join(ndir, 'proxy.crt'), proxyKey: join(ndir, 'proxy.key'), backendCA: join(ndir, 'wardle-ca.crt') };
    if (profileDir) process.env.KAGG_BENCH_PROFILE_DIR = profileDir;
    const profileArgs = profileDir ? ['--import', join(ROOT, 'bench', 'cpu-profile-preload.mjs')] : [];
    const nodeProxy: Daemon = await startDaemon(process.execPath, [...profileArgs, '--import', 'tsx', join(ROOT, 'bench', 'node-proxy.ts'), JSON.stringify(nodeConfig)], /^listening/m, { cwd: ROOT, timeoutMs: 30_000 });
    delete process.env.KAGG_BENCH_PROFILE_DIR;
    cleanups.push(() => nodeProxy.stop());
    const nodeUrl = `https://127.0.0.1:${nodePort}`;
    const direct = await apiRequest({ url: wardle.url, pki: { ...core.pki, ca: { ...core.pki.ca, cert: wardle.caBundle } } }, NS_PATH, { token: TEST_TOKENS.jane });
    if (direct.status !== 200) throw new Error(`direct list: ${direct.status} ${direct.text}`);

    // The same with N workers each: kagg serve --workers N on the same SQLite file (so the
    // same APIService, RBAC and tokens) and nginx with worker_processes N.
    const multi: Array<{ path: string; url: string; proxyPid: number | undefined; cpu: typeof cpuTimesMs }> = [];
    if (MULTI > 1) {
      const kaggN = await startKaggChild(core.dir, [...core.args, `--workers=${MULTI}`], { timeoutMs: 60_000 });
      cleanups.push(() => kaggN.kill('SIGTERM'));
      const kaggNServer = { url: kaggN.url, pki: core.pki };
      // Every worker must route to wardle: fresh connections go to each worker in turn.
      await eventually(async () => {
        for (let i = 0; i < 2 * MULTI; i++) if ((await apiRequest(kaggNServer, NS_PATH, { token: TEST_TOKENS.jane, headers: { connection: 'close' } })).status !== 200) return false;
        return true;
      }, 60_000);
      const ndirN = join(dir, `nginx-${MULTI}`);
      await mkdir(join(ndirN, 'tmp'), { recursive: true });
      for (const f of ['serving.crt', 'serving.key', 'proxy.crt', 'proxy.key', 'wardle-ca.crt']) await writeFile(join(ndirN, f), readFileSync(join(ndir, f)), { mode: 0o600 });
      const nginxNPort = await freePort();
      await writeFile(join(ndirN, 'nginx.conf'), nginxConf({ dir: ndirN, port: nginxNPort, upstreamPort: wardle.port, serverName: wardleServerName(), token: TEST_TOKENS.jane, workers: MULTI }));
      const nginxN: Daemon = await startDaemon('nginx', ['-p', ndirN, '-c', join(ndirN, 'nginx.conf'), '-g', 'daemon off;'], /^/, { timeoutMs: 10_000 });
      cleanups.push(() => nginxN.stop());
      const nginxNUrl = `https://127.0.0.1:${nginxNPort}`;
      await eventually(async () => {
        try {
          return (await apiRequest({ url: nginxNUrl, pki: core.pki }, NS_PATH, { token: TEST_TOKENS.jane })).status === 200;
        } catch {
          return false;
        }
      }, 15_000);
      multi.push({ path: `kagg ×${MULTI}`, url: `${kaggN.url}${NS_PATH}`, proxyPid: kaggN.pid, cpu: treeCpuTimesMs }, { path: `nginx ×${MULTI}`, url: `${nginxNUrl}${NS_PATH}`, proxyPid: nginxN.pid, cpu: treeCpuTimesMs });
    }

    const targets = [
      { path: 'direct', url: `${wardle.url}${NS_PATH}`, proxyPid: undefined as number | undefined, cpu: cpuTimesMs },
      { path: 'kagg', url: `${core.url}${NS_PATH}`, proxyPid: core.pid, cpu: cpuTimesMs },
      { path: 'nginx', url: `${nginxUrl}${NS_PATH}`, proxyPid: nginx.pid, cpu: treeCpuTimesMs },
      { path: 'node', url: `${nodeUrl}${NS_PATH}`, proxyPid: nodeProxy.pid, cpu: cpuTimesMs },
      ...multi,
    ];
    const rows: PathRow[] = [];
    for (const c of CONNECTIONS) {
      for (const t of targets.filter((x) => PATHS.has(x.path))) {
        // A short warm-up (connections, JIT, caches), then the measured run.
        await runOk('wrk', ['-t1', `-c${c}`, '-d1s', '-H', `Authorization: Bearer ${TEST_TOKENS.jane}`, t.url], { timeoutMs: 30_000 });
        const p0 = t.proxyPid ? t.cpu(t.proxyPid) : { user: 0, system: 0 };
        const b0 = cpuMs(wardle.pid ?? 0);
        const r = await wrk(t.url, c, TEST_TOKENS.jane);
        const p1 = t.proxyPid ? t.cpu(t.proxyPid) : { user: 0, system: 0 };
        const b1 = cpuMs(wardle.pid ?? 0);
        const ok = Math.max(1, r.requests - r.non2xx);
        rows.push({ ...r, path: t.path, connections: c, proxyCpuUs: t.proxyPid ? ((p1.user + p1.system - p0.user - p0.system) * 1000) / ok : undefined, proxySysUs: t.proxyPid ? ((p1.system - p0.system) * 1000) / ok : undefined, backendCpuUs: ((b1 - b0) * 1000) / ok });
        process.stderr.write(`proxy ${t.path} c=${c}: ${r.rps.toFixed(0)} req/s p50 ${r.p50ms} ms p99 ${r.p99ms} ms non2xx ${r.non2xx}\n`);
      }
    }
    const fanOut = [];
    for (const n of WATCHES) {
      const w = await watchFanOut(core, n).catch((err: Error) => ({ watches: n, error: err.message.split('\n')[0] }));
      fanOut.push(w);
      if ('error' in w) {
        process.stderr.write(`watch fan-out ${n}: ${w.error}\n`);
        continue;
      }
      process.stderr.write(`watch fan-out ${n}: ${w.opened} open, ${w.eventsPerSec.toFixed(0)} events/s, kagg RSS ${w.rssWatchingMiB.toFixed(0)} MiB\n`);
    }
    await writeResult('proxy', { date: new Date().toISOString(), loadAverage: load, cores: cpus().length, seconds: SECONDS, bodyBytes, rows, fanOut, watchEvents: WATCH_EVENTS, nginxConf: nginxConf({ dir: '$TMP', port: 0, upstreamPort: 0, serverName: wardleServerName(), token: '<jane token>', workers: 1 }), multiWorkers: MULTI });
  } finally {
    for (const c of cleanups.reverse()) await c().catch((err: Error) => process.stderr.write(`cleanup: ${err.message}\n`));
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
