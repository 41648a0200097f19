// Issuing kubeadm-style certificates through the PKI engine with Go's defaults as kubeadm
// gets them (spec pki.md A.5): random 63-bit serials, SHA-256 for every RSA signer, SKI on
// CAs only, AKI on leaves, CA CN repeated as a DNS SAN, validity from one start time T.
import { goSignatureHash } from '../algorithms.ts';
import { HOUR_MS, MINUTE_MS } from '../duration.ts';
import { generateKey, type KeySpec, type PrivateKey } from '../keys.ts';
import { createSelfSignedCA, randomSerial, signCertificate, type IssuedCertificate } from '../sign.ts';
import { CA_KEY_USAGES, KEY_ALGORITHMS, LEAF_KEY_USAGES, VALIDITY, type KeyAlgorithmName, type KubeadmExtKeyUsage } from './cert-list.ts';

export interface Validity {
  notBefore: Date;
  notAfter: Date;
}

/** kubeadm v1.31+: notBefore = T − 5 min, notAfter = T + period. */
export function kubeadmValidity(now: Date, hours: number): Validity {
  return { notBefore: new Date(now.getTime() - VALIDITY.backdateMinutes * MINUTE_MS), notAfter: new Date(now.getTime() + hours * HOUR_MS) };
}

/** Uniform random serial in [1, 2^63 − 1), as kubeadm's pkiutil. */
export function kubeadmSerial(): bigint {
  const max = (1n << 63n) - 1n;
  for (let i = 0; i < 16; i++) {
    const serial = randomSerial(8);
    if (serial >= 1n && serial < max) return serial;
  }
  throw new Error('random serial: no value in range after 16 draws');
}

export function keySpecOf(name: KeyAlgorithmName): KeySpec {
  const { algo, size } = KEY_ALGORITHMS[name];
  return { algo, size };
}

export function generateKeyFor(name: KeyAlgorithmName): Promise<PrivateKey> {
  return generateKey(keySpecOf(name));
}

/** A kubeadm root: CN only, DNS SAN = CN, KU digitalSignature|keyEncipherment|keyCertSign, CA:TRUE, SKI, no AKI. */
export function issueKubeadmCa(key: PrivateKey, cn: string, validity: Validity): Promise<IssuedCertificate> {
  return createSelfSignedCA({
    key,
    subject: { CN: cn },
    sans: { dns: [cn] },
    keyUsage: CA_KEY_USAGES,
    isCA: true,
    ...validity,
    serialNumber: kubeadmSerial(),
    hash: goSignatureHash(key),
    subjectKeyIdentifier: true,
    authorityKeyIdentifier: false,
  });
}

export interface LeafInput {
  ca: { cert: string; key: PrivateKey };
  key: PrivateKey;
  cn: string;
  organizations: readonly string[];
  dns: readonly string[];
  ips: readonly string[];
  extKeyUsages: readonly KubeadmExtKeyUsage[] | readonly string[];
  validity: Validity;
}

/** A kubeadm leaf: O then CN, KU digitalSignature|keyEncipherment, the given EKUs, CA:FALSE, AKI, no SKI. */
export function issueKubeadmLeaf(input: LeafInput): Promise<IssuedCertificate> {
  return signCertificate({
    ca: input.ca,
    publicKey: input.key,
    subject: { ...(input.organizations.length > 0 ? { O: [...input.organizations] } : {}), CN: input.cn },
    sans: { dns: [...input.dns], ip: [...input.ips] },
    keyUsage: LEAF_KEY_USAGES,
    extKeyUsage: [...input.extKeyUsages],
    isCA: false,
    ...input.validity,
    serialNumber: kubeadmSerial(),
    hash: goSignatureHash(input.ca.key),
    subjectKeyIdentifier: false,
    authorityKeyIdentifier: true,
  });
}
