// `kagg kubeconfig admin|super-admin|controller-manager|scheduler`: a client certificate
// signed by the cluster CA (`ca.crt`/`ca.key`) embedded in a kubeconfig, as kubeadm's
// kubeconfig phase writes it.
import { join } from 'node:path';
import { encodePrivateKeyPem, parsePrivateKeyPem, privateKeyMatchesCert, type PrivateKey } from '../mod.ts';
import { writeFileAtomic } from '../../util/atomic-write.ts';
import { FILE_MODES, KUBEADM_KUBECONFIGS, VALIDITY, caSpec, pairFiles, type KeyAlgorithmName, type KubeconfigKind } from './cert-list.ts';
import { generateKeyFor, issueKubeadmLeaf, kubeadmValidity } from './issue.ts';
import { buildKubeconfig, parseKubeconfig } from './kubeconfig.ts';
import { CertTreeError } from './errors.ts';
import { readOptional } from './tree-files.ts';

export interface KubeconfigOptions {
  certDir: string;
  kind: KubeconfigKind;
  /** `https://host:port` of the API server. */
  server: string;
  /** Default `kubernetes`. */
  cluster?: string;
  /** Default rsa2048. */
  keyAlgorithm?: KeyAlgorithmName;
  now?: Date;
}

/** Reads `ca.crt` + `ca.key` from the cert dir; a CertTreeError names the missing or mismatched file. */
export async function loadClusterCa(certDir: string): Promise<{ cert: string; key: PrivateKey }> {
  const files = pairFiles(caSpec('ca').baseName);
  const cert = await readOptional(join(certDir, files.cert));
  const keyPem = await readOptional(join(certDir, files.key));
  if (cert === undefined) throw new CertTreeError(`${join(certDir, files.cert)} does not exist: run 'kagg certs init --cert-dir ${certDir}' first`);
  if (keyPem === undefined) throw new CertTreeError(`${join(certDir, files.key)} does not exist (external CA): kubeconfig client certificates need the CA key`);
  let key: PrivateKey;
  try {
    key = parsePrivateKeyPem(keyPem);
  } catch (err) {
    throw new CertTreeError(`${join(certDir, files.key)}: not a PEM private key: ${(err as Error).message}`, { cause: err });
  }
  if (!privateKeyMatchesCert(key, cert)) throw new CertTreeError(`${join(certDir, files.key)} does not match ${join(certDir, files.cert)}`);
  return { cert, key };
}

/** The kubeconfig text (YAML). */
export async function issueKubeconfig(options: KubeconfigOptions): Promise<string> {
  const spec = KUBEADM_KUBECONFIGS.find((k) => k.kind === options.kind);
  if (!spec) throw new Error(`unknown kubeconfig "${options.kind}" (use ${KUBEADM_KUBECONFIGS.map((k) => k.kind).join(', ')})`);
  validateServer(options.server);
  const ca = await loadClusterCa(options.certDir);
  const key = await generateKeyFor(options.keyAlgorithm ?? 'rsa2048');
  const issued = await issueKubeadmLeaf({
    ca,
    key,
    cn: spec.cn,
    organizations: spec.organizations,
    dns: [],
    ips: [],
    extKeyUsages: ['clientAuth'],
    validity: kubeadmValidity(options.now ?? new Date(), VALIDITY.leafHours),
  });
  return buildKubeconfig({ server: options.server, caPem: ca.cert, clientCertPem: issued.pem, clientKeyPem: encodePrivateKeyPem(key), user: spec.cn, ...(options.cluster ? { cluster: options.cluster } : {}) });
}

function validateServer(server: string): void {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new Error(`invalid --server "${server}": expected a URL such as https://10.0.0.1:6443`);
  }
  if (url.protocol !== 'https:') throw new Error(`invalid --server "${server}": the API server URL must use https`);
}

export interface KubeconfigFileResult {
  action: 'written' | 'reused';
  /** kubeadm-style lines: `[kubeconfig] Writing "admin.conf" kubeconfig file`, warnings. */
  lines: string[];
}

/**
 * Writes the kubeconfig to `path` (mode 0600, atomically) like kubeadm's kubeconfig phase:
 * an existing file with the same CA data is kept (a different server URL is only a
 * warning); one with another CA is an error, unless `force` replaces it.
 */
export async function writeKubeconfigFile(path: string, options: KubeconfigOptions & { force?: boolean }): Promise<KubeconfigFileResult> {
  const existing = await readOptional(path);
  if (existing !== undefined && !options.force) {
    let creds;
    try {
      creds = parseKubeconfig(existing);
    } catch (err) {
      throw new CertTreeError(`${path} exists but is not a kubeconfig with embedded credentials (${(err as Error).message}): delete it, or pass --force to replace it`, { cause: err });
    }
    const ca = await loadClusterCa(options.certDir);
    if (creds.caPem !== ca.cert) throw new CertTreeError(`${path} exists already but has got the wrong CA cert (not ${join(options.certDir, 'ca.crt')}): delete it, or pass --force to replace it`);
    const lines = [`[kubeconfig] Using existing kubeconfig file: "${path}"`];
    if (creds.server !== options.server) lines.push(`[kubeconfig] WARNING: ${path} has the API server URL ${creds.server}, not ${options.server}; kept as it is (--force replaces it)`);
    return { action: 'reused', lines };
  }
  const text = await issueKubeconfig(options);
  await writeFileAtomic(path, text, { mode: FILE_MODES.kubeconfig });
  return { action: 'written', lines: [`[kubeconfig] Writing "${path}" kubeconfig file`] };
}
