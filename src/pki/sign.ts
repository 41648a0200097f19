// Issuing certificates: a self-signed CA, or a certificate for a public key (or a CSR's key)
// signed by a CA. Defaults follow cfssl 1.2 (20-byte serials, notBefore rounded to the
// minute minus 5 minutes, SHA-1 key ids, hash by signer size); every choice is an option so
// a kubeadm-style tree can pick Go's defaults instead.
import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { cfsslSignatureHash } from './algorithms.ts';
import { CFSSL_DEFAULT_BACKDATE_MS, CFSSL_DEFAULT_CA_EXPIRY_MS, CFSSL_DEFAULT_EXPIRY_MS, MINUTE_MS, parseGoDuration } from './duration.ts';
import { PkiError } from './errors.ts';
import { privateKeyMatchesCert, publicKeyDer, type PrivateKey } from './keys.ts';
import { isEmptySubject, subjectToRdns, type Subject } from './names.ts';
import { decodeFirstPem, encodePem } from './pem.ts';
import { isEmptySans, type SubjectAltNames } from './sans.ts';
import type { ExtKeyUsageName, KeyUsageName } from './usages.ts';
import { buildCertificate } from './cert-build.ts';
import { subjectPublicKeyBits } from './der.ts';
import { readIssuerFields, type IssuerFields } from './issuer-fields.ts';
import { encodeName } from './name-der.ts';
import type { HashName } from './x509.ts';

/** What goes into a certificate besides the keys. */
export interface CertificateProfile {
  subject: Subject;
  sans?: SubjectAltNames;
  keyUsage?: readonly KeyUsageName[];
  /** EKU names (`serverAuth`) or dotted OIDs, written in this order. */
  extKeyUsage?: readonly (ExtKeyUsageName | string)[];
  isCA?: boolean;
  /** Path length constraint of a CA; omitted when undefined. */
  pathLen?: number;
  /** Explicit validity window; each bound overrides the computed one. */
  notBefore?: Date;
  notAfter?: Date;
  /** Lifetime in ms or Go duration syntax (`8760h`). Default 8760h, or 43800h for a self-signed CA. */
  expiry?: number | string;
  /** How far notBefore goes back from the minute-rounded clock. Default 5m. */
  backdate?: number | string;
  /** The clock. Default: now. */
  now?: Date;
  /** Default: 20 random bytes with the top bit cleared (cfssl). */
  serialNumber?: bigint;
  /** Default: cfssl's choice from the signer key (cfsslSignatureHash); goSignatureHash for kubeadm. */
  hash?: HashName;
  /** Write a SubjectKeyIdentifier (SHA-1 of the public key). Default true. */
  subjectKeyIdentifier?: boolean;
  /** Write an AuthorityKeyIdentifier. Default true when signed by a CA, false when self-signed. */
  authorityKeyIdentifier?: boolean;
}

export interface SelfSignedCAInput extends CertificateProfile {
  key: PrivateKey;
}

export interface CertificateAuthority {
  /** PEM of the CA certificate. */
  cert: string | Buffer;
  key: PrivateKey;
}

export interface SignCertificateInput extends Omit<CertificateProfile, 'subject'> {
  ca: CertificateAuthority;
  /** The key being certified: a public KeyObject, or a PrivateKey whose public half is used. */
  publicKey?: KeyObject | PrivateKey;
  /** Or a PEM CSR (its signature is checked): its key is certified, and its subject and SANs are the defaults. */
  csr?: string | Buffer;
  /** Required with `publicKey`; defaults to the CSR's subject with `csr`. */
  subject?: Subject;
  /** Sign even with a certificate that is not a CA (CA:FALSE, no Certificate Sign): only for test fixtures of broken chains. */
  skipIssuerChecks?: boolean;
}

export interface IssuedCertificate {
  pem: string;
  der: Buffer;
  serialNumber: bigint;
  notBefore: Date;
  notAfter: Date;
}

export const CFSSL_SERIAL_BYTES = 20;

/** A positive serial of `bytes` random bytes with the top bit cleared (cfssl: 20 bytes). */
export function randomSerial(bytes = CFSSL_SERIAL_BYTES): bigint {
  for (let attempt = 0; attempt < 8; attempt++) {
    const buf = randomBytes(bytes);
    buf[0] &= 0x7f;
    const serial = BigInt(`0x${buf.toString('hex')}`);
    if (serial > 0n) return serial;
  }
  throw new Error('random serial: the random source returned only zeros');
}

/** RFC 5280 method 1 key identifier: SHA-1 of the subjectPublicKey bits (cfssl, Go < 1.25). */
export function keyIdentifier(key: PrivateKey | KeyObject): Buffer {
  return createHash('sha1').update(subjectPublicKeyBits(publicKeyDer(key))).digest();
}

function toMs(value: number | string): number {
  return typeof value === 'number' ? value : parseGoDuration(value);
}

/** cfssl's window: notBefore = now rounded to the nearest minute − backdate; notAfter = notBefore + expiry. */
export function cfsslValidity(options: { now?: Date; expiry: number | string; backdate?: number | string }): { notBefore: Date; notAfter: Date } {
  const now = (options.now ?? new Date()).getTime();
  const rounded = Math.floor((now + MINUTE_MS / 2) / MINUTE_MS) * MINUTE_MS;
  const notBefore = new Date(rounded - toMs(options.backdate ?? CFSSL_DEFAULT_BACKDATE_MS));
  return { notBefore, notAfter: new Date(notBefore.getTime() + toMs(options.expiry)) };
}

