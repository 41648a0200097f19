// `kagg certs init`: plans the whole tree from what is on disk (kubeadm A.7 rules), refuses
// before writing anything when files conflict, generates every missing key in parallel on
// the thread pool (handed out as they finish: key-pool.ts), signs, then writes each file
// atomically.
import { join } from 'node:path';
import type { CertificateInfo } from '../inspect.ts';
import { encodePrivateKeyPem, encodePublicKeyPem, parsePrivateKeyPem, privateKeyMatchesCert, type PrivateKey } from '../keys.ts';
import { SERVICE_ACCOUNT_KEY } from './cert-list.ts';
import { aggregatorEntries } from './aggregator-variant.ts';
import { startKeyPool, type KeyPool } from './key-pool.ts';
import { missingSans, signedBy } from './cert-checks.ts';
import { resolveTreeConfig, type ResolvedTreeConfig, type TreeOptions } from './tree-config.ts';
import { kubeadmEntries, type CaEntry, type LeafEntry } from './tree-entries.ts';
import { CertTreeError } from './errors.ts';
import { readOptional, writeTreeFile } from './tree-files.ts';

export interface InitCertTreeOptions extends TreeOptions {
  certDir: string;
  /** Also write the seed article's aggregator-ca.pem / aggregator.pem pair. */
  aggregatorCa?: boolean;
  /** The run's start time T. Default: now. */
  now?: Date;
  /** Receives each kubeadm-style log line as it is decided. */
  log?: (line: string) => void;
  /** Keys already started (`prefetchTreeKeys`), of the tree's key algorithm. Default: a pool of exactly the missing keys, started after planning. */
  keyPool?: KeyPool;
}

export interface InitCertTreeReport {
  certDir: string;
  config: Readonly<ResolvedTreeConfig>;
  /** Files written, relative to certDir, in write order. */
  written: string[];
  /** Files kept as they were. */
  reused: string[];
  warnings: string[];
  /** kubeadm-style log lines (`[certs] Generating "apiserver" certificate and key`). */
  lines: string[];
}

type CaPlan =
  | { entry: CaEntry; action: 'generate' }
  | { entry: CaEntry; action: 'reuse'; cert: string; key: PrivateKey; info: CertificateInfo }
  | { entry: CaEntry; action: 'external'; cert: string; info: CertificateInfo };

type LeafPlan = { entry: LeafEntry; action: 'generate' } | { entry: LeafEntry; action: 'reuse' };

type SaPlan = { action: 'generate' } | { action: 'reuse' } | { action: 'write-public'; key: PrivateKey };

