// Renders BENCHMARKS.md and bench/charts/*.svg from bench/results/*.json. Charts are
// hand-written SVG line charts (no dependency): one per scaling curve.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = join(ROOT, 'bench', 'results');
const CHARTS = join(ROOT, 'bench', 'charts');

async function atomicWrite(file, text) {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

function readResult(name) {
  const file = join(RESULTS, `${name}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

function version(cmd, args) {
  try {
    const out = spawnSync(cmd, args, { encoding: 'utf8', timeout: 5000 });
    if (out.error) throw out.error;
    return `${out.stdout}${out.stderr}`.split('\n')[0].trim();
  } catch {
    return `${cmd} not installed`;
  }
}

const f = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
const table = (head, rows) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const ok = (pass) => (pass ? '**met**' : '**missed**');

/** A line chart as an SVG string; `logX` spaces x on a log scale. */
export function lineChart({ title, xLabel, yLabel, series, logX = false }) {
  const W = 640, H = 380, L = 70, R = 160, T = 40, B = 50;
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1])).filter(Number.isFinite);
  const tx = (x) => (logX ? Math.log10(x) : x);
  const x0 = Math.min(...xs.map(tx)), x1 = Math.max(...xs.map(tx));
  const yMax = Math.max(...ys, 0) * 1.1 || 1;
  const px = (x) => L + ((tx(x) - x0) / (x1 - x0 || 1)) * (W - L - R);
  const py = (y) => H - B - (y / yMax) * (H - T - B);
  const colors = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];
  const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${esc(title)}</text>`,
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#000"/>`,
    `<line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#000"/>`];
  for (let i = 0; i <= 5; i++) {
    const y = (yMax / 5) * i;
    parts.push(`<line x1="${L}" y1="${py(y)}" x2="${W - R}" y2="${py(y)}" stroke="#ddd"/>`, `<text x="${L - 6}" y="${py(y) + 4}" text-anchor="end">${y >= 100 ? y.toFixed(0) : y.toPrecision(2)}</text>`);
  }
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) parts.push(`<text x="${px(x)}" y="${H - B + 16}" text-anchor="middle">${x}</text>`);
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 10}" text-anchor="middle">${esc(xLabel)}${logX ? ' (log scale)' : ''}</text>`,
    `<text transform="translate(16 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
  series.forEach((s, i) => {
    const c = colors[i % colors.length];
    const pts = s.points.filter((p) => Number.isFinite(p[1]));
    parts.push(`<polyline fill="none" stroke="${c}" stroke-width="2" points="${pts.map((p) => `${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`).join(' ')}"/>`);
    for (const p of pts) parts.push(`<circle cx="${px(p[0]).toFixed(1)}" cy="${py(p[1]).toFixed(1)}" r="3" fill="${c}"/>`);
    parts.push(`<rect x="${W - R + 12}" y="${T + i * 20}" width="12" height="12" fill="${c}"/>`, `<text x="${W - R + 30}" y="${T + i * 20 + 10}">${esc(s.name)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function pkiSection(r) {
  const label = { kagg: '`kagg certs init` (CLI, incl. Node start)', 'kagg-in-process': '`initCertTree()` in-process', cfssl: 'cfssl script (`bench/pki/cfssl.sh`)', openssl: 'openssl script (`bench/pki/openssl.sh`)' };
  const rows = r.rows.map((x) => [x.algo, label[x.tool] ?? x.tool, f(x.ms.median, 0), `${f(x.ms.min, 0)}–${f(x.ms.max, 0)}`]);
  const ratios = r.ratios.map((x) => [x.algo, f(x.kaggOverCfssl, 2), f(x.inProcessOverCfssl, 2), f(x.kaggOverOpenssl, 2), ok(x.kaggOverCfssl <= 0.5)]);
  return [`## 1. PKI — the whole kubeadm tree`,
    `3 CAs (ca, front-proxy-ca, etcd/ca), 7 leaves (apiserver, apiserver-kubelet-client, front-proxy-client, etcd/server, etcd/peer, etcd/healthcheck-client, apiserver-etcd-client) and the service-account key, into an empty directory. ${r.reps} runs per tool, the tools interleaved run by run. Load average at start: ${r.loadAverage}. Run at ${r.date}.`,
    table(['key', 'tool', 'median ms', 'min–max ms'], rows),
    `Headline (target: kagg ≤ 0.5× cfssl):`,
    table(['key', 'kagg CLI / cfssl', 'in-process / cfssl', 'kagg CLI / openssl', 'target'], ratios),
    ...pkiBounds(r)].join('\n\n');
}

// What bounds the tree, measured in the same run: one key at a time per tool, and process start.
function pkiBounds(r) {
  if (!r.keygen || !r.startup) return [];
  const label = {
    'kagg-generate-key': "kagg's `generateKey` (node:crypto `generateKeyPair`, i.e. OpenSSL 3.0's keygen; in-process, one at a time)",
    'kagg-generate-key-parallel': `kagg's \`generateKey\`, ${r.keygen.treeKeys} keys at once on the thread pool (wall ÷ keys)`,
    'cfssl-genkey': '`cfssl genkey` (one process per key)',
    'openssl-genpkey': '`openssl genpkey` (one process per key)',
  };
  const keyRows = r.keygen.rows.map((x) => [x.algo, label[x.tool] ?? x.tool, f(x.ms.mean, 1), f(x.ms.median, 1), `${f(x.ms.min, 1)}–${f(x.ms.max, 1)}`, x.ms.n]);
  const startRows = r.startup.map((x) => [`\`${x.tool}\``, f(x.ms.median, 0), `${f(x.ms.min, 0)}–${f(x.ms.max, 0)}`]);
  const mean = (algo, tool) => r.keygen.rows.find((x) => x.algo === algo && x.tool === tool)?.ms.mean ?? Number.NaN;
  const median = (algo, tool) => r.rows.find((x) => x.algo === algo && x.tool === tool)?.ms.median ?? Number.NaN;
  const nodeStart = r.startup.find((x) => x.tool === 'node -e 0')?.ms.median ?? Number.NaN;
  const cliStart = r.startup.find((x) => x.tool === 'kagg certs --help (bundle)')?.ms.median ?? Number.NaN;
  const n = r.keygen.treeKeys;
  const floors = r.ratios.map(({ algo }) => {
    const target = median(algo, 'cfssl') / 2;
    const keysOnCores = (n * mean(algo, 'kagg-generate-key')) / r.cores;
    return [algo, f(target, 0), f(nodeStart, 0), f(cliStart, 0), f(keysOnCores, 0), f(cliStart + keysOnCores, 0), f(n * mean(algo, 'cfssl-genkey'), 0)];
  });
  return [`### What bounds \`kagg certs init\``,
    `Key generation, ${r.keygen.keysPerTool} keys per tool and algorithm, one at a time with the tools interleaved (a spawned tool's time includes its process start); then the tree's ${n} keys at once on Node's thread pool, as \`initCertTree\` starts them. Mean is the figure that adds up across keys (RSA key generation time varies a lot from key to key).`,
    table(['key', 'generator', 'mean ms/key', 'median', 'min–max', 'keys'], keyRows),
    `Process start (median of ${r.reps}; \`kagg certs --help\` starts the CLI and its flag parser but loads no PKI code; "tsx" is the fallback when the bundle is stale, \`KAGG_NO_BUNDLE=1\`):`,
    table(['command', 'median ms', 'min–max ms'], startRows),
    `A floor for the CLI is its start plus ${n} keys spread over the ${r.cores} cores (the keys already run in parallel, and signing a certificate never waits on an unrelated key); loading the PKI code, signing and writing come on top. On a loaded machine the thread pool gets less than ${r.cores} cores: compare the at-once row with one-at-a-time. Against half of cfssl's tree:`,
    table(['key', 'target (cfssl ÷ 2) ms', 'node -e 0 ms', 'kagg CLI start ms', `${n} kagg keys ÷ ${r.cores} cores ms`, 'floor ms (start + keys)', `${n} cfssl keys (sequential) ms`], floors)];
}

const SECTIONS = [['pki', pkiSection]];
const EXTRA = {};

export function registerSection(name, render) {
  SECTIONS.push([name, render]);
}

export async function renderReport({ command }) {
  await mkdir(CHARTS, { recursive: true });
  const cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  const head = [`# Benchmarks`,
    `Last rendered by \`${command}\`; each section says when its bench ran (the whole set: \`npm run bench\`; one bench: \`npm run bench -- NAME\` with NAME in pki, proxy, discovery, storage, footprint; \`KAGG_BENCH_SECONDS\` shortens each timed load, \`KAGG_BENCH_REPS\` the repetitions). Rendered ${new Date().toISOString()}.`,
    `Machine: ${cpus().length} cores, ${cpu}; shared with other jobs, so absolute figures are noisy — each headline is a ratio of figures measured in the same run. Each section gives the load average when its bench started.`,
    `Tools: node ${process.version}; ${version('wrk', ['-v'])}; ${version('nginx', ['-v'])}; ${version('etcd', ['--version'])}; ${version('cfssl', ['version'])}; ${version('openssl', ['version'])}.`];
  const body = [];
  for (const [name, render] of SECTIONS) {
    const r = readResult(name);
    if (!r) {
      body.push(`## ${name}\n\nNot run yet (\`npm run bench -- ${name}\`).`);
      continue;
    }
    const out = render(r);
    if (typeof out === 'string') body.push(out);
    else {
      body.push(out.text);
      for (const [file, svg] of Object.entries(out.charts ?? {})) await atomicWrite(join(CHARTS, file), svg);
    }
  }
  void EXTRA;
  const analysis = join(ROOT, 'bench', 'analysis.md');
  if (existsSync(analysis)) body.push(readFileSync(analysis, 'utf8').trim());
  await atomicWrite(join(ROOT, 'BENCHMARKS.md'), `${[...head, ...body].join('\n\n')}\n`);
}

function proxySection(r) {
  const get = (path, c) => r.rows.find((x) => x.path === path && x.connections === c);
  const cpu = (v) => (v === undefined || v === null ? '—' : f(v, 0));
  const rows = r.rows.map((x) => [x.path, x.connections, f(x.rps, 0), f(x.p50ms, 2), f(x.p99ms, 2), cpu(x.proxyCpuUs), cpu(x.proxySysUs), f(x.backendCpuUs, 0), x.requests, x.non2xx + x.errors]);
  const conns = [...new Set(r.rows.map((x) => x.connections))];
  const ratios = conns.filter((c) => get('kagg', c) && get('nginx', c) && get('direct', c)).map((c) => {
    const k = get('kagg', c), n = get('nginx', c), d = get('direct', c), m = get('node', c);
    const targets = c === 1 ? '(no target at c=1)' : `${ok(k.rps >= n.rps)} / ${ok(k.proxyCpuUs <= 1.5 * n.proxyCpuUs)}${c === 16 ? ` / ${ok(k.p99ms - d.p99ms <= 1)}` : ''}`;
    return [c, f(k.rps / n.rps, 2), f(k.rps / d.rps, 2), f(n.rps / d.rps, 2), m ? f(m.rps / n.rps, 2) : '—', f(k.proxyCpuUs / n.proxyCpuUs, 1), m ? f(m.proxyCpuUs / n.proxyCpuUs, 1) : '—', m ? f(k.proxyCpuUs - m.proxyCpuUs, 0) : '—', f(k.p50ms - d.p50ms, 2), f(k.p99ms - d.p99ms, 2), targets];
  });
  const multi = r.multiWorkers > 1 ? r.multiWorkers : 0;
  const kN = `kagg ×${multi}`, nN = `nginx ×${multi}`;
  const multiRatios = multi ? conns.filter((c) => get(kN, c) && get(nN, c)).map((c) => {
    const k = get(kN, c), n = get(nN, c), k1 = get('kagg', c), n1 = get('nginx', c);
    return [c, f(k.rps / n.rps, 2), f(k.proxyCpuUs / n.proxyCpuUs, 1), k1 ? f(k.rps / k1.rps, 2) : '—', n1 ? f(n.rps / n1.rps, 2) : '—', `${ok(k.rps >= n.rps)} / ${ok(k.proxyCpuUs <= 1.5 * n.proxyCpuUs)}`];
  }) : [];
  const fan = r.fanOut.map((w) => (w.error ? [w.watches, `failed: ${w.error}`, '', '', '', '', '', '', ''] : [w.watches, w.opened, w.events, f(w.seconds, 2), f(w.eventsPerSec, 0), f(w.rssIdleMiB, 0), f(w.rssWatchingMiB, 0), f(w.rssAfterMiB, 0), w.unavailable ?? 0]));
  const fanOk = r.fanOut.filter((w) => !w.error);
  const charts = {
    'proxy-throughput.svg': lineChart({ title: 'GET namespaced list: throughput by path', xLabel: 'wrk connections', yLabel: 'requests/s', series: ['direct', 'kagg', 'nginx', 'node', ...(multi ? [kN, nN] : [])].map((p) => ({ name: p, points: conns.map((c) => [c, get(p, c)?.rps ?? NaN]) })) }),
    'proxy-cpu.svg': lineChart({ title: 'Proxy CPU per request', xLabel: 'wrk connections', yLabel: 'µs CPU / request', series: ['kagg', 'nginx', 'node', ...(multi ? [kN, nN] : [])].map((p) => ({ name: p, points: conns.map((c) => [c, get(p, c)?.proxyCpuUs ?? NaN]) })) }),
    'watch-fanout.svg': lineChart({ title: 'Watch fan-out through kagg', xLabel: 'concurrent watches', yLabel: 'events/s delivered', logX: true, series: [{ name: 'events/s', points: fanOk.map((w) => [w.watches, w.eventsPerSec]) }] }),
    'watch-fanout-rss.svg': lineChart({ title: 'kagg RSS with N watches open', xLabel: 'concurrent watches', yLabel: 'MiB', logX: true, series: [{ name: 'RSS watching', points: fanOk.map((w) => [w.watches, w.rssWatchingMiB]) }, { name: 'RSS before', points: fanOk.map((w) => [w.watches, w.rssIdleMiB]) }] }),
  };
  let profile = '';
  const pf = join(RESULTS, 'proxy-profile.txt');
  if (existsSync(pf)) profile = readFileSync(pf, 'utf8');
  const text = [`## 2. Aggregated request path`,
    `The same backend — wardle (\`kagg sample-apiserver\`, memory storage) — and the same certificates on every path; GET \`/apis/wardle.example.com/v1alpha1/namespaces/default/flunders\` (one flunder, ${r.bodyBytes}-byte JSON) with \`wrk -t1 -cC -d${r.seconds}s --latency -H 'Authorization: Bearer <jane>'\` after a 1 s warm-up. Load average at start: ${r.loadAverage}. Run at ${r.date}.`,
    `- **direct**: wrk → wardle. Wardle authenticates the bearer token by a TokenReview to the core kagg and authorizes by a SubjectAccessReview (both cached 10 s, as upstream's delegated authn/authz), so steady state is two cache hits.`,
    `- **kagg**: wrk → \`kagg serve\` (token file → user jane; RBAC Role+RoleBinding allowing get/list/watch flunders in default; \`--enable-aggregator-routing\`) → aggregator proxy, keep-alive, presenting the front-proxy client certificate with X-Remote-User/X-Remote-Group → wardle (x509 requestheader authn + cached SAR).`,
    `- **nginx**: wrk → nginx (1 worker; the token matched by a \`map\`, no RBAC) → the same mTLS hop as kagg (same front-proxy cert, X-Remote-User jane, X-Remote-Group devs, upstream keepalive, TLS session reuse, backend cert verified against wardle's CA). Config below.`,
    `- **node**: the floor of Node's stack, for reference — wrk → \`bench/node-proxy.ts\` (node:https server, the bearer token compared to one string, fixed X-Remote-User/Group like nginx, no filter chain, no RBAC) → an undici keep-alive pool with the same certificates and kagg's own response relay (\`src/aggregator/proxy/relay.ts\`) → wardle. The difference between kagg and node is what kagg's filter chain (authentication, RBAC, impersonation check, metrics, timeout, routing, header rewriting) costs; the difference between node and nginx is Node's HTTP and TLS stack.`,
    `CPU per request is the process's utime+stime (/proc/PID/stat) over the measured run divided by the 2xx responses (the sys column is the stime part: socket reads and writes, wake-ups); nginx counts master + worker. wrk is a closed loop: at C connections the latency is about C ÷ throughput, so at c=16 a slower proxy shows its lower throughput as queueing in p50 and p99; the c=1 rows show the added latency of one request without queueing.`,
    table(['path', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'proxy CPU µs/req', 'of which sys µs', 'backend CPU µs/req', 'requests', 'errors+non2xx'], rows),
    `Headlines (targets: kagg req/s ≥ nginx; kagg CPU/req ≤ 1.5× nginx; kagg p99 − direct p99 ≤ 1 ms at c=16):`,
    table(['conns', 'kagg/nginx req/s', 'kagg/direct req/s', 'nginx/direct req/s', 'node/nginx req/s', 'kagg/nginx CPU per req', 'node/nginx CPU per req', 'kagg − node CPU µs/req (the chain)', 'kagg p50 − direct p50 (ms)', 'kagg p99 − direct p99 (ms)', 'targets (throughput / CPU / p99)'], ratios),
    multiRatios.length > 0 ? `With ${multi} workers each — \`kagg serve --workers ${multi}\` (node:cluster; a second kagg on the same SQLite file, so the same APIService, RBAC and tokens) against nginx with \`worker_processes ${multi}\`; CPU counts the primary and its workers (the same targets, on the same worker count):\n\n${table(['conns', `kagg ×${multi} / nginx ×${multi} req/s`, `kagg ×${multi} / nginx ×${multi} CPU per req`, `kagg ×${multi} / kagg req/s`, `nginx ×${multi} / nginx req/s`, 'targets (throughput / CPU)'], multiRatios)}` : '',
    '![throughput](bench/charts/proxy-throughput.svg) ![cpu](bench/charts/proxy-cpu.svg)',
    `### Watch fan-out`,
    `N concurrent watches of the same list through kagg (as jane, each its own TLS connection), then ${r.watchEvents} creates as admin one after another; events/s = ADDED events received over all watches ÷ time from the first create to the last delivery (bounded at 60 s). RSS of the kagg process.`,
    table(['watches', 'opened', 'events delivered', 'seconds', 'events/s', 'RSS before MiB', 'RSS watching MiB', 'RSS after MiB', 'creates answered 503 (retried)'], fan),
    '![fan-out](bench/charts/watch-fanout.svg) ![rss](bench/charts/watch-fanout-rss.svg)',
    profile ? `### Where kagg's proxy CPU goes\n\n\`KAGG_BENCH_PROFILE=DIR npm run bench -- proxy\` profiles kagg serve and the node floor (inspector, \`bench/cpu-profile-preload.mjs\`); \`node bench/profile-top.mjs FILE\` groups self time by owner and lists the top functions (\`bench/profile-inclusive.mjs\` gives inclusive shares). From a separate profiled run (the whole process life, so start-up shows too), \`bench/results/proxy-profile.txt\`:\n\n\`\`\`\n${profile.trim()}\n\`\`\`` : '',
    `nginx.conf (paths under the run's temp dir):\n\n\`\`\`nginx\n${r.nginxConf.trim()}\n\`\`\``].filter(Boolean).join('\n\n');
  return { text, charts };
}
SECTIONS.push(['proxy', proxySection]);

function discoverySection(r) {
  const floor = (x, k) => (x.nginxStatic ? f(x.nginxStatic[k], 2) : '—');
  const rows = r.rows.map((x) => [x.apiservices, f(x.apis.p50ms, 2), f(x.apis.p99ms, 2), f(x.apis.rps, 0), x.apis.bytes, floor(x, 'p50ms'), floor(x, 'p99ms'), f(x.v2.p50ms, 2), f(x.v2.p99ms, 2), f(x.v2.rps, 0), x.v2.bytes, `${f(x.appearApisMs.median, 1)} (${f(x.appearApisMs.max, 1)})`, `${f(x.appearV2Ms.median, 1)} (${f(x.appearV2Ms.max, 1)})`, f(x.rssMiB, 0)]);
  const last = r.rows[r.rows.length - 1];
  const first = r.rows[0];
  const counts = r.rows.map((x) => x.apiservices);
  const charts = {
    'discovery-latency.svg': lineChart({ title: 'Discovery latency vs registered APIServices', xLabel: 'APIServices', yLabel: 'ms', logX: true, series: [
      { name: '/apis p50', points: r.rows.map((x) => [x.apiservices, x.apis.p50ms]) },
      { name: '/apis p99', points: r.rows.map((x) => [x.apiservices, x.apis.p99ms]) },
      { name: 'v2 p50', points: r.rows.map((x) => [x.apiservices, x.v2.p50ms]) },
      { name: 'v2 p99', points: r.rows.map((x) => [x.apiservices, x.v2.p99ms]) },
      ...(r.rows.every((x) => x.nginxStatic) ? [{ name: 'nginx static p99', points: r.rows.map((x) => [x.apiservices, x.nginxStatic.p99ms]) }] : []),
    ] }),
    'discovery-p50.svg': lineChart({ title: 'Discovery median latency vs registered APIServices', xLabel: 'APIServices', yLabel: 'ms (p50)', logX: true, series: [
      { name: '/apis p50', points: r.rows.map((x) => [x.apiservices, x.apis.p50ms]) },
      { name: 'v2 p50', points: r.rows.map((x) => [x.apiservices, x.v2.p50ms]) },
    ] }),
  };
  const text = [`## 3. Discovery`,
    `\`kagg serve\` (memory storage) with ${counts.join(', ')} APIServices, each its own group \`gN.bench.example.com\` pointing at a service that does not exist (insecureSkipTLSVerify; they stay unavailable and \`/apis\` lists them anyway). Latency of GET \`/apis\` (\`application/json\`) and of aggregated discovery v2 (\`Accept: ${'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'}\`) by \`wrk -t1 -c1 -d${r.seconds}s --latency\` with the admin token, after the cache caught up. "Appears" is the time from the 201 of a new APIService until a GET of that document contains its group, polled back to back (median of ${r.probes}, max in brackets). "nginx static" is nginx (1 worker) serving the same \`/apis\` bytes as a file over TLS with the same certificate, measured the same way right after: the floor this machine sets for that response. Load average at start: ${r.loadAverage}. Run at ${r.date}.`,
    table(['APIServices', '/apis p50 ms', '/apis p99 ms', '/apis req/s', '/apis bytes', 'nginx static p50 ms', 'nginx static p99 ms', 'v2 p50 ms', 'v2 p99 ms', 'v2 req/s', 'v2 bytes', 'appears in /apis ms', 'appears in v2 ms', 'kagg RSS MiB'], rows),
    `Headline (target: \`/apis\` p99 < 2 ms with 500 APIServices): ${last.apiservices} APIServices → p99 ${f(last.apis.p99ms, 2)} ms ${ok(last.apiservices >= 500 && last.apis.p99ms < 2)}; latency ratio ${last.apiservices}/${first.apiservices} APIServices: p50 ${f(last.apis.p50ms / first.apis.p50ms, 2)} (/apis), ${f(last.v2.p50ms / first.v2.p50ms, 2)} (v2); p99 ${f(last.apis.p99ms / first.apis.p99ms, 2)} (/apis), ${f(last.v2.p99ms / first.v2.p99ms, 2)} (v2).${last.nginxStatic ? ` nginx serving the same ${last.apis.bytes} bytes as a static file: p50 ${f(last.nginxStatic.p50ms, 2)} ms, p99 ${f(last.nginxStatic.p99ms, 2)} ms (kagg/nginx p50 ${f(last.apis.p50ms / last.nginxStatic.p50ms, 2)}, p99 ${f(last.apis.p99ms / last.nginxStatic.p99ms, 2)}).` : ''}`,
    '![discovery p50](bench/charts/discovery-p50.svg) ![discovery latency](bench/charts/discovery-latency.svg)'].join('\n\n');
  return { text, charts };
}
SECTIONS.push(['discovery', discoverySection]);

function storageSection(r) {
  // Older results have no warm-up, no rate over all creates and no paired rounds.
  const all = (x) => x.createAllPerSec ?? x.createPerSec;
  const rows = r.results.map((x) => [x.driver, f(all(x), 0), f(x.createPerSec, 0), f(x.getPerSec, 0), ...x.list.map((l) => `${l.objects}: ${f(l.ms.median, 0)} (${f(l.ms.min, 0)}–${f(l.ms.max, 0)})`), f(x.watch.eventsPerSec, 0)]);
  const etcd = r.results.find((x) => x.driver === 'etcd');
  const sqlite = r.results.find((x) => x.driver === 'sqlite');
  const ratio = all(etcd) / r.gateway.putsPerSec;
  const paired = r.paired ?? [];
  const pairedRatios = paired.map((p) => p.ratio).sort((a, b) => a - b);
  const median = (xs) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : NaN);
  const pairedMedian = median(pairedRatios);
  const grpcRatios = paired.filter((p) => p.grpcRatio !== undefined).map((p) => p.grpcRatio).sort((a, b) => a - b);
  const grpcMedian = median(grpcRatios);
  const grpcTxnRatios = paired.filter((p) => p.grpcTxnRatio !== undefined).map((p) => p.grpcTxnRatio).sort((a, b) => a - b);
  const charts = {
    'storage-list.svg': lineChart({ title: 'Paginated list (500 per page), full walk', xLabel: 'objects', yLabel: 'ms (median)', logX: true, series: r.results.map((x) => ({ name: x.driver, points: x.list.map((l) => [l.objects, l.ms.median]) })) }),
  };
  const text = [`## 4. Storage`,
    `The Store interface of \`src/storage\` in-process: SQLite (a file in a temp dir) and etcd (a real \`etcd\` started by \`test/support/etcd.ts\` on 127.0.0.1, plain HTTP). ${r.warmupMs ? `Each driver first creates for ${f(r.warmupMs / 1000, 0)} s under a separate prefix (warm-up, not timed). ` : ''}Create: the first 1,000 objects (${r.valueBytes ?? '~300'}-byte JSON), ${r.concurrency} in flight; then up to 10,000 (bounded at 6×${r.seconds} s) for the second list; "creates/s" is over both timed runs, "first 1k" over the first alone. Get: random keys, ${r.concurrency} in flight, ${r.seconds} s. List: a full walk with limit 500 and continue tokens, 5 times (median, min–max ms). Watch: a watch opened at the revision before the 1,000 creates, replaying them as fast as the driver delivers. Load average at start: ${r.loadAverage}. Run at ${r.date}.`,
    table(['driver', 'creates/s', 'first 1k creates/s', 'gets/s', 'list 1k ms', 'list 10k ms', 'watch events/s'], rows),
    `etcd's own put rate on the same etcd, same value bytes:`,
    table(['method', 'puts/s', 'what it measures'], [
      ['gateway: `wrk -t1 -c16 -s put.lua …/v3/kv/put`', f(r.gateway.putsPerSec, 0), `etcd's JSON gRPC gateway, 16 keep-alive connections, a new key per request — the server's put floor at the driver's concurrency (${r.gateway.requests} requests)`],
      ...(r.gatewayTxn ? [['gateway: same, `…/v3/kv/txn` (compare CREATE = 0, then put)', f(r.gatewayTxn.putsPerSec, 0), `exactly the request the driver sends for a create (${r.gatewayTxn.requests} requests)`]] : []),
      ...(r.grpcPut ? [['gRPC: `/etcdserverpb.KV/Put`, 16 streams on one HTTP/2 connection', f(r.grpcPut.putsPerSec, 0), `etcd's native API, the one the driver's creates use; requests encoded by hand in the bench process (${r.grpcPut.requests} requests, ${r.grpcPut.failed} failed)`]] : []),
      ...(r.grpcTxn ? [['gRPC: same, `/etcdserverpb.KV/Txn` (compare CREATE = 0, then put)', f(r.grpcTxn.putsPerSec, 0), `exactly the request the driver sends for a create, without the Store around it (${r.grpcTxn.requests} requests, ${r.grpcTxn.failed} failed)`]] : []),
      ...(paired.length ? [['paired rounds: gateway puts', paired.map((p) => f(p.gatewayPutsPerSec, 0)).join(', '), `${paired.length} rounds, each the driver creating for ${f(Math.max(1, Math.round(r.seconds / 3)), 0)} s, then wrk putting through the gateway${grpcRatios.length ? ', then gRPC puts,' : ''} for as long, so all see the same background load; driver creates/s: ${paired.map((p) => f(p.driverCreatesPerSec, 0)).join(', ')}`]] : []),
      ...(grpcRatios.length ? [['paired rounds: gRPC puts', paired.map((p) => f(p.grpcPutsPerSec, 0)).join(', '), 'the same rounds']] : []),
      ...(grpcTxnRatios.length ? [['paired rounds: gRPC create txns', paired.map((p) => f(p.grpcTxnsPerSec, 0)).join(', '), 'the same rounds: the driver\'s request without the Store around it']] : []),
      ['`etcdctl put` × 16 parallel loops', f(r.etcdctl.putsPerSec, 0), `one process per put (${r.etcdctl.puts} puts): bound by process start and connection setup, not by etcd — shown because the issue names it, not used as the floor`],
    ]),
    paired.length
      ? `Headline (target: etcd driver creates ≥ 0.8× etcd's put rate), from the paired rounds, which share their background load: median of driver creates ÷ gateway puts = **${f(pairedMedian, 2)}** ${ok(pairedMedian >= 0.8)} (each: ${pairedRatios.map((x) => f(x, 2)).join(', ')})${grpcRatios.length ? `; ÷ gRPC puts = **${f(grpcMedian, 2)}** ${ok(grpcMedian >= 0.8)} (each: ${grpcRatios.map((x) => f(x, 2)).join(', ')})` : ''}${grpcTxnRatios.length ? `; ÷ gRPC create txns = ${f(median(grpcTxnRatios), 2)} (each: ${grpcTxnRatios.map((x) => f(x, 2)).join(', ')})` : ''}. From the sequential phases (tens of seconds apart, so under whatever load the machine had then): driver ${f(all(etcd), 0)} creates/s ÷ gateway ${f(r.gateway.putsPerSec, 0)} puts/s = ${f(ratio, 2)}; ÷ gateway create txns = ${r.gatewayTxn ? f(all(etcd) / r.gatewayTxn.putsPerSec, 2) : 'n/a'}${r.grpcPut ? `; ÷ gRPC puts = ${f(all(etcd) / r.grpcPut.putsPerSec, 2)}; ÷ gRPC create txns = ${f(all(etcd) / r.grpcTxn.putsPerSec, 2)}` : ''}; first 1k ÷ gateway puts = ${f(etcd.createPerSec / r.gateway.putsPerSec, 2)}; ÷ \`etcdctl put\` loops = ${f(all(etcd) / r.etcdctl.putsPerSec, 1)}. SQLite/etcd create ratio ${f(all(sqlite) / all(etcd), 1)}.`
      : `Headline (target: etcd driver creates ≥ 0.8× etcd's put rate): driver ${f(all(etcd), 0)} creates/s ÷ gateway ${f(r.gateway.putsPerSec, 0)} puts/s = **${f(ratio, 2)}** ${ok(ratio >= 0.8)}; ÷ gateway create txns = ${r.gatewayTxn ? f(all(etcd) / r.gatewayTxn.putsPerSec, 2) : 'n/a'}; ÷ \`etcdctl put\` loops = ${f(all(etcd) / r.etcdctl.putsPerSec, 1)}. SQLite/etcd create ratio ${f(all(sqlite) / all(etcd), 1)}.`,
    ...(r.warmupMs ? [STORAGE_EVIDENCE] : []),
    '![list](bench/charts/storage-list.svg)'].join('\n\n');
  return { text, charts };
}
// What the etcd create profile showed (bench/storage.ts header has the method).
const STORAGE_EVIDENCE = [
  '**Where the etcd create time goes (issue 8).** A create is one `Txn` — compare CREATE = 0, then put — as in the k8s etcd3 store\'s `Create` (the driver used to add a failure-branch range that `Create` does not send; removed).',
  'Measured on this machine, etcd\'s own CPU per request (from /proc, 16 in flight, median of 3 one-second runs): gateway txn ≈ 375 µs, gateway put ≈ 215 µs, native gRPC put ≈ 95 µs, the driver\'s create over gRPC ≈ 165 µs.',
  'So through the JSON gateway no client can create at 0.8× the gateway put rate: wrk sending the driver\'s exact txn reached 0.61–0.70× of its put rate in alternating runs.',
  'Creates therefore go over etcd\'s native gRPC API (HTTP/2, a hand-encoded `TxnRequest`, `src/storage/etcd/etcd-grpc.ts`), and so do ranges, updates and deletes since commit 341e3a5 (results from before it measured gets through the gateway); watches, compaction and the status ping use the gateway.',
  'The client side: a create costs the bench process ≈ 100–170 µs of CPU warm (undici through a dispatch handler instead of `request()` + `AbortSignal.timeout`, whose body stream and timers were a third of the busy time; on HTTP/2 Node\'s per-stream AsyncResource and header conversion), but 330–460 µs for the first 1,000 cold calls, hence the warm-up; the etcd process and this one share 2 cores.',
  'The earlier floor was also low: its Lua base64-encoded the value on every request (≈ 230 µs of Lua per put, so wrk, not etcd, was the limit); it now encodes it once, which doubled the gateway floor in a paired test (1,260 → 2,620 puts/s).',
  'What stays out of reach is 0.8× of etcd\'s *native* put rate: on gRPC a create txn costs etcd ≈ 1.7× a put, and the driver reaches ≈ 0.8× the rate of that bare txn sent without the Store around it (the paired gRPC txn ratio).',
].join(' ');
SECTIONS.push(['storage', storageSection]);

