// DER of a distinguished name: SEQUENCE of RDN SETs of (OID, string) pairs, with exactly
// the grouping, order and string types given (PrintableString or UTF8String), as Go and
// cfssl write subjects.
import { oid, sequence, tlv } from './der-write.ts';
import type { Rdns } from './names.ts';

const STRING_TAGS = { printable: 0x13, utf8: 0x0c } as const;

export function encodeName(rdns: Rdns): Buffer {
  return sequence(rdns.map((rdn) => tlv(0x31, Buffer.concat(rdn.map((atv) => sequence([oid(atv.oid), tlv(STRING_TAGS[atv.stringType], Buffer.from(atv.value, 'utf8'))]))))));
}