export async function initCertTree(options: InitCertTreeOptions): Promise<InitCertTreeReport> {
  const config = resolveTreeConfig(options);
  const now = options.now ?? new Date();
  const { certDir } = options;
  const entries = kubeadmEntries(config, now);
  const cas = [...entries.cas];
  const leaves = [...entries.leaves];
  const order = [...entries.order];
  if (options.aggregatorCa) {
    const agg = aggregatorEntries(config, now);
    cas.push(agg.ca);
    leaves.push(agg.leaf);
    order.push(agg.ca.id, agg.leaf.id);
  }
  const warnings = [...entries.warnings];

  // 1. Plan: read everything, decide, refuse on any conflict before writing a byte.
  const caPlans = new Map<string, CaPlan>();
  for (const entry of cas) caPlans.set(entry.id, await planCa(certDir, entry, now, warnings));
  const leafPlans = new Map<string, LeafPlan>();
  for (const entry of leaves) leafPlans.set(entry.id, await planLeaf(certDir, entry, caPlans.get(entry.caId)!, now));
  const saPlan = await planServiceAccount(certDir);

  // 2. Work: every missing key at once on the thread pool; a root signs as soon as its key
  // is ready, a leaf as soon as its key and its CA are.
  if (options.keyPool && options.keyPool.algorithm !== config.keyAlgorithm) {
    throw new Error(`bug: the key pool makes ${options.keyPool.algorithm} keys, the tree wants ${config.keyAlgorithm}`);
  }
  const missing = [...caPlans.values(), ...leafPlans.values()].filter((p) => p.action === 'generate').length + (saPlan.action === 'generate' ? 1 : 0);
  const work = startWork(caPlans, leafPlans, saPlan, options.keyPool ?? startKeyPool(config.keyAlgorithm, missing));

  // 3. Progress: one line per entry in kubeadm's phase order, printed when that entry is done.
  const lines: string[] = [];
  const log = (line: string) => {
    lines.push(line);
    options.log?.(line);
  };
  for (const w of warnings) log(w);
  log(`[certs] Using certificateDir folder "${certDir}"`);
  const files: OutFile[] = [];
  for (const id of order) {
    const ca = caPlans.get(id);
    const leaf = leafPlans.get(id);
    const plan = ca ?? leaf;
    if (!plan) continue;
    if (ca?.action === 'external') log(`[certs] Using existing ${ca.entry.label} certificate authority (external: no ${ca.entry.keyFile})`);
    else if (plan.action === 'reuse') log(`[certs] Using the existing "${plan.entry.label}" certificate and key`);
    else {
      files.push(...(await work.get(id)!));
      log(`[certs] Generating "${plan.entry.label}" certificate and key`);
      if (leaf?.entry.serving) log(`[certs] ${leaf.entry.label} serving cert is signed for DNS names [${leaf.entry.expected.dns.join(' ')}] and IPs [${leaf.entry.expected.ips.join(' ')}]`);
    }
  }
  const sa = work.get(SERVICE_ACCOUNT_KEY.name);
  if (sa) files.push(...(await sa));
  if (saPlan.action === 'generate') log(`[certs] Generating "${SERVICE_ACCOUNT_KEY.name}" key and public key`);
  else log(`[certs] Using the existing "${SERVICE_ACCOUNT_KEY.name}" key`);

  // 4. Write: every key first, then every certificate, so no certificate is ever on disk
  // without its key; the files of each step at once (each atomically, fsync'd), and the
  // report in a stable order (phase order, key before certificate).
  const rank = (path: string) => {
    const i = [...cas, ...leaves].findIndex((e) => e.certFile === path || e.keyFile === path);
    return i < 0 ? 1000 : i;
  };
  files.sort((a, b) => rank(a.path) - rank(b.path) || (a.kind === 'privateKey' ? -1 : 1) - (b.kind === 'privateKey' ? -1 : 1));
  const write = (list: OutFile[]) => Promise.all(list.map((f) => writeTreeFile(certDir, f.path, f.data, f.kind)));
  await write(files.filter((f) => f.kind !== 'certificate'));
  await write(files.filter((f) => f.kind === 'certificate'));

  const written = files.map((f) => f.path);
  const all = [...cas, ...leaves].flatMap((e) => [e.keyFile, e.certFile]).concat(SERVICE_ACCOUNT_KEY.privateKey, SERVICE_ACCOUNT_KEY.publicKey);
  const external = [...caPlans.values()].filter((p) => p.action === 'external').map((p) => p.entry.keyFile);
  const reused = all.filter((f) => !written.includes(f) && !external.includes(f));
  return { certDir, config, written, reused, warnings, lines };
}

interface OutFile {
  path: string;
  data: string;
  kind: 'certificate' | 'privateKey' | 'publicKey';
}