function footprintSection(r) {
  const names = ['kagg up', 'kagg-serve', 'wardle', 'etcd'];
  const rows = [];
  for (const x of r.rows) {
    rows.push([x.storage, 'idle', `${f(x.readyMs.median / 1000, 1)} (${f(x.readyMs.min / 1000, 1)}–${f(x.readyMs.max / 1000, 1)})`, ...names.map((n) => (x.idle[n] === undefined ? '—' : f(x.idle[n], 0))), '', '', '']);
    if (x.load) rows.push([x.storage, `wrk c=16 ${r.seconds} s`, '', ...names.map((n) => (x.load.peak[n] === undefined ? '—' : f(x.load.peak[n], 0))), f(x.load.rps, 0), f(x.load.p99ms, 1), f(x.load.serveCpuUsPerReq, 0)]);
  }
  const sqlite = r.rows.find((x) => x.storage === 'sqlite');
  const etcd = r.rows.find((x) => x.storage === 'etcd');
  const text = [`## 5. Footprint — \`kagg up\``,
    `\`kagg up --state-dir TMP --port FREE --storage S\` in the foreground: start-to-ready is spawn until it logs "APIServices Available" (PKI generated, kagg serve ready, wardle started and registered, both APIServices Available, OpenAPI v3 published); median of ${r.reps} (min–max). RSS (MiB) of each process 2 s after ready, then the peak while \`wrk -t1 -c16 -d${r.seconds}s\` lists flunders through the aggregator with a service-account token (TokenRequest, cluster-admin binding). Load average at start: ${r.loadAverage}. Run at ${r.date}.`,
    table(['storage', 'phase', 'ready s', 'kagg up RSS', 'kagg serve RSS', 'wardle RSS', 'etcd RSS', 'req/s', 'p99 ms', 'kagg serve CPU µs/req'], rows),
    sqlite && etcd ? `Headline: ready with etcd ÷ ready with SQLite = ${f(etcd.readyMs.median / sqlite.readyMs.median, 2)}; kagg serve RSS under load ÷ idle (SQLite) = ${f((sqlite.load?.peak['kagg-serve'] ?? NaN) / sqlite.idle['kagg-serve'], 2)}.` : ''].join('\n\n');
  return { text };
}
SECTIONS.push(['footprint', footprintSection]);
