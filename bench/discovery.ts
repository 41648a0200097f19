// Discovery: `/apis` and aggregated discovery v2 latency from kagg serve with 1, 10, 100 and
// 500 registered APIServices (each its own group, pointing at a service that does not exist,
// insecureSkipTLSVerify — they stay unavailable, which `/apis` lists anyway), measured by wrk
// with one connection; and the time from a new APIService's 201 until its group is served.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { freePort } from '../test/support/etcd.ts';
import { startTestApiServer, TEST_TOKENS, type TestApiServer } from '../test/support/apiserver.ts';
import { SECONDS, loadAverage, parseWrk, rssMiB, runOk, startDaemon, stats, writeResult, type Daemon } from './lib.ts';

const COUNTS = (process.env.KAGG_BENCH_APISERVICES ?? '1,10,100,500').split(',').map(Number).filter((n) => n > 0 && n <= 2000);
const V2_ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const APISERVICES = '/apis/apiregistration.k8s.io/v1/apiservices';
const PROBES = 5;

function apiServiceBody(name: string): Record<string, unknown> {
  return {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: `v1.${name}.bench.example.com` },
    spec: { group: `${name}.bench.example.com`, version: 'v1', groupPriorityMinimum: 1000, versionPriority: 15, insecureSkipTLSVerify: true, service: { namespace: 'bench', name: 'nowhere', port: 443 } },
  };
}

