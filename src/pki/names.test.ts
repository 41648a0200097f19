import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDn, isPrintableString, rdnsToSubject, subjectToRdns, type Subject } from './names.ts';

const ORDER = [
  {
    name: 'cfssl aggregator subject, keys given in another order',
    subject: { CN: 'aggregator', OU: 'System', O: 'k8s', L: 'BeiJing', ST: 'BeiJing', C: 'CN' },
    dn: 'C = CN, ST = BeiJing, L = BeiJing, O = k8s, OU = System, CN = aggregator',
  },
  { name: 'kubeadm client: O then CN', subject: { CN: 'kube-apiserver-kubelet-client', O: ['kubeadm:cluster-admins'] }, dn: 'O = kubeadm:cluster-admins, CN = kube-apiserver-kubelet-client' },
  { name: 'CN only', subject: { CN: 'front-proxy-ca' }, dn: 'CN = front-proxy-ca' },
  { name: 'no CN', subject: { O: 'a' }, dn: 'O = a' },
  { name: 'empty values dropped', subject: { C: '', O: ['', 'x'], CN: 'y' }, dn: 'O = x, CN = y' },
  { name: 'two O values → one multi-valued RDN, DER SET order', subject: { C: 'CN', O: ['second', 'a_b'], OU: 'ou2', CN: 'mixed' }, dn: 'C = CN, O = a_b + O = second, OU = ou2, CN = mixed' },
  { name: 'street, postal code and serial number', subject: { serialNumber: '42', postalCode: '100000', street: 'Main St', CN: 'x' }, dn: 'street = Main St, postalCode = 100000, CN = x, serialNumber = 42' },
] satisfies { name: string; subject: Subject; dn: string }[];

for (const c of ORDER) {
  test(`subject order: ${c.name}`, () => {
    assert.equal(formatDn(subjectToRdns(c.subject)), c.dn);
  });
}

// Observed in the cfssl `string-types` and `mixed` variants.
const STRING_TYPES = [
  ['system:masters', true],
  ['kubeadm:cluster-admins', true],
  ['q?r=s', true],
  ["it's (a) test, +-./", true],
  ['a_b', false],
  ['a@b', false],
  ['m&n', false],
  ['star*cn', false],
  ['Zürich', false],
] as const;

for (const [value, printable] of STRING_TYPES) {
  test(`string type of ${JSON.stringify(value)} is ${printable ? 'PrintableString' : 'UTF8String'}`, () => {
    assert.equal(isPrintableString(value), printable);
    assert.equal(subjectToRdns({ O: value })[0][0].stringType, printable ? 'printable' : 'utf8');
  });
}

test('rdnsToSubject collects values per attribute', () => {
  const subject = rdnsToSubject(subjectToRdns({ C: 'CN', O: ['b', 'a'], CN: 'x' }));
  assert.deepEqual(subject, { C: ['CN'], O: ['a', 'b'], CN: 'x' });
});
