import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCertificateRequest } from '../csr.ts';
import { inspectCertificate, verifyChain } from '../inspect.ts';
import { parsePrivateKeyPem } from '../keys.ts';
import { parseCfsslCsrRequest } from './csr-request.ts';
import { CFSSL_NO_HOSTS_WARNING, cfsslGencert, cfsslInitCA } from './gencert.ts';
import { CFSSL_DEFAULT_PROFILE, parseSigningConfig, selectProfile } from './signing-config.ts';

const NOW = new Date('2026-11-28T15:49:57.656Z');

test('initca: CSR requests CA:TRUE; the root keeps IP hosts only; pathlen from ca section; log lines as cfssl', async () => {
  const req = parseCfsslCsrRequest('{"CN":"hostca","hosts":["ca.example","10.0.0.1","a@b.example"],"key":{"algo":"ecdsa","size":256},"ca":{"pathlen":1,"expiry":"1h"}}');
  const r = await cfsslInitCA(req, { now: NOW });
  const info = inspectCertificate(r.cert);
  assert.deepEqual(info.sans, { dns: [], ip: ['10.0.0.1'], email: [], uri: [] });
  assert.deepEqual(info.basicConstraints, { isCA: true, pathLen: 1 });
  assert.equal(info.notBefore.toISOString(), '2026-11-28T15:45:00.000Z');
  assert.equal(info.notAfter.toISOString(), '2026-11-28T16:45:00.000Z');
  const csr = await parseCertificateRequest(r.csr);
  assert.deepEqual(csr.basicConstraints, { isCA: true, pathLen: 1 });
  assert.deepEqual(csr.sans.dns, ['ca.example']);
  assert.ok(r.key.startsWith('-----BEGIN EC PRIVATE KEY-----\n'));
  assert.deepEqual(r.log.map((l) => l.message.replace(/serial number \d+$/, 'serial number N')), [
    'generating a new CA key and certificate from CSR',
    'generate received request',
    'received CSR',
    'generating key: ecdsa-256',
    'encoded CSR',
    'signed certificate with serial number N',
  ]);
});

test('gencert: profile usages, -hostname replaces SANs in the cert only, missing-hosts warning rule', async () => {
  const ca = await cfsslInitCA(parseCfsslCsrRequest('{"CN":"ca","key":{"algo":"rsa","size":2048}}'));
  const caRef = { cert: ca.cert, key: parsePrivateKeyPem(ca.key) };
  const profile = selectProfile(parseSigningConfig('{"signing":{"profiles":{"p":{"usages":["signing","client auth"],"expiry":"2h"}}}}'), 'p');
  const withHosts = await cfsslGencert(parseCfsslCsrRequest('{"CN":"leaf","hosts":["a.example"],"key":{"algo":"rsa","size":2048}}'), { ca: caRef, profile, hostnames: ['b.example', '10.9.9.9'] });
  const info = inspectCertificate(withHosts.cert);
  assert.deepEqual(info.keyUsage, ['digitalSignature']);
  assert.deepEqual(info.extKeyUsage, ['clientAuth']);
  assert.deepEqual(info.sans, { dns: ['b.example'], ip: ['10.9.9.9'], email: [], uri: [] });
  assert.deepEqual((await parseCertificateRequest(withHosts.csr)).sans.dns, ['a.example']);
  assert.equal(info.notAfter.getTime() - info.notBefore.getTime(), 2 * 3600_000);
  assert.equal(verifyChain(withHosts.cert, ca.cert).valid, true);
  assert.equal(withHosts.log.some((l) => l.level === 'WARNING'), false);
  const noHosts = await cfsslGencert(parseCfsslCsrRequest('{"CN":"admin","key":{"algo":"rsa","size":2048}}'), { ca: caRef, profile: CFSSL_DEFAULT_PROFILE });
  assert.deepEqual(noHosts.log.at(-1), { level: 'WARNING', message: CFSSL_NO_HOSTS_WARNING });
});

const REFUSED = [
  { name: 'ca section in a leaf request', json: '{"CN":"x","ca":{}}', code: 'INVALID_REQUEST' },
  { name: 'no subject', json: '{"hosts":["a.example"]}', code: 'MISSING_SUBJECT' },
  { name: 'weak key', json: '{"CN":"x","key":{"algo":"rsa","size":1024}}', code: 'KEY_TOO_WEAK' },
  { name: 'bad host', json: '{"CN":"x","hosts":["a b"]}', code: 'INVALID_HOST' },
] as const;

for (const c of REFUSED) {
  test(`gencert refuses ${c.name} before generating anything`, async () => {
    const ca = { cert: '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n', key: parsePrivateKeyPem((await cfsslInitCA(parseCfsslCsrRequest('{"CN":"ca"}'))).key) };
    await assert.rejects(cfsslGencert(parseCfsslCsrRequest(c.json), { ca, profile: CFSSL_DEFAULT_PROFILE }), { code: c.code });
  });
}

test('gencert with a profile whose usages are all unknown fails like cfssl 5100', async () => {
  const ca = await cfsslInitCA(parseCfsslCsrRequest('{"CN":"ca"}'));
  await assert.rejects(cfsslGencert(parseCfsslCsrRequest('{"CN":"x"}'), { ca: { cert: ca.cert, key: parsePrivateKeyPem(ca.key) }, profile: { usages: ['bogus'], expiry: '1h', expiryMs: 3600_000 } }), { code: 'NO_KEY_USAGE', message: 'Invalid policy: no key usage available' });
});
