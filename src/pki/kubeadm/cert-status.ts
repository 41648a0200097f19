// What is on disk for each entry of the tree: reads a certificate from a `.crt` or from a
// kubeconfig's client-certificate-data, and whether a CA is external (cert without key).
import { dirname, join } from 'node:path';
import { inspectCertificate, type CertificateInfo } from '../mod.ts';
import { KUBEADM_CAS, pairFiles, type CaName } from './cert-list.ts';
import { parseKubeconfig } from './kubeconfig.ts';
import { CertTreeError } from './errors.ts';
import { readOptional } from './tree-files.ts';

/** kubeadm's layout: kubeconfig files live in the parent of the cert dir (/etc/kubernetes/pki → /etc/kubernetes). */
export function defaultKubeconfigDir(certDir: string): string {
  return dirname(certDir.replace(/\/+$/, '') || '/');
}

export interface LoadedCert {
  file: string;
  pem: string;
  info: CertificateInfo;
}

/** The certificate in `file` (relative to `dir`), or undefined when the file does not exist. */
export async function loadCert(dir: string, file: string): Promise<LoadedCert | undefined> {
  const pem = await readOptional(join(dir, file));
  if (pem === undefined) return undefined;
  try {
    return { file, pem, info: inspectCertificate(pem) };
  } catch (err) {
    throw new CertTreeError(`${join(dir, file)}: not a PEM certificate: ${(err as Error).message}`, { cause: err });
  }
}

/** The embedded client certificate of a kubeconfig, or undefined when the file does not exist. */
export async function loadKubeconfigCert(dir: string, file: string): Promise<LoadedCert | undefined> {
  const text = await readOptional(join(dir, file));
  if (text === undefined) return undefined;
  try {
    const creds = parseKubeconfig(text);
    return { file, pem: creds.clientCertPem, info: inspectCertificate(creds.clientCertPem) };
  } catch (err) {
    throw new CertTreeError(`${join(dir, file)}: ${(err as Error).message}`, { cause: err });
  }
}

export interface CaStatus {
  name: CaName;
  cert?: LoadedCert;
  hasKey: boolean;
  /** The certificate exists without its key. */
  external: boolean;
}

export async function loadCaStatus(certDir: string, name: CaName): Promise<CaStatus> {
  const spec = KUBEADM_CAS.find((c) => c.name === name)!;
  const files = pairFiles(spec.baseName);
  const cert = await loadCert(certDir, files.cert);
  const hasKey = (await readOptional(join(certDir, files.key))) !== undefined;
  return { name, ...(cert ? { cert } : {}), hasKey, external: cert !== undefined && !hasKey };
}
