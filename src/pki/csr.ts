// PKCS#10 certificate requests: built from a subject, SANs and a key (as cfssl's
// csr.Generate does), and parsed from whatever tool made them.
import type { KeyObject } from 'node:crypto';
import { cfsslSignatureHash, signatureAlgorithmInfo, type SignatureAlgorithmInfo } from './algorithms.ts';
import { PkiError } from './errors.ts';
import { describeKey, type KeySpec, type PrivateKey } from './keys.ts';
import { rdnsToSubject, subjectToRdns, type Rdns, type Subject } from './names.ts';
import { decodeFirstPem, encodePem } from './pem.ts';
import type { SubjectAltNames } from './sans.ts';
import { buildCsr, encodeName, parseCsrDer, publicKeyFromSpki, type BasicConstraints, type HashName } from './x509.ts';

export interface CertificateRequestInput {
  subject: Subject;
  key: PrivateKey;
  sans?: SubjectAltNames;
  /** Requests BasicConstraints (the Debian cfssl build does this for `-initca`). */
  basicConstraints?: BasicConstraints;
  /** Default: the key's own cfssl hash (RSA-4096 → SHA-512 …). */
  hash?: HashName;
}

export interface CertificateRequestInfo {
  subject: Subject;
  subjectRdns: Rdns;
  sans: SubjectAltNames;
  basicConstraints?: BasicConstraints;
  publicKey: KeyObject;
  publicKeySpec: KeySpec;
  signatureAlgorithm: SignatureAlgorithmInfo;
  der: Buffer;
  pem: string;
}

/** Builds a CSR and returns its PEM (`CERTIFICATE REQUEST`). */
export async function createCertificateRequest(input: CertificateRequestInput): Promise<string> {
  const der = await buildCsr({
    subject: encodeName(subjectToRdns(input.subject)),
    key: input.key,
    hash: input.hash ?? cfsslSignatureHash(input.key),
    extensions: { sans: input.sans, basicConstraints: input.basicConstraints },
  });
  return encodePem('CERTIFICATE REQUEST', der);
}

/** Parses a PEM CSR (also `NEW CERTIFICATE REQUEST`); PkiError when it is not one or its signature fails. */
export async function parseCertificateRequest(pem: string | Buffer): Promise<CertificateRequestInfo> {
  const text = typeof pem === 'string' ? pem : pem.toString('utf8');
  let block;
  try {
    block = decodeFirstPem(text, ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']);
  } catch {
    throw new PkiError('INVALID_CSR', 'no CERTIFICATE REQUEST PEM block found');
  }
  const parsed = await parseCsrDer(block.der);
  if (!parsed.signatureValid) throw new PkiError('BAD_CSR_SIGNATURE');
  let publicKey: KeyObject;
  let publicKeySpec: KeySpec;
  try {
    publicKey = publicKeyFromSpki(parsed.spki);
    publicKeySpec = describeKey(publicKey);
  } catch (err) {
    throw new PkiError('INVALID_CSR', `the certificate request's public key cannot be used: ${(err as Error).message}`, { cause: err });
  }
  return {
    subject: rdnsToSubject(parsed.subject),
    subjectRdns: parsed.subject,
    sans: parsed.extensions.sans ?? {},
    ...(parsed.extensions.basicConstraints ? { basicConstraints: parsed.extensions.basicConstraints } : {}),
    publicKey,
    publicKeySpec,
    signatureAlgorithm: signatureAlgorithmInfo(parsed.signatureAlgorithmOid),
    der: parsed.der,
    pem: encodePem('CERTIFICATE REQUEST', parsed.der),
  };
}
