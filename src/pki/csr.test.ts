import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCertificateRequest, parseCertificateRequest } from './csr.ts';
import { generateKey } from './keys.ts';
import { formatDn } from './names.ts';
import { decodePem, encodePem } from './pem.ts';

test('a CSR carries subject, SANs and a BasicConstraints request, and parses back', async () => {
  const key = await generateKey({ algo: 'ecdsa', size: 384 });
  const pem = await createCertificateRequest({ subject: { CN: 'mixed', O: ['second', 'a_b'], C: 'CN' }, key, sans: { dns: ['a.example'], ip: ['10.0.0.2'], email: ['x@example.com'] }, basicConstraints: { isCA: true, pathLen: 1 } });
  const info = await parseCertificateRequest(pem);
  assert.equal(formatDn(info.subjectRdns), 'C = CN, O = a_b + O = second, CN = mixed');
  assert.deepEqual(info.sans, { dns: ['a.example'], ip: ['10.0.0.2'], email: ['x@example.com'], uri: [] });
  assert.deepEqual(info.basicConstraints, { isCA: true, pathLen: 1 });
  assert.deepEqual(info.publicKeySpec, { algo: 'ecdsa', size: 384 });
  assert.equal(info.signatureAlgorithm.name, 'ecdsa-with-SHA384');
});

test('a CSR whose signature was tampered with is refused', async () => {
  const key = await generateKey({ algo: 'rsa', size: 2048 });
  const pem = await createCertificateRequest({ subject: { CN: 'x' }, key });
  const der = decodePem(pem)[0].der;
  der[der.length - 5] ^= 0xff;
  await assert.rejects(parseCertificateRequest(encodePem('CERTIFICATE REQUEST', der)), { code: 'BAD_CSR_SIGNATURE' });
});

test('text without a CSR block is refused', async () => {
  await assert.rejects(parseCertificateRequest('nothing here'), { code: 'INVALID_CSR' });
});
