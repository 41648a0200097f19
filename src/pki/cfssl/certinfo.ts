// `cfssl certinfo` output: the certinfo.Certificate JSON for a certificate, and Go's raw
// x509.CertificateRequest struct for a CSR — same keys, order and formatting as cfssl.
import { X509Certificate } from 'node:crypto';
import { signatureAlgorithmInfo } from '../algorithms.ts';
import { children, decodeOid, oidArcs, readTlv, type Tlv } from '../der.ts';
import { PkiError } from '../errors.ts';
import { inspectCertificate, type CertificateInfo } from '../inspect.ts';
import { describeKey } from '../keys.ts';
import type { Rdns } from '../names.ts';
import { decodeFirstPem, encodePem } from '../pem.ts';
import { cfsslHostList } from '../sans.ts';
import { parseCertificateRequest } from '../csr.ts';
import { marshalGoJson, type GoJsonValue } from './go-json.ts';

const NAME_FIELDS = [
  ['common_name', 'CN'],
  ['serial_number', 'serialNumber'],
  ['country', 'C'],
  ['organization', 'O'],
  ['organizational_unit', 'OU'],
  ['locality', 'L'],
  ['province', 'ST'],
  ['street_address', 'street'],
  ['postal_code', 'postalCode'],
] as const;

function certinfoName(rdns: Rdns): { [key: string]: GoJsonValue } {
  const out: { [key: string]: GoJsonValue } = {};
  const atvs = rdns.flat();
  for (const [jsonKey, attr] of NAME_FIELDS) {
    const values = atvs.filter((a) => a.key === attr).map((a) => a.value);
    // pkix.Name keeps the last CN / serialNumber, and every value of the list attributes.
    const text = attr === 'CN' || attr === 'serialNumber' ? (values.at(-1) ?? '') : values.join(',');
    if (text !== '') out[jsonKey] = text;
  }
  if (atvs.length > 0) out.names = atvs.map((a) => a.value);
  return out;
}

/** Key ids as cfssl prints them: upper-case hex bytes without zero padding, joined by `:`. */
export function formatKeyId(id: Buffer | undefined): string {
  if (!id) return '';
  return [...id].map((b) => b.toString(16).toUpperCase()).join(':');
}

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.000Z$/, 'Z');
}

/** The certinfo.Certificate object for an inspected certificate (key order as cfssl). */
export function cfsslCertInfo(info: CertificateInfo): { [key: string]: GoJsonValue } {
  const sans = cfsslHostList(info.sans);
  return {
    subject: certinfoName(info.subjectRdns),
    issuer: certinfoName(info.issuerRdns),
    serial_number: info.serialNumber.toString(),
    ...(sans.length > 0 ? { sans } : {}),
    not_before: rfc3339(info.notBefore),
    not_after: rfc3339(info.notAfter),
    sigalg: info.signatureAlgorithm.goName,
    authority_key_id: formatKeyId(info.authorityKeyId),
    subject_key_id: formatKeyId(info.subjectKeyId),
    pem: info.pem,
  };
}

/** `cfssl certinfo -cert` stdout for a PEM certificate text. */
export function cfsslCertInfoJson(pem: string | Buffer): string {
  return `${marshalGoJson(cfsslCertInfo(inspectCertificate(pem)), '  ')}\n`;
}

/**
 * True when the subject equals the issuer but the certificate is not self-signed: a leaf
 * named exactly like its CA. Go ≥ 1.7 then omits the AKI and OpenSSL rejects the chain.
 */
export function leafNamedLikeIssuer(info: CertificateInfo): boolean {
  if (!info.subjectEqualsIssuer) return false;
  try {
    return !new X509Certificate(info.der).verify(info.publicKey);
  } catch {
    return true;
  }
}

// Go's x509.SignatureAlgorithm and PublicKeyAlgorithm enum values.
const GO_SIGNATURE_ALGORITHMS: Record<string, number> = {
  MD2WithRSA: 1, MD5WithRSA: 2, SHA1WithRSA: 3, SHA256WithRSA: 4, SHA384WithRSA: 5, SHA512WithRSA: 6,
  DSAWithSHA1: 7, DSAWithSHA256: 8, ECDSAWithSHA1: 9, ECDSAWithSHA256: 10, ECDSAWithSHA384: 11, ECDSAWithSHA512: 12,
};
const GO_PUBLIC_KEY_ALGORITHMS = { rsa: 1, ecdsa: 3 } as const;

