// Building and signing a certificate: the TBSCertificate in DER (der-write.ts), signed with
// node:crypto. Extensions come in Go's order (KU, EKU, BC, SKI, AKI, SAN), each encoded as
// Go's crypto/x509 does. Needs no X.509 library and no WebCrypto key import per certificate.
import { sign } from 'node:crypto';
import { ipFamily } from './ip.ts';
import { PkiError } from './errors.ts';
import { bitString, boolean, explicit, integer, ipBytes, NULL, octetString, oid, sequence, tlv, time } from './der-write.ts';
import type { PrivateKey } from './keys.ts';
import { extKeyUsageOid, KEY_USAGE_BITS, sortKeyUsage, type KeyUsageName } from './usages.ts';
import type { CertificateBuildInput, ExtensionsInput, HashName } from './x509.ts';

const RSA_SIGNATURE_OIDS: Record<HashName, string> = {
  'SHA-1': '1.2.840.113549.1.1.5',
  'SHA-256': '1.2.840.113549.1.1.11',
  'SHA-384': '1.2.840.113549.1.1.12',
  'SHA-512': '1.2.840.113549.1.1.13',
};
const ECDSA_SIGNATURE_OIDS: Record<HashName, string> = {
  'SHA-1': '1.2.840.10045.4.1',
  'SHA-256': '1.2.840.10045.4.3.2',
  'SHA-384': '1.2.840.10045.4.3.3',
  'SHA-512': '1.2.840.10045.4.3.4',
};
const NODE_HASH: Record<HashName, string> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

const EXTENSION_OIDS = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
} as const;

/** AlgorithmIdentifier of the signature: RSA PKCS#1 v1.5 with NULL parameters, ECDSA without. */
function signatureAlgorithm(signer: PrivateKey, hash: HashName): Buffer {
  return signer.algo === 'rsa' ? sequence([oid(RSA_SIGNATURE_OIDS[hash]), NULL]) : sequence([oid(ECDSA_SIGNATURE_OIDS[hash])]);
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence([oid(id), ...(critical ? [boolean(true)] : []), octetString(value)]);
}

/** KeyUsage BIT STRING with trailing zero bits dropped, as Go writes it. */
function keyUsageBits(names: readonly KeyUsageName[]): Buffer {
  const bits = names.map((n) => KEY_USAGE_BITS[n]);
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const b of bits) bytes[b >> 3] |= 0x80 >> (b & 7);
  return bitString(bytes, bytes.length * 8 - (highest + 1));
}

// Go writes an IPv4-mapped IPv6 address (::ffff:1.2.3.4) as the 4-byte IPv4 address.
function sanIpBytes(value: string): Buffer {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(value);
  return ipBytes(mapped && ipFamily(mapped[1]) === 4 ? mapped[1] : value);
}

function encodeExtensions(input: ExtensionsInput): Buffer[] {
  const out: Buffer[] = [];
  const ku = sortKeyUsage(input.keyUsage ?? []);
  if (ku.length > 0) out.push(extension(EXTENSION_OIDS.keyUsage, true, keyUsageBits(ku)));
  if (input.extKeyUsage && input.extKeyUsage.length > 0) out.push(extension(EXTENSION_OIDS.extKeyUsage, false, sequence(input.extKeyUsage.map((u) => oid(extKeyUsageOid(u))))));
  const bc = input.basicConstraints;
  if (bc) {
    const fields = bc.isCA ? [boolean(true), ...(bc.pathLen !== undefined ? [integer(bc.pathLen)] : [])] : [];
    out.push(extension(EXTENSION_OIDS.basicConstraints, true, sequence(fields)));
  }
  if (input.subjectKeyId) out.push(extension(EXTENSION_OIDS.subjectKeyIdentifier, false, octetString(input.subjectKeyId)));
  if (input.authorityKeyId) out.push(extension(EXTENSION_OIDS.authorityKeyIdentifier, false, sequence([tlv(0x80, input.authorityKeyId)])));
  const sans = input.sans;
  if (sans) {
    const names = [
      ...(sans.dns ?? []).map((v) => tlv(0x82, Buffer.from(v, 'latin1'))),
      ...(sans.email ?? []).map((v) => tlv(0x81, Buffer.from(v, 'latin1'))),
      ...(sans.ip ?? []).map((v) => tlv(0x87, sanIpBytes(v))),
      ...(sans.uri ?? []).map((v) => tlv(0x86, Buffer.from(v, 'latin1'))),
    ];
    if (names.length > 0) out.push(extension(EXTENSION_OIDS.subjectAltName, input.sanCritical ?? false, sequence(names)));
  }
  return out;
}

/** The TBSCertificate DER of a v3 certificate. */
export function encodeTbsCertificate(input: CertificateBuildInput): Buffer {
  if (input.serialNumber <= 0n) throw new PkiError('INVALID_REQUEST', 'serial number must be positive');
  const extensions = encodeExtensions(input.extensions);
  return sequence([
    explicit(0, integer(2)),
    integer(input.serialNumber),
    signatureAlgorithm(input.signer, input.hash),
    Buffer.from(input.issuer),
    sequence([time(input.notBefore), time(input.notAfter)]),
    Buffer.from(input.subject),
    Buffer.from(input.spki),
    ...(extensions.length > 0 ? [explicit(3, sequence(extensions))] : []),
  ]);
}

/** Builds and signs a certificate. Returns its DER. */
export async function buildCertificate(input: CertificateBuildInput): Promise<Buffer> {
  const tbs = encodeTbsCertificate(input);
  const signature = sign(NODE_HASH[input.hash], tbs, input.signer.privateKey);
  return sequence([tbs, signatureAlgorithm(input.signer, input.hash), bitString(signature)]);
}
