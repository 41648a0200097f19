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
    table(['key', 'kagg CLI / cfssl', 'in-process / cfssl', 'kagg CLI / openssl', 'target'], ratios)].join('\n\n');
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
    `Generated by \`${command}\` (the whole set: \`npm run bench\`; one bench: \`npm run bench -- NAME\` with NAME in pki, proxy, discovery, storage, footprint; \`KAGG_BENCH_SECONDS\` shortens each timed load, \`KAGG_BENCH_REPS\` the repetitions). Rendered ${new Date().toISOString()}.`,
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
  await atomicWrite(join(ROOT, 'BENCHMARKS.md'), `${[...head, ...body].join('\n\n')}\n`);
}
