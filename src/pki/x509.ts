// The one module that talks to @peculiar/x509. Everything else in src/pki works with our
// own types (Rdns, SubjectAltNames, KeyUsageName, node KeyObjects) and DER buffers.
import 'reflect-metadata';
import * as px from '@peculiar/x509';
import { createPublicKey, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import { children, decodeOid, readTlv, subjectPublicKeyBits } from './der.ts';
import { encodeName } from './name-der.ts';
import { PkiError } from './errors.ts';
import { EC_CURVES, type EcCurveSize, type PrivateKey } from './keys.ts';
import { attributeForOid, isPrintableString, type Rdns } from './names.ts';
import type { SubjectAltNames } from './sans.ts';
import { extKeyUsageOid, KEY_USAGE_BITS, sortKeyUsage, type KeyUsageName } from './usages.ts';

px.cryptoProvider.set(webcrypto as unknown as Crypto);

export type HashName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

export interface BasicConstraints {
  isCA: boolean;
  pathLen?: number;
}

/** Extensions to write. They are emitted in Go's order whatever the order of the keys. */
export interface ExtensionsInput {
  keyUsage?: readonly KeyUsageName[];
  /** EKU names or dotted OIDs, in the order to write. */
  extKeyUsage?: readonly string[];
  basicConstraints?: BasicConstraints;
  subjectKeyId?: Uint8Array;
  authorityKeyId?: Uint8Array;
  sans?: SubjectAltNames;
  /** RFC 5280: SAN is critical when the subject is empty. */
  sanCritical?: boolean;
}

/** Extensions read back from a certificate or a CSR's extension request. */
export interface ParsedExtensions {
  keyUsage?: KeyUsageName[];
  extKeyUsage?: string[];
  basicConstraints?: BasicConstraints;
  subjectKeyId?: Buffer;
  authorityKeyId?: Buffer;
  sans?: SubjectAltNames;
  /** OIDs of every extension present, in certificate order, with criticality. */
  present: { oid: string; critical: boolean }[];
}

export interface ParsedCertificate {
  der: Buffer;
  serialNumber: bigint;
  subjectDer: Buffer;
  issuerDer: Buffer;
  subject: Rdns;
  issuer: Rdns;
  notBefore: Date;
  notAfter: Date;
  signatureAlgorithmOid: string;
  spki: Buffer;
  extensions: ParsedExtensions;
}

export interface ParsedCsr {
  der: Buffer;
  subjectDer: Buffer;
  subject: Rdns;
  signatureAlgorithmOid: string;
  spki: Buffer;
  extensions: ParsedExtensions;
  signatureValid: boolean;
}

export interface CertificateBuildInput {
  serialNumber: bigint;
  subject: Uint8Array;
  issuer: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  spki: Uint8Array;
  extensions: ExtensionsInput;
  signer: PrivateKey;
  hash: HashName;
}

export interface CsrBuildInput {
  subject: Uint8Array;
  key: PrivateKey;
  hash: HashName;
  extensions: ExtensionsInput;
}

/** Key usage names as @peculiar/x509's flags (the CSR writer and the parser; tests use it too). */
export const KU_FLAGS: Record<KeyUsageName, px.KeyUsageFlags> = {
  digitalSignature: px.KeyUsageFlags.digitalSignature,
  contentCommitment: px.KeyUsageFlags.nonRepudiation,
  keyEncipherment: px.KeyUsageFlags.keyEncipherment,
  dataEncipherment: px.KeyUsageFlags.dataEncipherment,
  keyAgreement: px.KeyUsageFlags.keyAgreement,
  keyCertSign: px.KeyUsageFlags.keyCertSign,
  cRLSign: px.KeyUsageFlags.cRLSign,
  encipherOnly: px.KeyUsageFlags.encipherOnly,
  decipherOnly: px.KeyUsageFlags.decipherOnly,
};

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}

/** DER of a Name with exactly the RDN grouping and string types given (name-der.ts). */
export { encodeName };

const PX_NAME_OIDS: Record<string, string> = { CN: '2.5.4.3', L: '2.5.4.7', ST: '2.5.4.8', O: '2.5.4.10', OU: '2.5.4.11', C: '2.5.4.6' };

/** RDNs of a DER Name. The string type is re-derived from the value (Go does the same). */
export function decodeName(der: Uint8Array): Rdns {
  const json = new px.Name(toArrayBuffer(der)).toJSON();
  return json.map((rdn) =>
    Object.entries(rdn).flatMap(([type, values]) => {
      const oid = PX_NAME_OIDS[type] ?? type;
      const key = attributeForOid(oid);
      return values.map((value) => ({ oid, ...(key ? { key } : {}), value, stringType: isPrintableString(value) ? ('printable' as const) : ('utf8' as const) }));
    }),
  );
}

