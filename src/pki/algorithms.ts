// Signature algorithms: which hash a signer uses, and the names tools print for each OID.
import type { KeySpec } from './keys.ts';
import type { HashName } from './x509.ts';

/** Signature algorithm OID → OpenSSL's name and cfssl-certinfo's (Go's) name. */
export const SIGNATURE_ALGORITHMS = {
  '1.2.840.113549.1.1.2': { openssl: 'md2WithRSAEncryption', go: 'MD2WithRSA' },
  '1.2.840.113549.1.1.4': { openssl: 'md5WithRSAEncryption', go: 'MD5WithRSA' },
  '1.2.840.113549.1.1.5': { openssl: 'sha1WithRSAEncryption', go: 'SHA1WithRSA' },
  '1.2.840.113549.1.1.11': { openssl: 'sha256WithRSAEncryption', go: 'SHA256WithRSA' },
  '1.2.840.113549.1.1.12': { openssl: 'sha384WithRSAEncryption', go: 'SHA384WithRSA' },
  '1.2.840.113549.1.1.13': { openssl: 'sha512WithRSAEncryption', go: 'SHA512WithRSA' },
  '1.2.840.10040.4.3': { openssl: 'dsaWithSHA1', go: 'DSAWithSHA1' },
  '2.16.840.1.101.3.4.3.2': { openssl: 'dsa_with_SHA256', go: 'DSAWithSHA256' },
  '1.2.840.10045.4.1': { openssl: 'ecdsa-with-SHA1', go: 'ECDSAWithSHA1' },
  '1.2.840.10045.4.3.2': { openssl: 'ecdsa-with-SHA256', go: 'ECDSAWithSHA256' },
  '1.2.840.10045.4.3.3': { openssl: 'ecdsa-with-SHA384', go: 'ECDSAWithSHA384' },
  '1.2.840.10045.4.3.4': { openssl: 'ecdsa-with-SHA512', go: 'ECDSAWithSHA512' },
} as const;

export interface SignatureAlgorithmInfo {
  oid: string;
  /** OpenSSL's name, e.g. `sha256WithRSAEncryption`; the OID when unknown. */
  name: string;
  /** cfssl-certinfo's name, e.g. `SHA256WithRSA`; `Unknown Signature` when unknown. */
  goName: string;
}

export function signatureAlgorithmInfo(oid: string): SignatureAlgorithmInfo {
  const entry = (SIGNATURE_ALGORITHMS as Record<string, { openssl: string; go: string }>)[oid];
  return { oid, name: entry?.openssl ?? oid, goName: entry?.go ?? 'Unknown Signature' };
}

/** cfssl's choice (signer.DefaultSigAlgo): RSA ≥4096 → SHA-512, ≥3072 → SHA-384, ≥2048 → SHA-256, else SHA-1; ECDSA by curve. */
export function cfsslSignatureHash(signer: KeySpec): HashName {
  if (signer.algo === 'rsa') {
    if (signer.size >= 4096) return 'SHA-512';
    if (signer.size >= 3072) return 'SHA-384';
    if (signer.size >= 2048) return 'SHA-256';
    return 'SHA-1';
  }
  return ecdsaHash(signer.size);
}

/** Go's crypto/x509 default (what kubeadm gets): SHA-256 for every RSA key; ECDSA by curve. */
export function goSignatureHash(signer: KeySpec): HashName {
  return signer.algo === 'rsa' ? 'SHA-256' : ecdsaHash(signer.size);
}

function ecdsaHash(size: number): HashName {
  if (size >= 521) return 'SHA-512';
  if (size >= 384) return 'SHA-384';
  return 'SHA-256';
}
