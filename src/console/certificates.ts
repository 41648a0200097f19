// The certificate graph the console draws: kagg certs' CA → leaf tree from --cert-dir, each
// node with subject, issuer, SANs, usages, validity and the `kagg certs renew` command. Only
// certificates are read and returned; private keys are never opened.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildCertTree, parseKubeconfig, RENEWABLE_NAMES, type CertTreeNode } from '../pki/kubeadm/mod.ts';
import { inspectCertificate, type CertificateInfo } from '../pki/mod.ts';

export interface ConsoleCertificate {
  /** Path relative to the cert dir (kubeconfigs: `../admin.conf`). */
  file: string;
  /** kubeadm's name (`apiserver`, `etcd-server`, `admin.conf`). */
  name: string;
  subject: string;
  issuer: string;
  isCA: boolean;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  residualSeconds: number;
  sans: string[];
  keyUsage: string[];
  extKeyUsage: string[];
  /** `kagg certs renew NAME --cert-dir DIR`, when kagg can renew it. */
  renewCommand?: string;
  children: ConsoleCertificate[];
}

export interface ConsoleCertificates {
  kind: 'ConsoleCertificates';
  generatedAt: string;
  roots: ConsoleCertificate[];
  orphans: ConsoleCertificate[];
}

/** `apiserver.crt` → `apiserver`, `etcd/server.crt` → `etcd-server`, `../admin.conf` → `admin.conf`. */
export function certificateName(file: string): string {
  const base = file.replace(/^(\.\.\/)+/, '');
  if (base.endsWith('.conf')) return base;
  return base.replace(/\.(crt|pem)$/, '').replace(/\//g, '-');
}

async function readCertificate(certDir: string, file: string): Promise<CertificateInfo | undefined> {
  try {
    const text = await readFile(join(certDir, file), 'utf8');
    if (file.endsWith('.conf')) {
      const creds = parseKubeconfig(text);
      return creds.clientCertPem ? inspectCertificate(creds.clientCertPem) : undefined;
    }
    return inspectCertificate(text);
  } catch {
    // The tree already read this file; a change in between only loses the details.
    return undefined;
  }
}

function sanList(info: CertificateInfo): string[] {
  const s = info.sans;
  return [...(s.dns ?? []).map((d) => `DNS:${d}`), ...(s.ip ?? []).map((i) => `IP:${i}`), ...(s.email ?? []).map((e) => `email:${e}`), ...(s.uri ?? []).map((u) => `URI:${u}`)];
}

async function toConsole(node: CertTreeNode, certDir: string, certDirFlag: string): Promise<ConsoleCertificate> {
  const info = await readCertificate(certDir, node.file);
  const name = certificateName(node.file);
  const renewable = !node.isCA && RENEWABLE_NAMES.includes(name);
  return {
    file: node.file,
    name,
    subject: node.subject,
    issuer: info?.issuerDn ?? '',
    isCA: node.isCA,
    serialNumber: info ? info.serialNumber.toString(16) : '',
    notBefore: info ? info.notBefore.toISOString() : '',
    notAfter: node.notAfter,
    residualSeconds: node.residualSeconds,
    sans: info ? sanList(info) : [],
    keyUsage: info ? [...info.keyUsage] : [],
    extKeyUsage: info ? info.extKeyUsage.map(String) : [],
    ...(renewable ? { renewCommand: `kagg certs renew ${name} --cert-dir ${certDirFlag}` } : {}),
    children: await Promise.all(node.children.map((c) => toConsole(c, certDir, certDirFlag))),
  };
}

/** The console's certificate document for one cert dir. */
export async function readConsoleCertificates(certDir: string, options: { now?: Date } = {}): Promise<ConsoleCertificates> {
  const now = options.now ?? new Date();
  const tree = await buildCertTree(certDir, { now });
  return {
    kind: 'ConsoleCertificates',
    generatedAt: now.toISOString(),
    roots: await Promise.all(tree.roots.map((n) => toConsole(n, certDir, certDir))),
    orphans: await Promise.all(tree.orphans.map((n) => toConsole(n, certDir, certDir))),
  };
}