function buildExtensions(input: ExtensionsInput): px.Extension[] {
  const out: px.Extension[] = [];
  const ku = sortKeyUsage(input.keyUsage ?? []);
  if (ku.length > 0) out.push(new px.KeyUsagesExtension(ku.reduce((acc, name) => acc | KU_FLAGS[name], 0), true));
  if (input.extKeyUsage && input.extKeyUsage.length > 0) out.push(new px.ExtendedKeyUsageExtension(input.extKeyUsage.map(extKeyUsageOid), false));
  if (input.basicConstraints) out.push(new px.BasicConstraintsExtension(input.basicConstraints.isCA, input.basicConstraints.isCA ? input.basicConstraints.pathLen : undefined, true));
  if (input.subjectKeyId) out.push(new px.SubjectKeyIdentifierExtension(Buffer.from(input.subjectKeyId).toString('hex'), false));
  if (input.authorityKeyId) out.push(new px.AuthorityKeyIdentifierExtension(Buffer.from(input.authorityKeyId).toString('hex'), false));
  const sans = input.sans;
  if (sans) {
    const names: px.JsonGeneralName[] = [
      ...(sans.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
      ...(sans.email ?? []).map((value) => ({ type: 'email' as const, value })),
      ...(sans.ip ?? []).map((value) => ({ type: 'ip' as const, value: ipForEncoding(value) })),
      ...(sans.uri ?? []).map((value) => ({ type: 'url' as const, value })),
    ];
    if (names.length > 0) out.push(new px.SubjectAlternativeNameExtension(names, input.sanCritical ?? false));
  }
  return out;
}

function webAlgorithm(key: PrivateKey, hash: HashName): RsaHashedImportParams | EcKeyImportParams {
  if (key.algo === 'rsa') return { name: 'RSASSA-PKCS1-v1_5', hash };
  return { name: 'ECDSA', namedCurve: EC_CURVES[key.size as EcCurveSize].web };
}

async function cryptoKeys(key: PrivateKey, hash: HashName): Promise<CryptoKeyPair> {
  const alg = webAlgorithm(key, hash);
  const subtle = webcrypto.subtle;
  const privateKey = await subtle.importKey('pkcs8', key.privateKey.export({ format: 'der', type: 'pkcs8' }), alg, false, ['sign']);
  const publicKey = await subtle.importKey('spki', key.publicKey.export({ format: 'der', type: 'spki' }), alg, true, ['verify']);
  return { privateKey, publicKey } as CryptoKeyPair;
}

function signingAlgorithm(key: PrivateKey, hash: HashName): Algorithm | EcdsaParams {
  return key.algo === 'rsa' ? { name: 'RSASSA-PKCS1-v1_5' } : { name: 'ECDSA', hash };
}

/** Builds and signs a PKCS#10 request (extensions go into one extensionRequest attribute). */
export async function buildCsr(input: CsrBuildInput): Promise<Buffer> {
  const keys = await cryptoKeys(input.key, input.hash);
  const extensions = buildExtensions(input.extensions);
  const csr = await px.Pkcs10CertificateRequestGenerator.create({
    name: new px.Name(toArrayBuffer(input.subject)),
    keys,
    signingAlgorithm: signingAlgorithm(input.key, input.hash),
    ...(extensions.length > 0 ? { extensions } : {}),
  });
  return Buffer.from(csr.rawData);
}

function parseExtensions(list: readonly px.Extension[]): ParsedExtensions {
  const out: ParsedExtensions = { present: [] };
  for (const raw of list) {
    out.present.push({ oid: raw.type, critical: raw.critical });
    switch (raw.type) {
      case '2.5.29.15': {
        const flags = new px.KeyUsagesExtension(raw.rawData).usages;
        out.keyUsage = (Object.keys(KU_FLAGS) as KeyUsageName[]).filter((n) => (flags & KU_FLAGS[n]) !== 0).sort((a, b) => KEY_USAGE_BITS[a] - KEY_USAGE_BITS[b]);
        break;
      }
      case '2.5.29.37':
        out.extKeyUsage = Array.from(new px.ExtendedKeyUsageExtension(raw.rawData).usages, String);
        break;
      case '2.5.29.19': {
        const bc = new px.BasicConstraintsExtension(raw.rawData);
        out.basicConstraints = { isCA: bc.ca, ...(bc.ca && bc.pathLength !== undefined ? { pathLen: bc.pathLength } : {}) };
        break;
      }
      case '2.5.29.14':
        out.subjectKeyId = Buffer.from(new px.SubjectKeyIdentifierExtension(raw.rawData).keyId, 'hex');
        break;
      case '2.5.29.35': {
        const keyId = new px.AuthorityKeyIdentifierExtension(raw.rawData).keyId;
        if (keyId) out.authorityKeyId = Buffer.from(keyId, 'hex');
        break;
      }
      case '2.5.29.17': {
        const sans: Required<SubjectAltNames> = { dns: [], ip: [], email: [], uri: [] };
        for (const gn of new px.SubjectAlternativeNameExtension(raw.rawData).names.items) {
          if (gn.type === 'dns') sans.dns.push(gn.value);
          else if (gn.type === 'email') sans.email.push(gn.value);
          else if (gn.type === 'ip') sans.ip.push(normalizeIp(gn.value));
          else if (gn.type === 'url') sans.uri.push(gn.value);
        }
        out.sans = sans;
        break;
      }
    }
  }
  return out;
}

// Go writes an IPv4-mapped IPv6 address (::ffff:1.2.3.4) as the 4-byte IPv4 address.
function ipForEncoding(value: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(value);
  return mapped && isIP(mapped[1]) === 4 ? mapped[1] : value;
}

// Go prints IPv6 addresses in their shortest form; normalise whatever the parser gave.
function normalizeIp(value: string): string {
  if (isIP(value) !== 6) return value;
  const url = new URL(`http://[${value}]/`);
  return url.hostname.slice(1, -1);
}

/** Reads a DER certificate. PkiError INVALID_CERTIFICATE when it does not parse. */
export function parseCertificateDer(der: Uint8Array): ParsedCertificate {
  try {
    const cert = new px.X509Certificate(Buffer.from(der));
    const subjectDer = Buffer.from(cert.subjectName.toArrayBuffer());
    const issuerDer = Buffer.from(cert.issuerName.toArrayBuffer());
    return {
      der: Buffer.from(der),
      serialNumber: BigInt(`0x${cert.serialNumber || '0'}`),
      subjectDer,
      issuerDer,
      subject: decodeName(subjectDer),
      issuer: decodeName(issuerDer),
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
      signatureAlgorithmOid: outerSignatureOid(der),
      spki: Buffer.from(cert.publicKey.rawData),
      extensions: parseExtensions(cert.extensions),
    };
  } catch (err) {
    if (err instanceof PkiError) throw err;
    throw new PkiError('INVALID_CERTIFICATE', `the certificate cannot be parsed: ${(err as Error).message}`, { cause: err });
  }
}

/** Reads a DER PKCS#10 request and checks its self-signature. */
export async function parseCsrDer(der: Uint8Array): Promise<ParsedCsr> {
  let csr: px.Pkcs10CertificateRequest;
  try {
    csr = new px.Pkcs10CertificateRequest(Buffer.from(der));
  } catch (err) {
    throw new PkiError('INVALID_CSR', `the certificate request cannot be parsed: ${(err as Error).message}`, { cause: err });
  }
  let signatureValid = false;
  try {
    signatureValid = await csr.verify();
  } catch {
    signatureValid = false;
  }
  try {
    const subjectDer = Buffer.from(csr.subjectName.toArrayBuffer());
    return {
      der: Buffer.from(der),
      subjectDer,
      subject: decodeName(subjectDer),
      signatureAlgorithmOid: outerSignatureOid(der),
      spki: Buffer.from(csr.publicKey.rawData),
      extensions: parseExtensions(csr.extensions),
      signatureValid,
    };
  } catch (err) {
    if (err instanceof PkiError) throw new PkiError('INVALID_CSR', err.message, { cause: err });
    throw new PkiError('INVALID_CSR', `the certificate request cannot be parsed: ${(err as Error).message}`, { cause: err });
  }
}

/** The public key of an SPKI DER as a node KeyObject. */
export function publicKeyFromSpki(spki: Uint8Array) {
  return createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
}

export { subjectPublicKeyBits };

// Certificate and CertificationRequest are both SEQUENCE { body, AlgorithmIdentifier, BIT STRING }.
function outerSignatureOid(der: Uint8Array): string {
  const [, alg] = children(readTlv(Buffer.from(der)).value);
  return decodeOid(children(alg.value)[0].value);
}
