// `kagg certs verify`: every chain, key/cert pair, usage, CN and SAN the control plane
// needs, each failure one finding naming the file and the fix. Pure reading; no writes.
import { join } from 'node:path';
import { encodePublicKeyPem, inspectCertificate, parsePrivateKeyPem, privateKeyMatchesCert, type CertificateInfo, type PrivateKey } from '../mod.ts';
import { KUBEADM_CAS, KUBEADM_KUBECONFIGS, NODE_NAME_CN, SERVICE_ACCOUNT_KEY, pairFiles, treeCas, treeLeaves } from './cert-list.ts';
import { AGGREGATOR_FILES, aggregatorHosts } from './aggregator-variant.ts';
import { defaultKubeconfigDir } from './cert-status.ts';
import { missingSans, signedBy } from './cert-checks.ts';
import { parseKubeconfig } from './kubeconfig.ts';
import { DEFAULT_DNS_DOMAIN, DEFAULT_SERVICE_CIDR, canonicalIp, controlPlaneEndpointHost, firstServiceIp, normalizeNodeName, type AltNames } from './san.ts';
import { readOptional } from './tree-files.ts';

export interface VerifyOptions {
  /** Checked against the SANs when given. */
  nodeName?: string;
  advertiseAddress?: string;
  /** Default 10.96.0.0/12: its first IP must be in apiserver.crt. */
  serviceCidr?: string;
  /** Default cluster.local. */
  dnsDomain?: string;
  controlPlaneEndpoint?: string;
  apiserverCertSans?: readonly string[];
  /** Kubeconfig files found here are checked too. Default: the parent of the cert dir. */
  kubeconfigDir?: string;
  now?: Date;
  /** etcd is external: its CA and leaves are not expected here. */
  externalEtcd?: boolean;
  /** A certificate expiring within this many days is a warning. Default 30. */
  warnDays?: number;
}

export interface VerifyFinding {
  severity: 'error' | 'warning';
  /** Path relative to the cert dir (kubeconfigs: absolute). */
  file: string;
  problem: string;
  fix: string;
}

export interface VerifyReport {
  ok: boolean;
  findings: VerifyFinding[];
  /** Files that were examined. */
  checked: string[];
}

/** `error: apiserver.key: does not match apiserver.crt. Fix: …` */
export function formatFinding(f: VerifyFinding): string {
  return `${f.severity}: ${f.file}: ${f.problem}. Fix: ${f.fix}`;
}

const DAY_MS = 24 * 3600 * 1000;