/** Starts every key generation and signature; one promise per entry id (and `sa`). */
function startWork(caPlans: Map<string, CaPlan>, leafPlans: Map<string, LeafPlan>, saPlan: SaPlan, keys: KeyPool): Map<string, Promise<OutFile[]>> {
  const pair = (entry: { keyFile: string; certFile: string }, key: PrivateKey, cert: string): OutFile[] => [
    { path: entry.keyFile, data: encodePrivateKeyPem(key), kind: 'privateKey' },
    { path: entry.certFile, data: cert, kind: 'certificate' },
  ];
  const signers = new Map<string, Promise<{ cert: string; key: PrivateKey }>>();
  const work = new Map<string, Promise<OutFile[]>>();
  for (const plan of caPlans.values()) {
    if (plan.action === 'reuse') signers.set(plan.entry.id, Promise.resolve({ cert: plan.cert, key: plan.key }));
    if (plan.action !== 'generate') continue;
    const signer = keys.take().then(async (key) => ({ key, cert: (await plan.entry.issue(key)).pem }));
    signers.set(plan.entry.id, signer);
    work.set(plan.entry.id, signer.then(({ key, cert }) => pair(plan.entry, key, cert)));
  }
  for (const plan of leafPlans.values()) {
    if (plan.action !== 'generate') continue;
    const ca = signers.get(plan.entry.caId);
    if (!ca) throw new Error(`bug: no signer planned for ${plan.entry.caId}`);
    work.set(plan.entry.id, Promise.all([keys.take(), ca]).then(async ([key, signer]) => pair(plan.entry, key, (await plan.entry.issue(signer, key)).pem)));
  }
  if (saPlan.action === 'generate') {
    work.set(SERVICE_ACCOUNT_KEY.name, keys.take().then((key): OutFile[] => [
      { path: SERVICE_ACCOUNT_KEY.privateKey, data: encodePrivateKeyPem(key), kind: 'privateKey' },
      { path: SERVICE_ACCOUNT_KEY.publicKey, data: encodePublicKeyPem(key), kind: 'publicKey' },
    ]));
  } else if (saPlan.action === 'write-public') {
    work.set(SERVICE_ACCOUNT_KEY.name, Promise.resolve([{ path: SERVICE_ACCOUNT_KEY.publicKey, data: encodePublicKeyPem(saPlan.key), kind: 'publicKey' }]));
  }
  // each promise is awaited in phase order; until then a failure must not be "unhandled"
  for (const p of work.values()) p.catch(() => {});
  return work;
}

async function planCa(certDir: string, entry: CaEntry, now: Date, warnings: string[]): Promise<CaPlan> {
  const cert = await readOptional(join(certDir, entry.certFile));
  const keyPem = await readOptional(join(certDir, entry.keyFile));
  if (cert === undefined && keyPem === undefined) return { entry, action: 'generate' };
  if (cert === undefined) {
    throw new CertTreeError(`${entry.keyFile} exists but ${entry.certFile} does not: restore ${entry.certFile}, or delete ${entry.keyFile} (and every certificate it signed) to make a new CA`);
  }
  const info = await parseCert(entry.certFile, cert);
  if (!info.isCA) throw new CertTreeError(`${entry.certFile} is not a CA certificate (BasicConstraints CA:FALSE): restore the CA certificate, or delete ${entry.certFile} and ${entry.keyFile} to make a new CA`);
  if (now > info.notAfter || now < info.notBefore) warnings.push(`[certs] WARNING: ${entry.certFile} is not valid at ${now.toISOString()} (valid ${info.notBefore.toISOString()} to ${info.notAfter.toISOString()})`);
  if (keyPem === undefined) return { entry, action: 'external', cert, info };
  const key = parseKey(entry.keyFile, keyPem);
  if (!privateKeyMatchesCert(key, cert)) throw new CertTreeError(`${entry.keyFile} does not match ${entry.certFile}: restore the matching key, or delete both to make a new CA`);
  return { entry, action: 'reuse', cert, key, info };
}

