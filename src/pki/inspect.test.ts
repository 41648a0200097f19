import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { inspectCertificate } from './inspect.ts';

const golden = (name: string) => readFileSync(new URL(`../../test/fixtures/pki/cfssl-golden/${name}`, import.meta.url), 'utf8');

// Certificates written by the real cfssl; expectations from their openssl dumps in the spec.
test('inspects cfssl aggregator.pem like openssl reads it', () => {
  const info = inspectCertificate(golden('aggregator.pem'));
  assert.equal(info.subjectDn, 'C = CN, ST = BeiJing, L = BeiJing, O = k8s, OU = System, CN = aggregator');
  assert.equal(info.subjectEqualsIssuer, true);
  assert.equal(info.serialNumber, 0x128afa610ec8c3c3294cdff330c88d3100ca6a98n);
  assert.equal(info.notBefore.toISOString(), '2026-11-28T15:45:00.000Z');
  assert.equal(info.notAfter.toISOString(), '2036-11-25T15:45:00.000Z');
  assert.equal(info.signatureAlgorithm.goName, 'SHA256WithRSA');
  assert.deepEqual(info.publicKeySpec, { algo: 'rsa', size: 2048 });
  assert.deepEqual(info.keyUsage, ['digitalSignature', 'keyEncipherment']);
  assert.deepEqual(info.extKeyUsage, ['serverAuth', 'clientAuth']);
  assert.deepEqual(info.basicConstraints, { isCA: false });
  assert.equal(info.subjectKeyId?.toString('hex'), '3c671ecf3df7b8b123058130 33f1647285375561'.replace(' ', ''));
  assert.equal(info.authorityKeyId, undefined);
  assert.deepEqual(info.sans.dns, ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster', 'kubernetes.default.svc.cluster.local']);
  assert.deepEqual(info.sans.ip, ['127.0.0.1', '10.53.5.94', '10.96.0.1']);
  assert.equal(info.pem, golden('aggregator.pem'));
});

const VARIANTS = [
  { file: 'variants/pl1.pem', check: { isCA: true, pathLen: 1 } },
  { file: 'variants/pl0.pem', check: { isCA: true, pathLen: 0 } },
  { file: 'variants/ec384.pem', check: { isCA: true, sig: 'ecdsa-with-SHA384', key: 'ecdsa-384' } },
  { file: 'variants/rsa4096.pem', check: { isCA: true, sig: 'sha512WithRSAEncryption', key: 'rsa-4096' } },
  { file: 'variants/mixed.pem', check: { isCA: false, dn: 'C = CN, O = a_b + O = second, OU = ou2, CN = mixed' } },
  { file: 'variants/string-types.pem', check: { isCA: true, dn: 'ST = q?r=s, L = Zürich, O = a@b, OU = m&n, CN = star*cn' } },
] as const;

for (const v of VARIANTS) {
  test(`inspects cfssl variant ${v.file}`, () => {
    const info = inspectCertificate(golden(v.file));
    const c: { isCA: boolean; pathLen?: number; sig?: string; key?: string; dn?: string } = v.check;
    assert.equal(info.isCA, c.isCA);
    if (c.pathLen !== undefined) assert.equal(info.pathLen, c.pathLen);
    if (c.sig) assert.equal(info.signatureAlgorithm.name, c.sig);
    if (c.key) assert.equal(`${info.publicKeySpec.algo}-${info.publicKeySpec.size}`, c.key);
    if (c.dn) assert.equal(info.subjectDn, c.dn);
  });
}

test('mixed.pem SANs: e-mail and the URI-looking host (a DNS name in this cfssl build)', () => {
  const info = inspectCertificate(golden('variants/mixed.pem'));
  assert.deepEqual(info.sans, { dns: ['www.example.com', '*.example.com', 'spiffe://x/y'], email: ['foo@example.com'], ip: ['10.0.0.2', '::1'], uri: [] });
});

test('inspectCertificate refuses text without a certificate', () => {
  assert.throws(() => inspectCertificate('nope'), { name: 'PkiError', code: 'INVALID_CERTIFICATE' });
});