export async function verifyTree(certDir: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const now = options.now ?? new Date();
  const warnMs = (options.warnDays ?? 30) * DAY_MS;
  const findings: VerifyFinding[] = [];
  const checked: string[] = [];
  const fail = (file: string, problem: string, fix: string) => findings.push({ severity: 'error', file, problem, fix });
  const warn = (file: string, problem: string, fix: string) => findings.push({ severity: 'warning', file, problem, fix });
  const init = `run 'kagg certs init --cert-dir ${certDir}'`;

  /** The certificate, or undefined (missing: an error unless `optional`; unparsable: an error). */
  const readCert = async (file: string, optional: boolean): Promise<{ pem: string; info: CertificateInfo } | undefined> => {
    const pem = await readOptional(join(certDir, file));
    if (pem === undefined) {
      if (!optional) {
        checked.push(file);
        fail(file, 'missing', init);
      }
      return undefined;
    }
    checked.push(file);
    try {
      return { pem, info: inspectCertificate(pem) };
    } catch (err) {
      fail(file, `not a PEM certificate (${(err as Error).message})`, `delete it and ${init}`);
      return undefined;
    }
  };
  const readKey = async (file: string): Promise<PrivateKey | undefined | null> => {
    const pem = await readOptional(join(certDir, file));
    checked.push(file);
    if (pem === undefined) return null;
    try {
      return parsePrivateKeyPem(pem);
    } catch (err) {
      fail(file, `not a PEM private key (${(err as Error).message})`, `delete it and its certificate, then ${init}`);
      return undefined;
    }
  };
  const checkTime = (file: string, info: CertificateInfo, renew: string) => {
    if (now > info.notAfter) fail(file, `expired on ${info.notAfter.toISOString()}`, renew);
    else if (now < info.notBefore) fail(file, `not valid before ${info.notBefore.toISOString()}`, 'check the system clock, or re-issue it');
    else if (info.notAfter.getTime() - now.getTime() < warnMs) warn(file, `expires on ${info.notAfter.toISOString()}`, renew);
  };

  // Roots
  const caPems = new Map<string, string>();
  const rootList = [
    ...treeCas(options.externalEtcd).map((c) => ({ name: c.name as string, ...pairFiles(c.baseName), optional: false })),
    { name: 'aggregator-ca', cert: AGGREGATOR_FILES.caCert, key: AGGREGATOR_FILES.caKey, optional: true },
  ];
  for (const root of rootList) {
    const cert = await readCert(root.cert, root.optional);
    if (!cert) continue;
    caPems.set(root.name, cert.pem);
    const { info } = cert;
    if (!info.isCA) fail(root.cert, 'is not a CA (BasicConstraints CA:FALSE)', `delete ${root.cert} and ${root.key} and every certificate it signed, then ${init}`);
    if (!info.keyUsage.includes('keyCertSign')) fail(root.cert, 'KeyUsage lacks keyCertSign, so nothing it signs verifies', `re-create the CA (${init} after deleting the tree)`);
    if (!signedBy(cert.pem, cert.pem)) fail(root.cert, 'is not self-signed (its signature does not verify with its own key)', 'put the root CA certificate here, not an intermediate');
    checkTime(root.cert, info, 'a CA cannot be renewed by kagg: create a new tree, or re-sign the CA with its key');
    const key = await readKey(root.key);
    if (key === null) {
      if (!root.optional) warn(root.key, `missing: ${root.name} is an external CA, kagg cannot sign or renew with it`, `provide ${root.key} to let kagg sign`);
    } else if (key && !privateKeyMatchesCert(key, cert.pem)) {
      fail(root.key, `does not match ${root.cert}`, `restore the CA's own key, or delete the ${root.name} pair and its leaves, then ${init}`);
    }
  }

  // Leaves
  const expected = expectedSans(options);
  const leafList = [
    ...treeLeaves(options.externalEtcd).map((l) => ({
      name: l.name as string, ...pairFiles(l.baseName), ca: l.ca as string, caFile: pairFiles(KUBEADM_CAS.find((c) => c.name === l.ca)!.baseName).cert,
      cn: l.cn === NODE_NAME_CN ? (options.nodeName ? normalizeNodeName(options.nodeName) : undefined) : l.cn,
      ekus: l.extKeyUsages as readonly string[], sans: expected[l.name] ?? { dns: [], ips: [] }, optional: false,
    })),
    {
      name: 'aggregator', cert: AGGREGATOR_FILES.cert, key: AGGREGATOR_FILES.key, ca: 'aggregator-ca', caFile: AGGREGATOR_FILES.caCert, cn: 'aggregator',
      ekus: ['serverAuth', 'clientAuth'], sans: expected.aggregator, optional: true,
    },
  ];
  for (const leaf of leafList) {
    const reissue = `delete ${leaf.cert} and ${leaf.key}, then ${init}`;
    const cert = await readCert(leaf.cert, leaf.optional);
    if (!cert) continue;
    const { info } = cert;
    const key = await readKey(leaf.key);
    if (key === null) fail(leaf.key, `missing (the private key of ${leaf.cert})`, reissue);
    else if (key && !privateKeyMatchesCert(key, cert.pem)) fail(leaf.key, `does not match ${leaf.cert}`, `restore the key that belongs to ${leaf.cert}, or ${reissue}`);
    const caPem = caPems.get(leaf.ca);
    if (caPem && !signedBy(cert.pem, caPem)) fail(leaf.cert, `is not signed by ${leaf.caFile}`, `restore the CA that signed it, or ${reissue}`);
    checkTime(leaf.cert, info, `run 'kagg certs renew ${leaf.name} --cert-dir ${certDir}'`);
    if (info.isCA) fail(leaf.cert, 'is a CA certificate, but is used as a leaf', reissue);
    if (!info.keyUsage.includes('digitalSignature')) fail(leaf.cert, 'KeyUsage lacks digitalSignature, so TLS handshakes with it fail', reissue);
    for (const eku of leaf.ekus) {
      if (!info.extKeyUsage.includes(eku)) fail(leaf.cert, `ExtendedKeyUsage lacks ${eku}${eku === 'serverAuth' ? ' (clients reject it as a server certificate)' : ' (servers reject it as a client certificate)'}`, reissue);
    }
    if (leaf.cn && info.subject.CN !== leaf.cn) fail(leaf.cert, `CN is "${info.subject.CN ?? ''}", the control plane expects "${leaf.cn}"`, reissue);
    const missing = missingSans(info, leaf.sans);
    if (missing.length > 0) fail(leaf.cert, `lacks SAN(s) ${missing.join(', ')}`, `${reissue} with the same options (renew keeps the old SANs)`);
  }

  // Service-account key pair
  const saKey = await readKey(SERVICE_ACCOUNT_KEY.privateKey);
  const saPub = await readOptional(join(certDir, SERVICE_ACCOUNT_KEY.publicKey));
  checked.push(SERVICE_ACCOUNT_KEY.publicKey);
  if (saKey === null) fail(SERVICE_ACCOUNT_KEY.privateKey, 'missing', init);
  if (saPub === undefined) fail(SERVICE_ACCOUNT_KEY.publicKey, 'missing', saKey ? `${init} (it writes sa.pub from sa.key)` : init);
  else if (saKey && saPub !== encodePublicKeyPem(saKey)) fail(SERVICE_ACCOUNT_KEY.publicKey, `is not the public half of ${SERVICE_ACCOUNT_KEY.privateKey}`, `delete ${SERVICE_ACCOUNT_KEY.publicKey}, then ${init}`);

  // Kubeconfig files that exist
  const kubeconfigDir = options.kubeconfigDir ?? defaultKubeconfigDir(certDir);
  const clusterCa = caPems.get('ca');
  for (const kc of KUBEADM_KUBECONFIGS) {
    const path = join(kubeconfigDir, kc.file);
    const text = await readOptional(path);
    if (text === undefined) continue;
    checked.push(path);
    const regenerate = `run 'kagg kubeconfig ${kc.kind} --cert-dir ${certDir} --server URL --out ${path}'`;
    try {
      const creds = parseKubeconfig(text);
      const info = inspectCertificate(creds.clientCertPem);
      if (clusterCa && creds.caPem !== clusterCa) fail(path, 'certificate-authority-data is not ca.crt', regenerate);
      if (clusterCa && !signedBy(creds.clientCertPem, clusterCa)) fail(path, 'client certificate is not signed by ca.crt', regenerate);
      if (!privateKeyMatchesCert(parsePrivateKeyPem(creds.clientKeyPem), creds.clientCertPem)) fail(path, 'client-key-data does not match client-certificate-data', regenerate);
      if (info.subject.CN !== kc.cn) fail(path, `client certificate CN is "${info.subject.CN ?? ''}", expected "${kc.cn}"`, regenerate);
      if (!info.extKeyUsage.includes('clientAuth')) fail(path, 'client certificate lacks ExtendedKeyUsage clientAuth', regenerate);
      checkTime(path, info, `run 'kagg certs renew ${kc.file} --cert-dir ${certDir}'`);
    } catch (err) {
      fail(path, `cannot be read as a kubeconfig with embedded credentials (${(err as Error).message})`, regenerate);
    }
  }

  return { ok: !findings.some((f) => f.severity === 'error'), findings, checked };
}

