import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extKeyUsageName, extKeyUsageOid, resolveCfsslUsages } from './usages.ts';

// The complete word table of spec B.5: word → KU bit name or EKU OID.
const WORDS = [
  ['signing', 'ku', 'digitalSignature'],
  ['digital signature', 'ku', 'digitalSignature'],
  ['content committment', 'ku', 'contentCommitment'],
  ['key encipherment', 'ku', 'keyEncipherment'],
  ['data encipherment', 'ku', 'dataEncipherment'],
  ['key agreement', 'ku', 'keyAgreement'],
  ['cert sign', 'ku', 'keyCertSign'],
  ['crl sign', 'ku', 'cRLSign'],
  ['encipher only', 'ku', 'encipherOnly'],
  ['decipher only', 'ku', 'decipherOnly'],
  ['any', 'eku', '2.5.29.37.0'],
  ['server auth', 'eku', '1.3.6.1.5.5.7.3.1'],
  ['client auth', 'eku', '1.3.6.1.5.5.7.3.2'],
  ['code signing', 'eku', '1.3.6.1.5.5.7.3.3'],
  ['email protection', 'eku', '1.3.6.1.5.5.7.3.4'],
  ['s/mime', 'eku', '1.3.6.1.5.5.7.3.4'],
  ['ipsec end system', 'eku', '1.3.6.1.5.5.7.3.5'],
  ['ipsec tunnel', 'eku', '1.3.6.1.5.5.7.3.6'],
  ['ipsec user', 'eku', '1.3.6.1.5.5.7.3.7'],
  ['timestamping', 'eku', '1.3.6.1.5.5.7.3.8'],
  ['ocsp signing', 'eku', '1.3.6.1.5.5.7.3.9'],
  ['microsoft sgc', 'eku', '1.3.6.1.4.1.311.10.3.3'],
  ['netscape sgc', 'eku', '2.16.840.1.113730.4.1'],
] as const;

for (const [word, kind, expected] of WORDS) {
  test(`cfssl usage word "${word}" maps to ${expected}`, () => {
    const r = resolveCfsslUsages([word]);
    if (kind === 'ku') {
      assert.deepEqual(r.keyUsage, [expected]);
      assert.deepEqual(r.extKeyUsage, []);
    } else {
      assert.deepEqual(r.keyUsage, []);
      assert.deepEqual(r.extKeyUsage.map(extKeyUsageOid), [expected]);
    }
    assert.deepEqual(r.unknown, []);
  });
}

test('usage words: KU in bit order, EKU in written order, unknown and wrong-case words reported', () => {
  const r = resolveCfsslUsages(['client auth', 'key encipherment', 'bogus', 'server auth', 'signing', 'Signing', 'signing']);
  assert.deepEqual(r.keyUsage, ['digitalSignature', 'keyEncipherment']);
  assert.deepEqual(r.extKeyUsage, ['clientAuth', 'serverAuth']);
  assert.deepEqual(r.unknown, ['bogus', 'Signing']);
});

test('EKU names and OIDs convert both ways; unnamed OIDs pass through', () => {
  assert.equal(extKeyUsageOid('serverAuth'), '1.3.6.1.5.5.7.3.1');
  assert.equal(extKeyUsageName('1.3.6.1.5.5.7.3.2'), 'clientAuth');
  assert.equal(extKeyUsageOid('1.2.3.4'), '1.2.3.4');
  assert.equal(extKeyUsageName('1.2.3.4'), '1.2.3.4');
  assert.throws(() => extKeyUsageOid('nope'), /unknown extended key usage "nope"/);
});
