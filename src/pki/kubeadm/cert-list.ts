// The kubeadm control-plane certificate tree as data (kubeadm's certlist.go; spec pki.md
// A.2, A.3, A.8, A.10). Every other module of src/pki/kubeadm reads these tables; nothing
// else spells a file name, CN or usage list.

/** Marks a CN taken from the node name (etcd serving and peer certificates). */
export const NODE_NAME_CN = 'node-name' as const;

/** Which SAN derivation a certificate uses (san.ts). */
export type SanProfile = 'none' | 'self' | 'apiserver' | 'etcd-server' | 'etcd-peer';

export type KubeadmKeyUsage = 'digitalSignature' | 'keyEncipherment' | 'keyCertSign';
export type KubeadmExtKeyUsage = 'serverAuth' | 'clientAuth';

/** The three roots. `name` is kubeadm's CA name (check-expiration, phases); `baseName` the file path without extension. */
export const KUBEADM_CAS = [
  { name: 'ca', baseName: 'ca', cn: 'kubernetes', longName: 'self-signed Kubernetes CA to provision identities for other Kubernetes components' },
  { name: 'front-proxy-ca', baseName: 'front-proxy-ca', cn: 'front-proxy-ca', longName: 'self-signed CA to provision identities for front proxy' },
  { name: 'etcd-ca', baseName: 'etcd/ca', cn: 'etcd-ca', longName: 'self-signed CA to provision identities for etcd' },
] as const;

export type CaName = (typeof KUBEADM_CAS)[number]['name'];

/** Usages shared by every CA and every leaf (kubeadm sets no other KeyUsage bits). */
export const CA_KEY_USAGES = ['digitalSignature', 'keyEncipherment', 'keyCertSign'] as const satisfies readonly KubeadmKeyUsage[];
export const LEAF_KEY_USAGES = ['digitalSignature', 'keyEncipherment'] as const satisfies readonly KubeadmKeyUsage[];

/**
 * The seven leaves in kubeadm's phase order. `name` is the phase / check-expiration /
 * renew name, `baseName` the path under the cert dir without `.crt`/`.key`.
 */
export const KUBEADM_LEAVES = [
  {
    name: 'apiserver', baseName: 'apiserver', ca: 'ca', cn: 'kube-apiserver', organizations: [],
    extKeyUsages: ['serverAuth'], sans: 'apiserver', longName: 'certificate for serving the Kubernetes API',
  },
  {
    name: 'apiserver-kubelet-client', baseName: 'apiserver-kubelet-client', ca: 'ca', cn: 'kube-apiserver-kubelet-client', organizations: ['kubeadm:cluster-admins'],
    extKeyUsages: ['clientAuth'], sans: 'none', longName: 'certificate for the API server to connect to kubelet',
  },
  {
    name: 'front-proxy-client', baseName: 'front-proxy-client', ca: 'front-proxy-ca', cn: 'front-proxy-client', organizations: [],
    extKeyUsages: ['clientAuth'], sans: 'none', longName: 'certificate for the front proxy client',
  },
  {
    name: 'etcd-server', baseName: 'etcd/server', ca: 'etcd-ca', cn: NODE_NAME_CN, organizations: [],
    extKeyUsages: ['serverAuth', 'clientAuth'], sans: 'etcd-server', longName: 'certificate for serving etcd',
  },
  {
    name: 'etcd-peer', baseName: 'etcd/peer', ca: 'etcd-ca', cn: NODE_NAME_CN, organizations: [],
    extKeyUsages: ['serverAuth', 'clientAuth'], sans: 'etcd-peer', longName: 'certificate for etcd nodes to communicate with each other',
  },
  {
    name: 'etcd-healthcheck-client', baseName: 'etcd/healthcheck-client', ca: 'etcd-ca', cn: 'kube-etcd-healthcheck-client', organizations: [],
    extKeyUsages: ['clientAuth'], sans: 'none', longName: 'certificate for liveness probes to healthcheck etcd',
  },
  {
    name: 'apiserver-etcd-client', baseName: 'apiserver-etcd-client', ca: 'etcd-ca', cn: 'kube-apiserver-etcd-client', organizations: [],
    extKeyUsages: ['clientAuth'], sans: 'none', longName: 'certificate the apiserver uses to access etcd',
  },
] as const satisfies readonly {
  name: string;
  baseName: string;
  ca: CaName;
  cn: string;
  organizations: readonly string[];
  extKeyUsages: readonly KubeadmExtKeyUsage[];
  sans: SanProfile;
  longName: string;
}[];

