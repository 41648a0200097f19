// `kagg certs tree`: which CA signed what, found by checking signatures (not by trusting
// file names), with expiry; rendered as a terminal tree or returned as JSON.
import { join, relative } from 'node:path';
import { humanDuration } from '../../apimachinery/duration.ts';
import { KUBEADM_CAS, KUBEADM_KUBECONFIGS, KUBEADM_LEAVES, pairFiles } from './cert-list.ts';
import { AGGREGATOR_FILES } from './aggregator-variant.ts';
import { defaultKubeconfigDir, loadCert, loadKubeconfigCert, type LoadedCert } from './cert-status.ts';
import { formatExpires, residualSeconds, rfc3339 } from './expiration-table.ts';
import { signedBy } from './cert-checks.ts';

export interface CertTreeNode {
  /** Path relative to the cert dir (kubeconfigs: `../admin.conf`). */
  file: string;
  subject: string;
  isCA: boolean;
  notAfter: string;
  residualSeconds: number;
  children: CertTreeNode[];
}

export interface CertTree {
  roots: CertTreeNode[];
  /** Certificates whose issuer is not among the CAs found. */
  orphans: CertTreeNode[];
}

export interface CertTreeOptions {
  kubeconfigDir?: string;
  now?: Date;
}

export async function buildCertTree(certDir: string, options: CertTreeOptions = {}): Promise<CertTree> {
  const now = options.now ?? new Date();
  const kubeconfigDir = options.kubeconfigDir ?? defaultKubeconfigDir(certDir);
  const found: LoadedCert[] = [];
  const files = [
    ...KUBEADM_CAS.map((c) => pairFiles(c.baseName).cert),
    AGGREGATOR_FILES.caCert,
    ...KUBEADM_LEAVES.map((l) => pairFiles(l.baseName).cert),
    AGGREGATOR_FILES.cert,
  ];
  for (const file of files) {
    const loaded = await loadCert(certDir, file);
    if (loaded) found.push(loaded);
  }
  for (const kc of KUBEADM_KUBECONFIGS) {
    const loaded = await loadKubeconfigCert(kubeconfigDir, kc.file);
    if (loaded) found.push({ ...loaded, file: relative(certDir, join(kubeconfigDir, kc.file)) });
  }
  const nodes = new Map(found.map((c) => [c, toNode(c, now)]));
  const cas = found.filter((c) => c.info.isCA);
  const roots: CertTreeNode[] = [];
  const orphans: CertTreeNode[] = [];
  for (const cert of found) {
    const node = nodes.get(cert)!;
    if (cert.info.isCA && signedBy(cert.pem, cert.pem)) {
      roots.push(node);
      continue;
    }
    const issuer = cas.find((ca) => ca !== cert && signedBy(cert.pem, ca.pem));
    if (issuer) nodes.get(issuer)!.children.push(node);
    else orphans.push(node);
  }
  return { roots, orphans };
}

function toNode(cert: LoadedCert, now: Date): CertTreeNode {
  return {
    file: cert.file,
    subject: cert.info.subjectDn,
    isCA: cert.info.isCA,
    notAfter: rfc3339(cert.info.notAfter),
    residualSeconds: residualSeconds(cert.info.notAfter, now),
    children: [],
  };
}

/** The tree as box-drawing text, one certificate per line. */
export function formatCertTree(tree: CertTree): string {
  const out: string[] = [];
  const describe = (n: CertTreeNode) => `${n.file}  [${n.subject}]  expires ${formatExpires(new Date(n.notAfter))} (${humanDuration(n.residualSeconds * 1000)})`;
  const walk = (node: CertTreeNode, prefix: string, last: boolean, top: boolean) => {
    out.push(top ? describe(node) : `${prefix}${last ? '└── ' : '├── '}${describe(node)}`);
    const childPrefix = top ? '' : `${prefix}${last ? '    ' : '│   '}`;
    node.children.forEach((child, i) => walk(child, childPrefix, i === node.children.length - 1, false));
  };
  for (const root of tree.roots) walk(root, '', true, true);
  if (tree.orphans.length > 0) {
    out.push('(signed by no CA found here)');
    tree.orphans.forEach((node, i) => walk(node, '', i === tree.orphans.length - 1, false));
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}