function validity(profile: CertificateProfile, defaultExpiry: number): { notBefore: Date; notAfter: Date } {
  const computed = cfsslValidity({ now: profile.now, expiry: profile.expiry ?? defaultExpiry, backdate: profile.backdate });
  const notBefore = profile.notBefore ?? computed.notBefore;
  const notAfter = profile.notAfter ?? (profile.notBefore ? new Date(notBefore.getTime() + toMs(profile.expiry ?? defaultExpiry)) : computed.notAfter);
  return { notBefore, notAfter };
}

async function issue(profile: CertificateProfile, args: { publicKey: KeyObject | PrivateKey; signer: PrivateKey; issuerDer: Buffer | undefined; authorityKeyId: Buffer | undefined; defaultExpiry: number }): Promise<IssuedCertificate> {
  if (isEmptySubject(profile.subject) && isEmptySans(profile.sans)) throw new PkiError('MISSING_SUBJECT');
  const subjectDer = encodeName(subjectToRdns(profile.subject));
  const { notBefore, notAfter } = validity(profile, args.defaultExpiry);
  const serialNumber = profile.serialNumber ?? randomSerial();
  const isCA = profile.isCA ?? false;
  const der = await buildCertificate({
    serialNumber,
    subject: subjectDer,
    issuer: args.issuerDer ?? subjectDer,
    notBefore,
    notAfter,
    spki: publicKeyDer(args.publicKey),
    signer: args.signer,
    hash: profile.hash ?? cfsslSignatureHash(args.signer),
    extensions: {
      keyUsage: profile.keyUsage,
      extKeyUsage: profile.extKeyUsage,
      basicConstraints: { isCA, ...(isCA && profile.pathLen !== undefined ? { pathLen: profile.pathLen } : {}) },
      subjectKeyId: profile.subjectKeyIdentifier === false ? undefined : keyIdentifier(args.publicKey),
      authorityKeyId: args.authorityKeyId,
      sans: profile.sans,
      sanCritical: isEmptySubject(profile.subject),
    },
  });
  return { pem: encodePem('CERTIFICATE', der), der, serialNumber, notBefore, notAfter };
}

/** A self-signed CA (cfssl `gencert -initca`). Defaults: KU certSign+cRLSign, CA:TRUE, 43800h, no AKI. */
export async function createSelfSignedCA(input: SelfSignedCAInput): Promise<IssuedCertificate> {
  const profile: CertificateProfile = { keyUsage: ['keyCertSign', 'cRLSign'], isCA: true, ...input };
  return issue(profile, {
    publicKey: input.key,
    signer: input.key,
    issuerDer: undefined,
    authorityKeyId: input.authorityKeyIdentifier ? keyIdentifier(input.key) : undefined,
    defaultExpiry: CFSSL_DEFAULT_CA_EXPIRY_MS,
  });
}

/**
 * A certificate signed by `ca`. The issuer is the CA certificate's subject, byte for byte;
 * the AKI is the CA's SKI (or the SHA-1 id of its key) and is always written unless
 * `authorityKeyIdentifier: false` — even when subject and issuer are equal, where Go omits it.
 */
export async function signCertificate(input: SignCertificateInput): Promise<IssuedCertificate> {
  const caPem = typeof input.ca.cert === 'string' ? input.ca.cert : input.ca.cert.toString('utf8');
  let block;
  try {
    block = decodeFirstPem(caPem, ['CERTIFICATE']);
  } catch {
    throw new PkiError('INVALID_CERTIFICATE', 'no CERTIFICATE PEM block found in the CA certificate');
  }
  const caCert = readIssuerFields(block.der) ?? (await parsedIssuerFields(block.der));
  if (!privateKeyMatchesCert(input.ca.key, encodePem('CERTIFICATE', block.der))) {
    throw new PkiError('KEY_MISMATCH', 'the CA private key does not match the CA certificate');
  }
  const bc = caCert.basicConstraints;
  if (input.skipIssuerChecks) {
    // fixtures that need a deliberately broken chain (doctor and verify tests)
  } else if (bc && !bc.isCA) throw new PkiError('INVALID_CERTIFICATE', 'the CA certificate is not a CA (BasicConstraints CA:FALSE)');
  const ku = caCert.keyUsage;
  if (!input.skipIssuerChecks && ku && !ku.includes('keyCertSign')) throw new PkiError('INVALID_CERTIFICATE', 'the CA certificate may not sign certificates (its KeyUsage lacks Certificate Sign)');
  const authorityKeyId = input.authorityKeyIdentifier === false ? undefined : (caCert.subjectKeyId ?? keyIdentifier(input.ca.key));
  if ((input.publicKey === undefined) === (input.csr === undefined)) throw new PkiError('INVALID_REQUEST', 'signCertificate needs exactly one of publicKey and csr');
  let publicKey = input.publicKey;
  let subject = input.subject;
  let sans = input.sans;
  if (input.csr !== undefined) {
    const { parseCertificateRequest } = await import('./csr.ts');
    const request = await parseCertificateRequest(input.csr);
    publicKey = request.publicKey;
    subject ??= request.subject;
    sans ??= request.sans;
  }
  return issue({ ...input, subject: subject ?? {}, sans }, {
    publicKey: publicKey!,
    signer: input.ca.key,
    issuerDer: caCert.subjectDer,
    authorityKeyId,
    defaultExpiry: CFSSL_DEFAULT_EXPIRY_MS,
  });
}

// The full X.509 parse, for what readIssuerFields does not take: its errors are the caller's.
async function parsedIssuerFields(der: Buffer): Promise<IssuerFields> {
  const { parseCertificateDer } = await import('./x509.ts');
  const cert = parseCertificateDer(der);
  const { basicConstraints, keyUsage, subjectKeyId } = cert.extensions;
  return { subjectDer: cert.subjectDer, ...(basicConstraints ? { basicConstraints } : {}), ...(keyUsage ? { keyUsage } : {}), ...(subjectKeyId ? { subjectKeyId } : {}) };
}