export type LeafName = (typeof KUBEADM_LEAVES)[number]['name'];
export type LeafSpec = (typeof KUBEADM_LEAVES)[number];
export type CaSpec = (typeof KUBEADM_CAS)[number];

/** `kubeadm init phase certs all` order: each CA right before the leaves it signs. */
export const KUBEADM_PHASE_ORDER = [
  'ca', 'apiserver', 'apiserver-kubelet-client', 'front-proxy-ca', 'front-proxy-client',
  'etcd-ca', 'etcd-server', 'etcd-peer', 'etcd-healthcheck-client', 'apiserver-etcd-client', 'sa',
] as const satisfies readonly (CaName | LeafName | 'sa')[];

/** The service-account signing key pair (no certificate, never renewed). */
export const SERVICE_ACCOUNT_KEY = { name: 'sa', privateKey: 'sa.key', publicKey: 'sa.pub' } as const;

/** Kubeconfig files with embedded client certs signed by `ca` (A.8). `kubelet.conf` is not made by kagg. */
export const KUBEADM_KUBECONFIGS = [
  { kind: 'admin', file: 'admin.conf', cn: 'kubernetes-admin', organizations: ['kubeadm:cluster-admins'], longName: 'certificate embedded in the kubeconfig file for the admin to use and for kubeadm itself' },
  { kind: 'super-admin', file: 'super-admin.conf', cn: 'kubernetes-super-admin', organizations: ['system:masters'], longName: 'certificate embedded in the kubeconfig file for the super-admin' },
  { kind: 'controller-manager', file: 'controller-manager.conf', cn: 'system:kube-controller-manager', organizations: [], longName: 'certificate embedded in the kubeconfig file for the controller manager to use' },
  { kind: 'scheduler', file: 'scheduler.conf', cn: 'system:kube-scheduler', organizations: [], longName: 'certificate embedded in the kubeconfig file for the scheduler manager to use' },
] as const;

export type KubeconfigKind = (typeof KUBEADM_KUBECONFIGS)[number]['kind'];
export type KubeconfigSpec = (typeof KUBEADM_KUBECONFIGS)[number];

/** File modes kubeadm writes (A.2). */
export const FILE_MODES = { certificate: 0o644, privateKey: 0o600, publicKey: 0o600, kubeconfig: 0o600, directory: 0o755 } as const;

/** Default validity periods (v1.31+): exact hours, not calendar years. */
export const VALIDITY = {
  caHours: 87600,
  leafHours: 8760,
  /** notBefore is the run's start time minus this. */
  backdateMinutes: 5,
} as const;

/** `--key-algorithm` values ↔ kubeadm's `encryptionAlgorithm` and the engine's key spec. */
export const KEY_ALGORITHMS = {
  rsa2048: { kubeadm: 'RSA-2048', algo: 'rsa', size: 2048 },
  rsa3072: { kubeadm: 'RSA-3072', algo: 'rsa', size: 3072 },
  rsa4096: { kubeadm: 'RSA-4096', algo: 'rsa', size: 4096 },
  'ecdsa-p256': { kubeadm: 'ECDSA-P256', algo: 'ecdsa', size: 256 },
} as const;

export type KeyAlgorithmName = keyof typeof KEY_ALGORITHMS;

export function isKeyAlgorithmName(value: string): value is KeyAlgorithmName {
  return Object.hasOwn(KEY_ALGORITHMS, value);
}

/** The roots kubeadm makes: all three, or without etcd's when etcd is external (A.2). */
export function treeCas(externalEtcd = false): readonly CaSpec[] {
  return KUBEADM_CAS.filter((c) => !externalEtcd || c.name !== 'etcd-ca');
}

/** The leaves kubeadm makes: all seven, or the first three (no etcd-ca leaves) with external etcd. */
export function treeLeaves(externalEtcd = false): readonly LeafSpec[] {
  return KUBEADM_LEAVES.filter((l) => !externalEtcd || l.ca !== 'etcd-ca');
}

export function caSpec(name: CaName): CaSpec {
  const spec = KUBEADM_CAS.find((c) => c.name === name);
  if (!spec) throw new Error(`unknown CA ${name}`);
  return spec;
}

export function leafSpec(name: string): LeafSpec | undefined {
  return KUBEADM_LEAVES.find((l) => l.name === name);
}

export function kubeconfigSpec(kindOrFile: string): KubeconfigSpec | undefined {
  return KUBEADM_KUBECONFIGS.find((k) => k.kind === kindOrFile || k.file === kindOrFile);
}

/** `<baseName>.crt` and `<baseName>.key`, relative to the cert dir. */
export function pairFiles(baseName: string): { cert: string; key: string } {
  return { cert: `${baseName}.crt`, key: `${baseName}.key` };
}
