// What signing needs from a CA certificate — its subject DER, BasicConstraints, KeyUsage and
// subject key id — read straight from the DER (der.ts) without the X.509 library. Returns
// undefined for anything it does not expect; the caller then parses the certificate fully
// (and reports its errors as before).
import { X509Certificate } from 'node:crypto';
import { children, decodeOid, readTlv, type Tlv } from './der.ts';
import { KEY_USAGE_BITS, type KeyUsageName } from './usages.ts';
import type { BasicConstraints } from './x509.ts';

export interface IssuerFields {
  subjectDer: Buffer;
  basicConstraints?: BasicConstraints;
  keyUsage?: KeyUsageName[];
  subjectKeyId?: Buffer;
}

function integerValue(t: Tlv): number {
  let v = 0;
  for (const b of t.value) v = v * 256 + b;
  return v;
}

function keyUsage(bits: Tlv): KeyUsageName[] {
  const bytes = bits.value.subarray(1);
  return (Object.keys(KEY_USAGE_BITS) as KeyUsageName[]).filter((name) => {
    const bit = KEY_USAGE_BITS[name];
    return ((bytes[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) !== 0;
  });
}

export function readIssuerFields(der: Buffer): IssuerFields | undefined {
  try {
    new X509Certificate(der); // OpenSSL's full parse: anything it refuses goes the slow way
    const [tbs] = children(readTlv(der).value);
    const fields = children(tbs.value);
    const offset = fields[0]?.tag === 0xa0 ? 1 : 0; // [0] version
    const subject = fields[offset + 4];
    if (tbs.tag !== 0x30 || subject?.tag !== 0x30) return undefined;
    const out: IssuerFields = { subjectDer: Buffer.from(subject.raw) };
    const extensionsField = fields.slice(offset + 6).find((f) => f.tag === 0xa3);
    if (!extensionsField) return out;
    for (const ext of children(readTlv(extensionsField.value).value)) {
      const parts = children(ext.value);
      const id = decodeOid(parts[0].value);
      const value = readTlv(parts[parts.length - 1].value);
      if (id === '2.5.29.19') {
        const [first, second] = children(value.value);
        const isCA = first?.tag === 0x01 && first.value[0] !== 0;
        const pathLen = first?.tag === 0x02 ? first : second?.tag === 0x02 ? second : undefined;
        out.basicConstraints = { isCA, ...(isCA && pathLen ? { pathLen: integerValue(pathLen) } : {}) };
      } else if (id === '2.5.29.15') {
        if (value.tag !== 0x03) return undefined;
        out.keyUsage = keyUsage(value);
      } else if (id === '2.5.29.14') {
        if (value.tag !== 0x04) return undefined;
        out.subjectKeyId = Buffer.from(value.value);
      }
    }
    return out;
  } catch {
    return undefined;
  }
}
