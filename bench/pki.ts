// PKI: the whole kubeadm tree (3 CAs, 7 leaves, the service-account key) from
// `kagg certs init`, from a cfssl/cfssljson script and from an openssl script, RSA 2048 and
// ECDSA P-256, REPS runs each, interleaved so machine load hits every tool alike. Then what
// bounds the tree: one key at a time from kagg's generateKey (node:crypto generateKeyPair),
// `cfssl genkey` and `openssl genpkey` (KEYS each, interleaved), the tree's keys at once,
// and the bare start of node and of the kagg CLI.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey } from '../src/pki/keys.ts';
import { initCertTree } from '../src/pki/kubeadm/mod.ts';
import { REPS, ROOT, loadAverage, round, runOk, stats, writeResult } from './lib.ts';

/** Keys per tool and algorithm in the one-key-at-a-time comparison. */
const KEYS = Math.max(2, Math.min(40, Number(process.env.KAGG_BENCH_KEYS ?? 12) || 12));
/** Keys in the kubeadm tree: 3 CAs, 7 leaves, sa. */
const TREE_KEYS = 11;

type Tool = 'kagg' | 'kagg-in-process' | 'cfssl' | 'openssl';
const ALGOS = [{ name: 'rsa2048', script: 'rsa' }, { name: 'ecdsa-p256', script: 'ecdsa' }] as const;
const TOOLS: Tool[] = ['kagg', 'kagg-in-process', 'cfssl', 'openssl'];

async function once(tool: Tool, algo: (typeof ALGOS)[number], dir: string): Promise<number> {
  const start = performance.now();
  if (tool === 'kagg') {
    await runOk(process.execPath, [join(ROOT, 'bin', 'kagg.mjs'), 'certs', 'init', `--cert-dir=${dir}`, `--key-algorithm=${algo.name}`, '--node-name=bench', '--advertise-address=127.0.0.1']);
  } else if (tool === 'kagg-in-process') {
    await initCertTree({ certDir: dir, keyAlgorithm: algo.name, nodeName: 'bench', advertiseAddress: '127.0.0.1' });
  } else {
    await runOk('bash', [join(ROOT, 'bench', 'pki', `${tool}.sh`), dir, algo.script]);
  }
  return performance.now() - start;
}

type KeygenTool = 'kagg-generate-key' | 'kagg-generate-key-parallel' | 'cfssl-genkey' | 'openssl-genpkey';
const KEYGEN_TOOLS: KeygenTool[] = ['kagg-generate-key', 'cfssl-genkey', 'openssl-genpkey'];

interface KeygenRow {
  algo: string;
  tool: KeygenTool;
  /** Wall ms per key (a spawned tool's includes its process start). */
  ms: ReturnType<typeof stats> & { mean: number };
}

function withMean(values: number[]): KeygenRow['ms'] {
  return { ...stats(values), mean: values.reduce((a, b) => a + b, 0) / Math.max(1, values.length) };
}

/** One key: in this process (the thread pool, nothing else running) or one tool process. */
async function oneKey(tool: KeygenTool, algo: (typeof ALGOS)[number], dir: string, request: string): Promise<number> {
  const start = performance.now();
  if (tool === 'kagg-generate-key' || tool === 'kagg-generate-key-parallel') {
    await generateKey(algo.script === 'rsa' ? { algo: 'rsa', size: 2048 } : { algo: 'ecdsa', size: 256 });
  } else if (tool === 'cfssl-genkey') {
    await runOk('cfssl', ['genkey', request], { cwd: dir });
  } else {
    const opts = algo.script === 'rsa' ? ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'] : ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];
    await runOk('openssl', ['genpkey', ...opts, '-out', join(dir, 'key.pem')]);
  }
  return performance.now() - start;
}

