// Distinguished names as Go's crypto/x509 (and so cfssl and kubeadm) writes them: a fixed
// attribute order, one RDN per attribute type (several values → one multi-valued RDN), and
// PrintableString whenever every character allows it, UTF8String otherwise.

export type NameValue = string | readonly string[];

/** A subject or issuer. Keys are cfssl's JSON names; values may repeat (multi-valued RDN). */
export interface Subject {
  C?: NameValue;
  ST?: NameValue;
  L?: NameValue;
  street?: NameValue;
  postalCode?: NameValue;
  O?: NameValue;
  OU?: NameValue;
  CN?: string;
  serialNumber?: string;
}

export type NameAttribute = keyof Subject;

/** Attribute types in Go's encoding order, with their OIDs and OpenSSL short names. */
export const NAME_ATTRIBUTES = [
  { key: 'C', oid: '2.5.4.6', label: 'C' },
  { key: 'ST', oid: '2.5.4.8', label: 'ST' },
  { key: 'L', oid: '2.5.4.7', label: 'L' },
  { key: 'street', oid: '2.5.4.9', label: 'street' },
  { key: 'postalCode', oid: '2.5.4.17', label: 'postalCode' },
  { key: 'O', oid: '2.5.4.10', label: 'O' },
  { key: 'OU', oid: '2.5.4.11', label: 'OU' },
  { key: 'CN', oid: '2.5.4.3', label: 'CN' },
  { key: 'serialNumber', oid: '2.5.4.5', label: 'serialNumber' },
] as const;

export type StringType = 'printable' | 'utf8';

/** One AttributeTypeAndValue. `key` is absent for attribute types kagg does not name. */
export interface NameAttributeValue {
  oid: string;
  key?: NameAttribute;
  value: string;
  stringType: StringType;
}

/** A DN as a sequence of RDNs, each a set of attribute values. */
export type Rdns = NameAttributeValue[][];

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** Go's asn1 PrintableString test (no `*`, no `&`, no `@`, ASCII only). */
export function isPrintableString(value: string): boolean {
  return PRINTABLE.test(value);
}

export function valuesOf(value: NameValue | undefined): string[] {
  if (value === undefined) return [];
  return (typeof value === 'string' ? [value] : [...value]).filter((v) => v !== '');
}

/** True when the subject has no non-empty attribute at all. */
export function isEmptySubject(subject: Subject): boolean {
  return NAME_ATTRIBUTES.every((a) => valuesOf(subject[a.key]).length === 0);
}

/** The RDN sequence Go would encode for `subject` (values of one type sorted as DER SET OF). */
export function subjectToRdns(subject: Subject): Rdns {
  const rdns: Rdns = [];
  for (const attr of NAME_ATTRIBUTES) {
    const values = valuesOf(subject[attr.key]);
    if (values.length === 0) continue;
    const set = values.map((value): NameAttributeValue => ({ oid: attr.oid, key: attr.key, value, stringType: isPrintableString(value) ? 'printable' : 'utf8' }));
    rdns.push(set.length > 1 ? sortDerSet(set) : set);
  }
  return rdns;
}

/** Collects RDNs back into a Subject (attributes kagg does not name are dropped). */
export function rdnsToSubject(rdns: Rdns): Subject {
  const lists = new Map<NameAttribute, string[]>();
  for (const rdn of rdns) {
    for (const atv of rdn) {
      if (!atv.key) continue;
      const list = lists.get(atv.key) ?? [];
      list.push(atv.value);
      lists.set(atv.key, list);
    }
  }
  const subject: Subject = {};
  for (const [key, list] of lists) {
    if (key === 'CN' || key === 'serialNumber') subject[key] = list[0];
    else subject[key] = list;
  }
  return subject;
}

/** The name attribute known for an OID, if any. */
export function attributeForOid(oid: string): NameAttribute | undefined {
  return NAME_ATTRIBUTES.find((a) => a.oid === oid)?.key;
}

/** OpenSSL's one-line form: `C = CN, ST = BeiJing, O = a + O = b, CN = x`. */
export function formatDn(rdns: Rdns): string {
  return rdns
    .map((rdn) => rdn.map((atv) => `${labelFor(atv)} = ${atv.value}`).join(' + '))
    .join(', ');
}

function labelFor(atv: NameAttributeValue): string {
  return NAME_ATTRIBUTES.find((a) => a.oid === atv.oid)?.label ?? atv.oid;
}

// DER orders a SET OF by the encodings of its elements. Every element here is
// SEQUENCE { OID, string } with the same OID, so the order follows the encoded lengths,
// then the string tag, then the bytes.
function sortDerSet(set: NameAttributeValue[]): NameAttributeValue[] {
  const encoded = set.map((atv) => ({ atv, der: encodeAtvForSort(atv) }));
  encoded.sort((a, b) => Buffer.compare(a.der, b.der));
  return encoded.map((e) => e.atv);
}

function encodeAtvForSort(atv: NameAttributeValue): Buffer {
  const value = Buffer.from(atv.value, 'utf8');
  const oid = encodeOid(atv.oid);
  const str = Buffer.concat([Buffer.from([atv.stringType === 'printable' ? 0x13 : 0x0c]), derLength(value.length), value]);
  const oidTlv = Buffer.concat([Buffer.from([0x06]), derLength(oid.length), oid]);
  const body = Buffer.concat([oidTlv, str]);
  return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function encodeOid(oid: string): Buffer {
  const parts = oid.split('.').map(Number);
  const out = [parts[0] * 40 + parts[1]];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [];
    let v = part;
    do {
      chunk.unshift(v & 0x7f);
      v >>>= 7;
    } while (v > 0);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i] |= 0x80;
    out.push(...chunk);
  }
  return Buffer.from(out);
}
