// Reading certificates back: everything certinfo, expiry checks and doctor need, plus
// chain verification.
import { X509Certificate, type KeyObject } from 'node:crypto';
import { signatureAlgorithmInfo, type SignatureAlgorithmInfo } from './algorithms.ts';
import { PkiError } from './errors.ts';
import { describeKey, type KeySpec } from './keys.ts';
import { formatDn, rdnsToSubject, type Rdns, type Subject } from './names.ts';
import { decodePem, encodePem } from './pem.ts';
import type { SubjectAltNames } from './sans.ts';
import { extKeyUsageName, type ExtKeyUsageName, type KeyUsageName } from './usages.ts';
import { parseCertificateDer, publicKeyFromSpki, type BasicConstraints } from './x509.ts';

export interface CertificateInfo {
  subject: Subject;
  subjectRdns: Rdns;
  /** OpenSSL one-line form: `C = CN, ST = BeiJing, …, CN = aggregator`. */
  subjectDn: string;
  issuer: Subject;
  issuerRdns: Rdns;
  issuerDn: string;
  /** Subject and issuer DNs are byte-identical (a root, or a leaf named like its CA). */
  subjectEqualsIssuer: boolean;
  serialNumber: bigint;
  notBefore: Date;
  notAfter: Date;
  signatureAlgorithm: SignatureAlgorithmInfo;
  publicKey: KeyObject;
  publicKeySpec: KeySpec;
  sans: SubjectAltNames;
  keyUsage: KeyUsageName[];
  /** EKU names, or the dotted OID for unnamed ones, in certificate order. */
  extKeyUsage: (ExtKeyUsageName | string)[];
  basicConstraints?: BasicConstraints;
  isCA: boolean;
  pathLen?: number;
  subjectKeyId?: Buffer;
  authorityKeyId?: Buffer;
  /** Extension OIDs in certificate order, with criticality. */
  extensions: { oid: string; critical: boolean }[];
  der: Buffer;
  pem: string;
}

/** Every certificate in a PEM text (a bundle gives several). */
export function splitCertificates(pem: string | Buffer): Buffer[] {
  const text = typeof pem === 'string' ? pem : pem.toString('utf8');
  return decodePem(text).filter((b) => b.type === 'CERTIFICATE').map((b) => b.der);
}

/** Reads the first certificate of a PEM text (or a DER buffer). */
export function inspectCertificate(input: string | Buffer): CertificateInfo {
  let der: Buffer;
  if (Buffer.isBuffer(input) && input[0] === 0x30) der = input;
  else {
    const first = splitCertificates(input)[0];
    if (!first) throw new PkiError('INVALID_CERTIFICATE', 'no CERTIFICATE PEM block found');
    der = first;
  }
  try {
    return describe(der);
  } catch (err) {
    if (err instanceof PkiError) throw err;
    throw new PkiError('INVALID_CERTIFICATE', `the certificate cannot be parsed: ${(err as Error).message}`, { cause: err });
  }
}

function describe(der: Buffer): CertificateInfo {
  const parsed = parseCertificateDer(der);
  const publicKey = publicKeyFromSpki(parsed.spki);
  const ext = parsed.extensions;
  return {
    subject: rdnsToSubject(parsed.subject),
    subjectRdns: parsed.subject,
    subjectDn: formatDn(parsed.subject),
    issuer: rdnsToSubject(parsed.issuer),
    issuerRdns: parsed.issuer,
    issuerDn: formatDn(parsed.issuer),
    subjectEqualsIssuer: parsed.subjectDer.equals(parsed.issuerDer),
    serialNumber: parsed.serialNumber,
    notBefore: parsed.notBefore,
    notAfter: parsed.notAfter,
    signatureAlgorithm: signatureAlgorithmInfo(parsed.signatureAlgorithmOid),
    publicKey,
    publicKeySpec: describeKey(publicKey),
    sans: ext.sans ?? {},
    keyUsage: ext.keyUsage ?? [],
    extKeyUsage: (ext.extKeyUsage ?? []).map(extKeyUsageName),
    ...(ext.basicConstraints ? { basicConstraints: ext.basicConstraints } : {}),
    isCA: ext.basicConstraints?.isCA ?? false,
    ...(ext.basicConstraints?.pathLen !== undefined ? { pathLen: ext.basicConstraints.pathLen } : {}),
    ...(ext.subjectKeyId ? { subjectKeyId: ext.subjectKeyId } : {}),
    ...(ext.authorityKeyId ? { authorityKeyId: ext.authorityKeyId } : {}),
    extensions: ext.present,
    der: parsed.der,
    pem: encodePem('CERTIFICATE', parsed.der),
  };
}

export type ChainVerification = { valid: true; chain: string[] } | { valid: false; reason: string };

const MAX_CHAIN = 8;

/**
 * Verifies `leafPem` up to a self-signed certificate in `caPem` (one CA or a bundle):
 * issuer name match, signature, validity at `now`, and the CA flag of every issuer.
 * `chain` lists the subjects from the leaf up.
 */
export function verifyChain(leafPem: string | Buffer, caPem: string | Buffer, options: { now?: Date } = {}): ChainVerification {
  const now = options.now ?? new Date();
  const leafDer = splitCertificates(leafPem)[0];
  if (!leafDer) return { valid: false, reason: 'no certificate in the leaf PEM' };
  const pool = splitCertificates(caPem).map((der) => new X509Certificate(der));
  if (pool.length === 0) return { valid: false, reason: 'no certificate in the CA PEM' };
  let current = new X509Certificate(leafDer);
  const chain = [current.subject];
  for (let depth = 0; depth < MAX_CHAIN; depth++) {
    const when = `${current.subject.replace(/\n/g, ', ')}`;
    if (now < new Date(current.validFrom) || now > new Date(current.validTo)) return { valid: false, reason: `certificate ${when} is not valid at ${now.toISOString()}` };
    const issuer = pool.find((ca) => current.checkIssued(ca) && current.verify(ca.publicKey));
    if (!issuer) return { valid: false, reason: `no issuer of ${when} among the CA certificates (or its signature does not verify)` };
    if (!issuer.ca) return { valid: false, reason: `issuer ${issuer.subject.replace(/\n/g, ', ')} is not a CA` };
    if (issuer.raw.equals(current.raw)) return { valid: true, chain };
    chain.push(issuer.subject);
    if (issuer.checkIssued(issuer) && issuer.verify(issuer.publicKey)) {
      if (now < new Date(issuer.validFrom) || now > new Date(issuer.validTo)) return { valid: false, reason: `CA certificate ${issuer.subject.replace(/\n/g, ', ')} is not valid at ${now.toISOString()}` };
      return { valid: true, chain };
    }
    current = issuer;
  }
  return { valid: false, reason: `chain longer than ${MAX_CHAIN}` };
}