/** KEYS keys per tool, one at a time, the tools interleaved; then TREE_KEYS kagg keys at once. */
async function keygen(base: string): Promise<KeygenRow[]> {
  const rows: KeygenRow[] = [];
  for (const algo of ALGOS) {
    const dir = join(base, `keygen-${algo.name}`);
    await mkdir(dir, { recursive: true });
    const request = join(dir, 'csr.json');
    await writeFile(request, JSON.stringify({ CN: 'bench', key: algo.script === 'rsa' ? { algo: 'rsa', size: 2048 } : { algo: 'ecdsa', size: 256 } }));
    const times = new Map<KeygenTool, number[]>(KEYGEN_TOOLS.map((t) => [t, []]));
    for (let i = 0; i < KEYS; i++) for (const tool of KEYGEN_TOOLS) times.get(tool)?.push(await oneKey(tool, algo, dir, request));
    // The tree's keys all at once on the thread pool, as initCertTree starts them: wall / keys.
    const parallel: number[] = [];
    for (let i = 0; i < Math.max(1, Math.round(KEYS / TREE_KEYS)); i++) {
      const start = performance.now();
      await Promise.all(Array.from({ length: TREE_KEYS }, () => oneKey('kagg-generate-key-parallel', algo, dir, request)));
      parallel.push((performance.now() - start) / TREE_KEYS);
    }
    for (const tool of KEYGEN_TOOLS) rows.push({ algo: algo.name, tool, ms: withMean(times.get(tool) ?? []) });
    rows.push({ algo: algo.name, tool: 'kagg-generate-key-parallel', ms: withMean(parallel) });
    process.stderr.write(`pki keygen ${algo.name} (mean ms/key): ${rows.filter((r) => r.algo === algo.name).map((r) => `${r.tool} ${round(r.ms.mean, 1)}`).join(', ')}\n`);
  }
  return rows;
}

type StartTool = 'node -e 0' | 'kagg certs --help (bundle)' | 'kagg certs --help (tsx)';

/** Process start: bare node, and the kagg CLI up to its `certs` flag parser, from its bundle and through tsx. */
async function startup(): Promise<Array<{ tool: StartTool; ms: ReturnType<typeof stats> }>> {
  const kagg = join(ROOT, 'bin', 'kagg.mjs');
  const cases: Array<[StartTool, string[], NodeJS.ProcessEnv]> = [
    ['node -e 0', ['-e', '0'], process.env],
    ['kagg certs --help (bundle)', [kagg, 'certs', '--help'], process.env],
    ['kagg certs --help (tsx)', [kagg, 'certs', '--help'], { ...process.env, KAGG_NO_BUNDLE: '1' }],
  ];
  const times = new Map<StartTool, number[]>(cases.map(([t]) => [t, []]));
  for (let i = 0; i < REPS; i++) for (const [tool, args, env] of cases) times.get(tool)?.push((await runOk(process.execPath, args, { env })).ms);
  return cases.map(([tool]) => ({ tool, ms: stats(times.get(tool) ?? []) }));
}

async function main(): Promise<void> {
  // Build the CLI's bundle now if sources changed since it was built, so no timed run pays for it.
  await runOk(process.execPath, [join(ROOT, 'bin', 'kagg.mjs'), '--help']);
  const load = loadAverage();
  const base = await mkdtemp(join(tmpdir(), 'kagg-bench-pki-'));
  const rows: Array<{ algo: string; tool: Tool; ms: ReturnType<typeof stats> }> = [];
  let keys: KeygenRow[] = [];
  let starts: Awaited<ReturnType<typeof startup>> = [];
  try {
    for (const algo of ALGOS) {
      const times = new Map<Tool, number[]>(TOOLS.map((t) => [t, []]));
      for (let i = 0; i < REPS; i++) {
        for (const tool of TOOLS) {
          const dir = join(base, `${algo.name}-${tool}-${i}`);
          times.get(tool)?.push(await once(tool, algo, dir));
          await rm(dir, { recursive: true, force: true });
        }
      }
      for (const tool of TOOLS) rows.push({ algo: algo.name, tool, ms: stats(times.get(tool) ?? []) });
      process.stderr.write(`pki ${algo.name}: ${TOOLS.map((t) => `${t} ${round(rows.find((r) => r.algo === algo.name && r.tool === t)?.ms.median ?? 0, 0)} ms`).join(', ')}\n`);
    }
    keys = await keygen(base);
    starts = await startup();
  } finally {
    await rm(base, { recursive: true, force: true });
  }
  const median = (algo: string, tool: Tool) => rows.find((r) => r.algo === algo && r.tool === tool)?.ms.median ?? Number.NaN;
  await writeResult('pki', {
    date: new Date().toISOString(),
    loadAverage: load,
    cores: cpus().length,
    reps: REPS,
    rows,
    keygen: { keysPerTool: KEYS, treeKeys: TREE_KEYS, rows: keys },
    startup: starts,
    ratios: ALGOS.map((a) => ({ algo: a.name, kaggOverCfssl: median(a.name, 'kagg') / median(a.name, 'cfssl'), kaggOverOpenssl: median(a.name, 'kagg') / median(a.name, 'openssl'), inProcessOverCfssl: median(a.name, 'kagg-in-process') / median(a.name, 'cfssl') })),
  });
}

await main();