async function call(core: TestApiServer, agent: Agent, method: string, path: string, body?: unknown, accept = 'application/json'): Promise<{ status: number; text: string }> {
  const r = await request(new URL(path, core.url), {
    method: method as 'GET',
    dispatcher: agent,
    headers: { authorization: `Bearer ${TEST_TOKENS.admin}`, accept, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    headersTimeout: 20_000,
    bodyTimeout: 20_000,
  });
  return { status: r.statusCode, text: await r.body.text() };
}

async function wrkLatency(core: Pick<TestApiServer, 'url'>, path: string, accept: string) {
  const r = await runOk('wrk', ['-t1', '-c1', `-d${SECONDS}s`, '--latency', '-H', `Authorization: Bearer ${TEST_TOKENS.admin}`, '-H', `Accept: ${accept}`, `${core.url}${path}`], { timeoutMs: (SECONDS + 30) * 1000 });
  return parseWrk(r.stdout);
}

/**
 * nginx serving the same `/apis` bytes as a static file over TLS with the same certificate:
 * the latency floor of this machine for that response (wrk, TLS, kernel, scheduling), to
 * set kagg's figures against.
 */
async function startStaticNginx(core: TestApiServer, dir: string): Promise<{ url: string; file: string; daemon: Daemon }> {
  await mkdir(join(dir, 'tmp'), { recursive: true });
  await writeFile(join(dir, 'serving.crt'), core.pki.serving.cert);
  await writeFile(join(dir, 'serving.key'), core.pki.serving.key, { mode: 0o600 });
  const file = join(dir, 'apis.json');
  await writeFile(file, '{}');
  const port = await freePort();
  const tmp = join(dir, 'tmp');
  await writeFile(join(dir, 'nginx.conf'), `worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${tmp}; proxy_temp_path ${tmp}; fastcgi_temp_path ${tmp}; uwsgi_temp_path ${tmp}; scgi_temp_path ${tmp};
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${join(dir, 'serving.crt')};
    ssl_certificate_key ${join(dir, 'serving.key')};
    location = /apis { default_type application/json; alias ${file}; }
  }
}
`);
  const daemon = await startDaemon('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], /^/, { timeoutMs: 10_000 });
  return { url: `https://127.0.0.1:${port}`, file, daemon };
}

/** ms from the 201 of a new APIService until `present(body)` holds (polled without pause, bounded). */
async function timeToAppear(core: TestApiServer, agent: Agent, name: string): Promise<{ apisMs: number; v2Ms: number }> {
  const group = `${name}.bench.example.com`;
  const created = await call(core, agent, 'POST', APISERVICES, apiServiceBody(name));
  if (created.status !== 201) throw new Error(`create ${name}: ${created.status} ${created.text}`);
  const t0 = performance.now();
  const wait = async (accept: string) => {
    const deadline = Date.now() + 30_000;
    for (let i = 0; i < 100_000 && Date.now() < deadline; i++) {
      const r = await call(core, agent, 'GET', '/apis', undefined, accept);
      if (r.text.includes(`"${group}"`)) return performance.now() - t0;
    }
    return Number.NaN;
  };
  const [apisMs, v2Ms] = await Promise.all([wait('application/json'), wait(V2_ACCEPT)]);
  const del = await call(core, agent, 'DELETE', `${APISERVICES}/v1.${group}`);
  if (del.status !== 200) throw new Error(`delete ${name}: ${del.status} ${del.text}`);
  return { apisMs, v2Ms };
}

async function main(): Promise<void> {
  const load = loadAverage();
  const core = await startTestApiServer({ child: true });
  const agent = new Agent({ connect: { ca: core.pki.ca.cert }, connections: 8 });
  const dir = await mkdtemp(join(tmpdir(), 'kagg-bench-discovery-'));
  const rows = [];
  let nginx: Awaited<ReturnType<typeof startStaticNginx>> | undefined;
  try {
    nginx = await startStaticNginx(core, dir);
    let registered = 0;
    for (const count of COUNTS) {
      const todo = Array.from({ length: count - registered }, (_, i) => `g${registered + i}`);
      for (let i = 0; i < todo.length; i += 8) {
        await Promise.all(todo.slice(i, i + 8).map(async (name) => {
          const r = await call(core, agent, 'POST', APISERVICES, apiServiceBody(name));
          if (r.status !== 201) throw new Error(`create ${name}: ${r.status} ${r.text}`);
        }));
      }
      registered = count;
      // Until the last one is in both documents (the cache caught up).
      await timeToAppear(core, agent, `warm${count}`);
      const apisBody = await call(core, agent, 'GET', '/apis');
      const v2Body = await call(core, agent, 'GET', '/apis', undefined, V2_ACCEPT);
      const apis = await wrkLatency(core, '/apis', 'application/json');
      const v2 = await wrkLatency(core, '/apis', V2_ACCEPT);
      await writeFile(nginx.file, apisBody.text);
      const floor = await wrkLatency(nginx, '/apis', 'application/json');
      const appear = [];
      for (let i = 0; i < PROBES; i++) appear.push(await timeToAppear(core, agent, `probe${count}x${i}`));
      const row = {
        apiservices: count,
        apis: { p50ms: apis.p50ms, p99ms: apis.p99ms, rps: apis.rps, bytes: Buffer.byteLength(apisBody.text) },
        v2: { p50ms: v2.p50ms, p99ms: v2.p99ms, rps: v2.rps, bytes: Buffer.byteLength(v2Body.text) },
        nginxStatic: { p50ms: floor.p50ms, p99ms: floor.p99ms, rps: floor.rps },
        appearApisMs: stats(appear.map((a) => a.apisMs)),
        appearV2Ms: stats(appear.map((a) => a.v2Ms)),
        rssMiB: rssMiB(core.pid ?? 0),
      };
      rows.push(row);
      process.stderr.write(`discovery ${count}: /apis p99 ${apis.p99ms} ms, v2 p99 ${v2.p99ms} ms, nginx static p99 ${floor.p99ms} ms, appears in ${row.appearApisMs.median.toFixed(0)} / ${row.appearV2Ms.median.toFixed(0)} ms\n`);
    }
  } finally {
    await nginx?.daemon.stop();
    await agent.close();
    await core.close();
    await rm(dir, { recursive: true, force: true });
  }
  await writeResult('discovery', { date: new Date().toISOString(), loadAverage: load, cores: cpus().length, seconds: SECONDS, probes: PROBES, rows });
}

await main();