/** SANs each serving certificate must carry, from what is known (options given) and kubeadm's fixed names. */
function expectedSans(options: VerifyOptions): Record<string, AltNames> & { aggregator: AltNames } {
  const domain = options.dnsDomain ?? DEFAULT_DNS_DOMAIN;
  const serviceIp = firstServiceIp(options.serviceCidr ?? DEFAULT_SERVICE_CIDR);
  const node = options.nodeName ? [normalizeNodeName(options.nodeName)] : [];
  const advertise = options.advertiseAddress ? [canonicalIp(options.advertiseAddress) ?? options.advertiseAddress] : [];
  const apiserver: AltNames = { dns: [...node, 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', `kubernetes.default.svc.${domain}`], ips: [serviceIp, ...advertise] };
  if (options.controlPlaneEndpoint) {
    const host = controlPlaneEndpointHost(options.controlPlaneEndpoint);
    const ip = canonicalIp(host);
    if (ip) apiserver.ips.push(ip);
    else apiserver.dns.push(host);
  }
  for (const extra of options.apiserverCertSans ?? []) {
    const ip = canonicalIp(extra);
    if (ip) apiserver.ips.push(ip);
    else apiserver.dns.push(extra);
  }
  const etcdServer: AltNames = { dns: [...node, 'localhost'], ips: [...advertise, '127.0.0.1'] };
  const etcdPeer: AltNames = { dns: [...node], ips: [...advertise] };
  const aggregator = aggregatorHosts({ advertiseAddress: advertise[0] ?? '127.0.0.1', serviceCidr: options.serviceCidr ?? DEFAULT_SERVICE_CIDR, dnsDomain: domain });
  return { apiserver, 'etcd-server': etcdServer, 'etcd-peer': etcdPeer, aggregator };
}
