// PKI: the whole kubeadm tree (3 CAs, 7 leaves, the service-account key) from
// `kagg certs init`, from a cfssl/cfssljson script and from an openssl script, RSA 2048 and
// ECDSA P-256, REPS runs each, interleaved so machine load hits every tool alike.
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { initCertTree } from '../src/pki/kubeadm/mod.ts';
import { REPS, ROOT, loadAverage, round, runOk, stats, writeResult } from './lib.ts';

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

async function main(): Promise<void> {
  const load = loadAverage();
  const base = await mkdtemp(join(tmpdir(), 'kagg-bench-pki-'));
  const rows: Array<{ algo: string; tool: Tool; ms: ReturnType<typeof stats> }> = [];
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
    ratios: ALGOS.map((a) => ({ algo: a.name, kaggOverCfssl: median(a.name, 'kagg') / median(a.name, 'cfssl'), kaggOverOpenssl: median(a.name, 'kagg') / median(a.name, 'openssl'), inProcessOverCfssl: median(a.name, 'kagg-in-process') / median(a.name, 'cfssl') })),
  });
}

await main();
