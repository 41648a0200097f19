// A minimal DER reader: enough to pull raw pieces (TBS, names, signature bits, OIDs) out
// of certificates and CSRs where the X.509 library gives no access to the bytes.
import { PkiError } from './errors.ts';

export interface Tlv {
  tag: number;
  /** The whole element, header included. */
  raw: Buffer;
  value: Buffer;
  /** Offset just past the element in the buffer it was read from. */
  end: number;
}

export function readTlv(buf: Buffer, offset = 0): Tlv {
  const tag = buf[offset];
  let len = buf[offset + 1];
  let pos = offset + 2;
  if (tag === undefined || len === undefined) throw new PkiError('INVALID_CERTIFICATE', 'truncated DER structure');
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n > 4) throw new PkiError('INVALID_CERTIFICATE', 'DER length too long');
    if (pos + n > buf.length) throw new PkiError('INVALID_CERTIFICATE', 'truncated DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[pos + i];
    pos += n;
  }
  if (pos + len > buf.length) throw new PkiError('INVALID_CERTIFICATE', 'truncated DER structure');
  return { tag, raw: buf.subarray(offset, pos + len), value: buf.subarray(pos, pos + len), end: pos + len };
}

/** The elements inside a constructed element's value. */
export function children(value: Buffer): Tlv[] {
  const out: Tlv[] = [];
  for (let pos = 0; pos < value.length; ) {
    const t = readTlv(value, pos);
    out.push(t);
    pos = t.end;
  }
  return out;
}

export function decodeOid(bytes: Buffer): string {
  return oidArcs(bytes).join('.');
}

export function oidArcs(bytes: Buffer): number[] {
  const first = bytes[0];
  const parts: number[] = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  let v = 0;
  for (const b of bytes.subarray(1)) {
    v = v * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts;
}

/** The subjectPublicKey BIT STRING contents of an SPKI (what RFC 5280 key ids hash). */
export function subjectPublicKeyBits(spki: Uint8Array): Buffer {
  const [, bits] = children(readTlv(Buffer.from(spki)).value);
  return bits.value.subarray(1); // skip the unused-bits byte
}
