// Key usages: the X.509 KeyUsage bits, the ExtendedKeyUsage OIDs, and cfssl's usage words
// (config/config.go, identical in 1.2.0 and the Debian build).

/** KeyUsage bit numbers (bit 0 is the most significant bit of the first byte). */
export const KEY_USAGE_BITS = {
  digitalSignature: 0,
  contentCommitment: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
  encipherOnly: 7,
  decipherOnly: 8,
} as const;

export type KeyUsageName = keyof typeof KEY_USAGE_BITS;

/** ExtendedKeyUsage names (Go's names, lower camel case) and their OIDs. */
export const EXT_KEY_USAGE_OIDS = {
  any: '2.5.29.37.0',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  ipsecEndSystem: '1.3.6.1.5.5.7.3.5',
  ipsecTunnel: '1.3.6.1.5.5.7.3.6',
  ipsecUser: '1.3.6.1.5.5.7.3.7',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  microsoftServerGatedCrypto: '1.3.6.1.4.1.311.10.3.3',
  netscapeServerGatedCrypto: '2.16.840.1.113730.4.1',
} as const;

export type ExtKeyUsageName = keyof typeof EXT_KEY_USAGE_OIDS;

/** cfssl usage word → KeyUsage bit. (`content committment` is cfssl's spelling.) */
export const CFSSL_KEY_USAGE_WORDS = {
  signing: 'digitalSignature',
  'digital signature': 'digitalSignature',
  'content committment': 'contentCommitment',
  'key encipherment': 'keyEncipherment',
  'data encipherment': 'dataEncipherment',
  'key agreement': 'keyAgreement',
  'cert sign': 'keyCertSign',
  'crl sign': 'cRLSign',
  'encipher only': 'encipherOnly',
  'decipher only': 'decipherOnly',
} as const satisfies Record<string, KeyUsageName>;

/** cfssl usage word → ExtendedKeyUsage. */
export const CFSSL_EXT_KEY_USAGE_WORDS = {
  any: 'any',
  'server auth': 'serverAuth',
  'client auth': 'clientAuth',
  'code signing': 'codeSigning',
  'email protection': 'emailProtection',
  's/mime': 'emailProtection',
  'ipsec end system': 'ipsecEndSystem',
  'ipsec tunnel': 'ipsecTunnel',
  'ipsec user': 'ipsecUser',
  timestamping: 'timeStamping',
  'ocsp signing': 'ocspSigning',
  'microsoft sgc': 'microsoftServerGatedCrypto',
  'netscape sgc': 'netscapeServerGatedCrypto',
} as const satisfies Record<string, ExtKeyUsageName>;

export interface ResolvedUsages {
  keyUsage: KeyUsageName[];
  extKeyUsage: ExtKeyUsageName[];
  /** Words found in neither table (cfssl ignores them silently). */
  unknown: string[];
}

/** Maps cfssl usage words like cfssl: exact, case-sensitive, KU table first, EKU order kept. */
export function resolveCfsslUsages(words: readonly string[]): ResolvedUsages {
  const keyUsage: KeyUsageName[] = [];
  const extKeyUsage: ExtKeyUsageName[] = [];
  const unknown: string[] = [];
  for (const word of words) {
    if (Object.hasOwn(CFSSL_KEY_USAGE_WORDS, word)) {
      const ku = CFSSL_KEY_USAGE_WORDS[word as keyof typeof CFSSL_KEY_USAGE_WORDS];
      if (!keyUsage.includes(ku)) keyUsage.push(ku);
    } else if (Object.hasOwn(CFSSL_EXT_KEY_USAGE_WORDS, word)) {
      extKeyUsage.push(CFSSL_EXT_KEY_USAGE_WORDS[word as keyof typeof CFSSL_EXT_KEY_USAGE_WORDS]);
    } else {
      unknown.push(word);
    }
  }
  return { keyUsage: sortKeyUsage(keyUsage), extKeyUsage, unknown };
}

/** KeyUsage names in bit order. */
export function sortKeyUsage(names: readonly KeyUsageName[]): KeyUsageName[] {
  return [...new Set(names)].sort((a, b) => KEY_USAGE_BITS[a] - KEY_USAGE_BITS[b]);
}

/** The OID of an EKU given by name or already as a dotted OID. */
export function extKeyUsageOid(usage: ExtKeyUsageName | string): string {
  if (Object.hasOwn(EXT_KEY_USAGE_OIDS, usage)) return EXT_KEY_USAGE_OIDS[usage as ExtKeyUsageName];
  if (/^\d+(\.\d+)+$/.test(usage)) return usage;
  throw new Error(`unknown extended key usage "${usage}"`);
}

/** The EKU name of an OID, or the OID itself when it has no name. */
export function extKeyUsageName(oid: string): ExtKeyUsageName | string {
  const entry = Object.entries(EXT_KEY_USAGE_OIDS).find(([, o]) => o === oid);
  return entry ? (entry[0] as ExtKeyUsageName) : oid;
}
