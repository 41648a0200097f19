import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatExpirationJson, formatExpirationTable, formatExpires, residualSeconds, type ExpirationInfo } from './expiration-table.ts';

const NOW = new Date('2026-11-28T17:00:30Z');
const LEAF = new Date('2027-11-28T16:55:30Z');
const CA = new Date('2036-11-25T16:55:30Z');

function entry(name: string, notAfter: Date, caName?: string, extra: { externallyManaged?: boolean; missing?: boolean } = {}) {
  return { name, expirationDate: notAfter, residualSeconds: residualSeconds(notAfter, NOW), caName, externallyManaged: extra.externallyManaged ?? false, missing: extra.missing ?? false };
}

test('formatExpires uses Go layout "Jan 02, 2006 15:04 MST" in UTC', () => {
  assert.equal(formatExpires(new Date('2123-07-28T10:29:59Z')), 'Jul 28, 2123 10:29 UTC');
  assert.equal(formatExpires(new Date('2027-03-05T01:02:03Z')), 'Mar 05, 2027 01:02 UTC');
});

test('residualSeconds truncates toward zero', () => {
  assert.equal(residualSeconds(new Date(10_999), new Date(0)), 10);
  assert.equal(residualSeconds(new Date(0), new Date(1_500)), -1);
});

test('the text output has kubeadm columns, widths and trailing padding', () => {
  const info: ExpirationInfo = {
    certificates: [
      entry('admin.conf', LEAF, 'ca'),
      entry('apiserver', LEAF, 'ca'),
      entry('apiserver-kubelet-client', LEAF, 'ca', { externallyManaged: true }),
      { name: 'etcd-server', residualSeconds: 0, caName: 'etcd-ca', externallyManaged: false, missing: true },
    ],
    certificateAuthorities: [entry('ca', CA), entry('etcd-ca', CA), entry('front-proxy-ca', CA)],
  };
  assert.equal(formatExpirationTable(info), [
    'CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED',
    'admin.conf                 Nov 28, 2027 16:55 UTC   364d            ca                      no      ',
    'apiserver                  Nov 28, 2027 16:55 UTC   364d            ca                      no      ',
    'apiserver-kubelet-client   Nov 28, 2027 16:55 UTC   364d            ca                      yes     ',
    '!MISSING! etcd-server                                                                       ',
    '',
    'CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED',
    'ca                      Nov 25, 2036 16:55 UTC   9y              no      ',
    'etcd-ca                 Nov 25, 2036 16:55 UTC   9y              no      ',
    'front-proxy-ca          Nov 25, 2036 16:55 UTC   9y              no      ',
    '',
  ].join('\n'));
});

test('the json output is a CertificateExpirationInfo with Go field order', () => {
  const info: ExpirationInfo = {
    certificates: [entry('apiserver', LEAF, 'ca'), { name: 'etcd-peer', residualSeconds: 0, caName: 'etcd-ca', externallyManaged: false, missing: true }],
    certificateAuthorities: [entry('ca', CA)],
  };
  const text = formatExpirationJson(info);
  const doc = JSON.parse(text);
  assert.deepEqual(Object.keys(doc), ['kind', 'apiVersion', 'certificates', 'certificateAuthorities']);
  assert.equal(doc.kind, 'CertificateExpirationInfo');
  assert.equal(doc.apiVersion, 'output.kubeadm.k8s.io/v1alpha3');
  assert.deepEqual(doc.certificates[0], { name: 'apiserver', expirationDate: '2027-11-28T16:55:30Z', residualTime: 31535700, externallyManaged: false, caName: 'ca', missing: false });
  assert.deepEqual(Object.keys(doc.certificateAuthorities[0]), ['name', 'expirationDate', 'residualTime', 'externallyManaged', 'missing']);
  assert.equal(doc.certificates[1].expirationDate, null);
  assert.match(text, /^\{\n {4}"kind"/);
});
