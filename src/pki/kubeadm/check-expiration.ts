// `kagg certs check-expiration`: reads every leaf, kubeconfig client cert and CA of the
// tree and returns kubeadm's CertificateExpirationInfo rows (format: expiration-table.ts).
import { KUBEADM_KUBECONFIGS, pairFiles, treeCas, treeLeaves, type CaName } from './cert-list.ts';
import { AGGREGATOR_FILES } from './aggregator-variant.ts';
import { defaultKubeconfigDir, loadCaStatus, loadCert, loadKubeconfigCert, type CaStatus, type LoadedCert } from './cert-status.ts';
import { residualSeconds, type ExpirationEntry, type ExpirationInfo } from './expiration-table.ts';
import { readOptional } from './tree-files.ts';
import { join } from 'node:path';

export interface CheckExpirationOptions {
  /** Where admin.conf & co. live. Default: the parent of the cert dir. */
  kubeconfigDir?: string;
  now?: Date;
  /** etcd is external: its CA and leaves are not listed (kubeadm's rows without etcd). */
  externalEtcd?: boolean;
}

const byteOrder = (a: { name: string }, b: { name: string }) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name));

export async function checkExpiration(certDir: string, options: CheckExpirationOptions = {}): Promise<ExpirationInfo> {
  const now = options.now ?? new Date();
  const kubeconfigDir = options.kubeconfigDir ?? defaultKubeconfigDir(certDir);
  const cas = new Map<CaName, CaStatus>();
  for (const ca of treeCas(options.externalEtcd)) cas.set(ca.name, await loadCaStatus(certDir, ca.name));

  const row = (name: string, loaded: LoadedCert | undefined, caName: string | undefined, external: boolean): ExpirationEntry =>
    loaded
      ? { name, expirationDate: loaded.info.notAfter, residualSeconds: residualSeconds(loaded.info.notAfter, now), ...(caName ? { caName } : {}), externallyManaged: external, missing: false }
      : { name, residualSeconds: 0, ...(caName ? { caName } : {}), externallyManaged: external, missing: true };

  const certificates: ExpirationEntry[] = [];
  for (const leaf of treeLeaves(options.externalEtcd)) {
    certificates.push(row(leaf.name, await loadCert(certDir, pairFiles(leaf.baseName).cert), leaf.ca, cas.get(leaf.ca)!.external));
  }
  for (const kc of KUBEADM_KUBECONFIGS) {
    certificates.push(row(kc.file, await loadKubeconfigCert(kubeconfigDir, kc.file), 'ca', cas.get('ca')!.external));
  }
  const certificateAuthorities = treeCas(options.externalEtcd).map((ca) => row(ca.name, cas.get(ca.name)!.cert, undefined, cas.get(ca.name)!.external));

  // kagg extension: the seed article's aggregator pair, listed only when present.
  const aggCa = await loadCert(certDir, AGGREGATOR_FILES.caCert);
  const aggLeaf = await loadCert(certDir, AGGREGATOR_FILES.cert);
  const aggExternal = aggCa !== undefined && (await readOptional(join(certDir, AGGREGATOR_FILES.caKey))) === undefined;
  if (aggLeaf) certificates.push(row('aggregator', aggLeaf, 'aggregator-ca', aggExternal));
  if (aggCa) certificateAuthorities.push(row('aggregator-ca', aggCa, undefined, aggExternal));

  return { certificates: certificates.sort(byteOrder), certificateAuthorities: certificateAuthorities.sort(byteOrder) };
}
