// The public API of kagg's PKI library. Only re-exports.
export { PKI_ERROR_CODES, PkiError, type PkiErrorCode } from './errors.ts';
export { decodeFirstPem, decodePem, encodePem, type PemBlock } from './pem.ts';
export {
  EC_CURVES,
  RSA_MAX_BITS,
  RSA_MIN_BITS,
  describeKey,
  encodePrivateKeyPem,
  encodePublicKeyPem,
  generateKey,
  isPrivateKey,
  parsePrivateKeyPem,
  privateKeyFromObject,
  privateKeyMatchesCert,
  publicKeyDer,
  validateKeySpec,
  type EcCurveSize,
  type KeyAlgorithm,
  type KeySpec,
  type PrivateKey,
  type PrivateKeyFormat,
} from './keys.ts';
export { NAME_ATTRIBUTES, formatDn, isEmptySubject, isPrintableString, rdnsToSubject, subjectToRdns, type NameAttribute, type NameAttributeValue, type NameValue, type Rdns, type StringType, type Subject } from './names.ts';
export { cfsslHostList, classifyHosts, isDnsName, isEmptySans, type SubjectAltNames } from './sans.ts';
export {
  CFSSL_EXT_KEY_USAGE_WORDS,
  CFSSL_KEY_USAGE_WORDS,
  EXT_KEY_USAGE_OIDS,
  KEY_USAGE_BITS,
  extKeyUsageName,
  extKeyUsageOid,
  resolveCfsslUsages,
  sortKeyUsage,
  type ExtKeyUsageName,
  type KeyUsageName,
  type ResolvedUsages,
} from './usages.ts';
export { CFSSL_DEFAULT_BACKDATE_MS, CFSSL_DEFAULT_CA_EXPIRY_MS, CFSSL_DEFAULT_EXPIRY_MS, HOUR_MS, MINUTE_MS, formatGoDuration, parseGoDuration } from './duration.ts';
export { SIGNATURE_ALGORITHMS, cfsslSignatureHash, goSignatureHash, signatureAlgorithmInfo, type SignatureAlgorithmInfo } from './algorithms.ts';
export type { BasicConstraints, HashName } from './x509.ts';
export { createCertificateRequest, parseCertificateRequest, type CertificateRequestInfo, type CertificateRequestInput } from './csr.ts';
export {
  CFSSL_SERIAL_BYTES,
  cfsslValidity,
  createSelfSignedCA,
  keyIdentifier,
  randomSerial,
  signCertificate,
  type CertificateAuthority,
  type CertificateProfile,
  type IssuedCertificate,
  type SelfSignedCAInput,
  type SignCertificateInput,
} from './sign.ts';
export { inspectCertificate, splitCertificates, verifyChain, type CertificateInfo, type ChainVerification } from './inspect.ts';
