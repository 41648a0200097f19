// `kagg certs renew NAME|all` (spec pki.md A.10): re-sign a leaf or a kubeconfig client
// cert with its CA from disk, copying CN, O, DNS/IP SANs and EKUs from the existing
// certificate (nothing from the configuration), with a new key and serial and fresh
// validity. CAs, sa.* and kubelet.conf are never renewed.
import { join } from 'node:path';
import {
  encodePrivateKeyPem,
  generateKey,
  inspectCertificate,
  parsePrivateKeyPem,
  privateKeyMatchesCert,
  type KeySpec,
  type NameValue,
  type PrivateKey,
} from '../mod.ts';
import { VALIDITY, caSpec, pairFiles, type CaName } from './cert-list.ts';
import { defaultKubeconfigDir, loadCert, type LoadedCert } from './cert-status.ts';
import { issueKubeadmLeaf, kubeadmValidity } from './issue.ts';
import { parseKubeconfig, replaceClientCredentials } from './kubeconfig.ts';
import { CertTreeError } from './errors.ts';
import { readOptional, writeTreeFile } from './tree-files.ts';
import { writeFileAtomic } from '../../util/atomic-write.ts';
import { RENEWABLE_NAMES, RENEW_TARGETS, type RenewTarget } from './renew-targets.ts';

export { RENEWABLE_NAMES };

export const RENEW_DONE_MESSAGE =
  'Done renewing certificates. You must restart the kube-apiserver, kube-controller-manager, kube-scheduler and etcd, so that they can use the new certificates.';

export interface RenewOptions {
  /** Where admin.conf & co. live. Default: the parent of the cert dir. */
  kubeconfigDir?: string;
  now?: Date;
  /** etcd is external: `all` skips the etcd-ca leaves, and naming one is an error. */
  externalEtcd?: boolean;
  /** Key for the new certificate. Default: same algorithm and size as the old key. */
  keySpec?: KeySpec;
  log?: (line: string) => void;
}

export interface RenewResult {
  name: string;
  status: 'renewed' | 'missing' | 'external';
  /** Files rewritten (absolute paths). */
  files: string[];
}

export interface RenewReport {
  results: RenewResult[];
  lines: string[];
}

/** Renews `name` (a leaf name, a kubeconfig file name, or `all`). */
export async function renewCertificates(certDir: string, name: string, options: RenewOptions = {}): Promise<RenewReport> {
  const known = RENEW_TARGETS.filter((t) => !options.externalEtcd || t.ca !== 'etcd-ca');
  const targets = name === 'all' ? known : known.filter((t) => t.name === name);
  if (targets.length === 0) throw new Error(`unknown certificate "${name}": use one of ${RENEWABLE_NAMES.join(', ')} or all`);
  const now = options.now ?? new Date();
  const kubeconfigDir = options.kubeconfigDir ?? defaultKubeconfigDir(certDir);
  const lines: string[] = [];
  const log = (line: string) => {
    lines.push(line);
    options.log?.(line);
  };
  const results: RenewResult[] = [];
  for (const target of targets) {
    const result = await renewOne(certDir, kubeconfigDir, target, now, options.keySpec);
    results.push(result);
    if (result.status === 'missing') log(`MISSING! ${target.longName}`);
    else if (result.status === 'external') log(`Detected external ${caSpec(target.ca).baseName}, ${target.longName} can't be renewed`);
    else log(`${target.longName} renewed`);
  }
  if (name === 'all') {
    log('');
    log(RENEW_DONE_MESSAGE);
  }
  return { results, lines };
}

async function renewOne(certDir: string, kubeconfigDir: string, target: RenewTarget, now: Date, keySpec: KeySpec | undefined): Promise<RenewResult> {
  const existing = target.kind === 'leaf' ? await loadLeaf(certDir, target) : await loadKubeconfig(kubeconfigDir, target);
  if (!existing) return { name: target.name, status: 'missing', files: [] };
  const ca = await loadSigner(certDir, target.ca);
  if (!ca) return { name: target.name, status: 'external', files: [] };
  const old = existing.cert.info;
  const key = await generateKey(keySpec ?? existing.keySpec);
  const issued = await issueKubeadmLeaf({
    ca,
    key,
    cn: old.subject.CN ?? '',
    organizations: listOf(old.subject.O),
    dns: old.sans.dns ?? [],
    ips: old.sans.ip ?? [],
    extKeyUsages: old.extKeyUsage,
    validity: kubeadmValidity(now, VALIDITY.leafHours),
  });
  const keyPem = encodePrivateKeyPem(key);
  if (target.kind === 'leaf') {
    await writeTreeFile(certDir, target.keyFile!, keyPem, 'privateKey');
    await writeTreeFile(certDir, target.file, issued.pem, 'certificate');
    return { name: target.name, status: 'renewed', files: [join(certDir, target.keyFile!), join(certDir, target.file)] };
  }
  const path = join(kubeconfigDir, target.file);
  await writeFileAtomic(path, replaceClientCredentials(existing.text!, issued.pem, keyPem), { mode: 0o600 });
  return { name: target.name, status: 'renewed', files: [path] };
}

interface Existing {
  cert: LoadedCert;
  keySpec: KeySpec;
  text?: string;
}

async function loadLeaf(certDir: string, target: RenewTarget): Promise<Existing | undefined> {
  const cert = await loadCert(certDir, target.file);
  if (!cert) return undefined;
  return { cert, keySpec: cert.info.publicKeySpec };
}

async function loadKubeconfig(dir: string, target: RenewTarget): Promise<Existing | undefined> {
  const text = await readOptional(join(dir, target.file));
  if (text === undefined) return undefined;
  let cert: string;
  try {
    cert = parseKubeconfig(text).clientCertPem;
  } catch (err) {
    throw new CertTreeError(`${join(dir, target.file)}: ${(err as Error).message}`, { cause: err });
  }
  const loaded = loadCertFromPem(join(dir, target.file), cert);
  return { cert: loaded, keySpec: loaded.info.publicKeySpec, text };
}

function loadCertFromPem(file: string, pem: string): LoadedCert {
  try {
    return { file, pem, info: inspectCertificate(pem) };
  } catch (err) {
    throw new CertTreeError(`${file}: the embedded client certificate cannot be parsed: ${(err as Error).message}`, { cause: err });
  }
}

/** The CA pair from disk; undefined when the key is missing (external CA). */
async function loadSigner(certDir: string, name: CaName): Promise<{ cert: string; key: PrivateKey } | undefined> {
  const files = pairFiles(caSpec(name).baseName);
  const cert = await readOptional(join(certDir, files.cert));
  const keyPem = await readOptional(join(certDir, files.key));
  if (cert === undefined) throw new CertTreeError(`${join(certDir, files.cert)} does not exist: the ${name} CA is needed to renew the certificates it signed`);
  if (keyPem === undefined) return undefined;
  let key: PrivateKey;
  try {
    key = parsePrivateKeyPem(keyPem);
  } catch (err) {
    throw new CertTreeError(`${join(certDir, files.key)}: not a PEM private key: ${(err as Error).message}`, { cause: err });
  }
  if (!privateKeyMatchesCert(key, cert)) throw new CertTreeError(`${join(certDir, files.key)} does not match ${join(certDir, files.cert)}`);
  return { cert, key };
}

function listOf(value: NameValue | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}