async function planLeaf(certDir: string, entry: LeafEntry, ca: CaPlan, now: Date): Promise<LeafPlan> {
  const cert = await readOptional(join(certDir, entry.certFile));
  const keyPem = await readOptional(join(certDir, entry.keyFile));
  const deleteBoth = `delete ${entry.certFile} and ${entry.keyFile} to sign a new pair`;
  if (cert === undefined && keyPem === undefined) {
    if (ca.action === 'external') {
      throw new CertTreeError(`${entry.certFile} is missing and its CA ${ca.entry.certFile} has no ${ca.entry.keyFile} (external CA): sign ${entry.certFile} with the external CA, or provide ${ca.entry.keyFile}`);
    }
    return { entry, action: 'generate' };
  }
  if (cert === undefined) throw new CertTreeError(`${entry.keyFile} exists but ${entry.certFile} does not: restore ${entry.certFile}, or ${deleteBoth}`);
  if (keyPem === undefined) throw new CertTreeError(`${entry.certFile} exists but ${entry.keyFile} does not: restore ${entry.keyFile}, or ${deleteBoth}`);
  const info = await parseCert(entry.certFile, cert);
  const key = parseKey(entry.keyFile, keyPem);
  if (!privateKeyMatchesCert(key, cert)) throw new CertTreeError(`${entry.keyFile} does not match ${entry.certFile}: ${deleteBoth}`);
  if (ca.action === 'generate') {
    throw new CertTreeError(`${entry.certFile} exists but its CA ${ca.entry.certFile} does not, and a new CA cannot have signed it: restore ${ca.entry.certFile} and ${ca.entry.keyFile}, or ${deleteBoth}`);
  }
  if (!signedBy(cert, ca.cert)) {
    throw new CertTreeError(`${entry.certFile} is not signed by ${ca.entry.certFile} (it belongs to another CA): restore the CA that signed it, or ${deleteBoth} with ${ca.entry.certFile}`);
  }
  if (now > info.notAfter) throw new CertTreeError(`${entry.certFile} expired on ${info.notAfter.toISOString()}: run 'kagg certs renew ${entry.id}', or ${deleteBoth}`);
  const missing = missingSans(info, entry.expected);
  if (missing.length > 0) {
    throw new CertTreeError(`${entry.certFile} lacks SAN(s) ${missing.join(', ')} required by these options: ${deleteBoth} (renew keeps the old SANs)`);
  }
  return { entry, action: 'reuse' };
}

async function planServiceAccount(certDir: string): Promise<SaPlan> {
  const keyPem = await readOptional(join(certDir, SERVICE_ACCOUNT_KEY.privateKey));
  const pubPem = await readOptional(join(certDir, SERVICE_ACCOUNT_KEY.publicKey));
  if (keyPem === undefined) {
    if (pubPem !== undefined) throw new CertTreeError(`${SERVICE_ACCOUNT_KEY.publicKey} exists but ${SERVICE_ACCOUNT_KEY.privateKey} does not: restore ${SERVICE_ACCOUNT_KEY.privateKey}, or delete ${SERVICE_ACCOUNT_KEY.publicKey} to make a new pair`);
    return { action: 'generate' };
  }
  const key = parseKey(SERVICE_ACCOUNT_KEY.privateKey, keyPem);
  if (pubPem === undefined) return { action: 'write-public', key };
  if (pubPem !== encodePublicKeyPem(key)) {
    throw new CertTreeError(`${SERVICE_ACCOUNT_KEY.publicKey} is not the public half of ${SERVICE_ACCOUNT_KEY.privateKey}: delete ${SERVICE_ACCOUNT_KEY.publicKey} to write it again from the key`);
  }
  return { action: 'reuse' };
}

// The X.509 parser loads only when there are certificates to read (not for a fresh tree).
async function parseCert(file: string, pem: string): Promise<CertificateInfo> {
  const { inspectCertificate } = await import('../inspect.ts');
  try {
    return inspectCertificate(pem);
  } catch (err) {
    throw new CertTreeError(`${file}: not a PEM certificate: ${(err as Error).message}`, { cause: err });
  }
}

function parseKey(file: string, pem: string): PrivateKey {
  try {
    return parsePrivateKeyPem(pem);
  } catch (err) {
    throw new CertTreeError(`${file}: not a PEM private key: ${(err as Error).message}`, { cause: err });
  }
}