function goNameStruct(rawSubject: Tlv): { [key: string]: GoJsonValue } {
  const atvs = children(rawSubject.value).flatMap((set) => children(set.value)).map((seq) => {
    const [type, value] = children(seq.value);
    return { oid: decodeOid(type.value), arcs: oidArcs(type.value), value: value.value.toString(value.tag === 0x1e ? 'utf16le' : 'utf8') };
  });
  const list = (oid: string): GoJsonValue => {
    const v = atvs.filter((a) => a.oid === oid).map((a) => a.value);
    return v.length ? v : null;
  };
  const last = (oid: string) => atvs.filter((a) => a.oid === oid).at(-1)?.value ?? '';
  return {
    Country: list('2.5.4.6'),
    Organization: list('2.5.4.10'),
    OrganizationalUnit: list('2.5.4.11'),
    Locality: list('2.5.4.7'),
    Province: list('2.5.4.8'),
    StreetAddress: list('2.5.4.9'),
    PostalCode: list('2.5.4.17'),
    SerialNumber: last('2.5.4.5'),
    CommonName: last('2.5.4.3'),
    Names: atvs.map((a) => ({ Type: a.arcs, Value: a.value })),
    ExtraNames: null,
  };
}

/** `cfssl certinfo -csr` stdout: Go's x509.CertificateRequest marshalled as JSON. */
export async function cfsslCsrInfoJson(pem: string | Buffer): Promise<string> {
  const info = await parseCertificateRequest(pem);
  const text = typeof pem === 'string' ? pem : pem.toString('utf8');
  const der = decodeFirstPem(text, ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']).der;
  const [tbs, , sig] = children(readTlv(der).value);
  const [, subject, spki, attrs] = children(tbs.value);
  const spec = describeKey(info.publicKey);
  const jwk = info.publicKey.export({ format: 'jwk' });
  const big = (b64: string | undefined) => BigInt(`0x${Buffer.from(b64 ?? '', 'base64url').toString('hex') || '0'}`);
  const publicKey: GoJsonValue = spec.algo === 'rsa' ? { N: big(jwk.n), E: Number(big(jwk.e)) } : { Curve: {}, X: big(jwk.x), Y: big(jwk.y) };
  const attributes: GoJsonValue[] = [];
  const extensions: GoJsonValue[] = [];
  for (const attr of attrs && attrs.tag === 0xa0 ? children(attrs.value) : []) {
    const [type, values] = children(attr.value);
    const sets = children(values.value).map((v) =>
      children(v.value).map((ext) => {
        const parts = children(ext.value);
        const second = parts[1];
        // Go leaves a BOOLEAN (the critical flag) out of interface{} as null.
        const value: GoJsonValue = second === undefined || second.tag !== 0x04 ? null : second.value.toString('base64');
        return { Type: oidArcs(parts[0].value), Value: value };
      }),
    );
    attributes.push({ Type: oidArcs(type.value), Value: sets });
    if (decodeOid(type.value) === '1.2.840.113549.1.9.14') {
      for (const ext of children(children(values.value)[0]?.value ?? Buffer.alloc(0))) {
        const parts = children(ext.value);
        const critical = parts.length === 3 && parts[1].tag === 0x01 && parts[1].value[0] !== 0;
        extensions.push({ Id: oidArcs(parts[0].value), Critical: critical, Value: parts[parts.length - 1].value.toString('base64') });
      }
    }
  }
  const nullIfEmpty = (v: string[] | undefined): GoJsonValue => (v && v.length ? v : null);
  const goSig = signatureAlgorithmInfo(info.signatureAlgorithm.oid).goName;
  const out = {
    Raw: der.toString('base64'),
    RawTBSCertificateRequest: tbs.raw.toString('base64'),
    RawSubjectPublicKeyInfo: spki.raw.toString('base64'),
    RawSubject: subject.raw.toString('base64'),
    Version: 0,
    Signature: sig.value.subarray(1).toString('base64'),
    SignatureAlgorithm: GO_SIGNATURE_ALGORITHMS[goSig] ?? 0,
    PublicKeyAlgorithm: GO_PUBLIC_KEY_ALGORITHMS[spec.algo],
    PublicKey: publicKey,
    Subject: goNameStruct(subject),
    Attributes: attributes.length ? attributes : null,
    Extensions: extensions.length ? extensions : null,
    ExtraExtensions: null,
    DNSNames: nullIfEmpty(info.sans.dns),
    EmailAddresses: nullIfEmpty(info.sans.email),
    IPAddresses: nullIfEmpty(info.sans.ip),
    URIs: nullIfEmpty(info.sans.uri),
  };
  return `${marshalGoJson(out, '  ')}\n`;
}

/** Re-encodes the certificate PEM (cfssl prints its own encoding, not the input text). */
export function normalizeCertificatePem(pem: string): string {
  try {
    return encodePem('CERTIFICATE', decodeFirstPem(pem, ['CERTIFICATE']).der);
  } catch {
    throw new PkiError('INVALID_CERTIFICATE', 'no CERTIFICATE PEM block found');
  }
}
