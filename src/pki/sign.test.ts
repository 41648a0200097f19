import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, test } from 'node:test';
import { generateKey, privateKeyMatchesCert, type KeySpec, type PrivateKey } from './keys.ts';
import { inspectCertificate, verifyChain } from './inspect.ts';
import { createCertificateRequest } from './csr.ts';
import { cfsslValidity, createSelfSignedCA, keyIdentifier, randomSerial, signCertificate } from './sign.ts';

const AGG = { C: 'CN', ST: 'BeiJing', L: 'BeiJing', O: 'k8s', OU: 'System', CN: 'aggregator' };
let caKey: PrivateKey;
let leafKey: PrivateKey;
before(async () => {
  [caKey, leafKey] = await Promise.all([generateKey({ algo: 'rsa', size: 2048 }), generateKey({ algo: 'rsa', size: 2048 })]);
});

// Observed cfssl runs (validity-observations.txt): start time → notBefore.
const WINDOWS = [
  { start: '2026-11-28T15:49:57.656Z', notBefore: '2026-11-28T15:45:00.000Z' },
  { start: '2026-11-28T15:50:02.037Z', notBefore: '2026-11-28T15:45:00.000Z' },
  { start: '2026-11-28T15:51:05.000Z', notBefore: '2026-11-28T15:46:00.000Z' },
  { start: '2026-11-28T15:51:30.000Z', notBefore: '2026-11-28T15:47:00.000Z' },
] as const;

for (const c of WINDOWS) {
  test(`cfsslValidity rounds ${c.start} to the minute and backdates 5m`, () => {
    const v = cfsslValidity({ now: new Date(c.start), expiry: '87600h' });
    assert.equal(v.notBefore.toISOString(), c.notBefore);
    assert.equal(v.notAfter.getTime() - v.notBefore.getTime(), 87600 * 3600_000);
  });
}

test('cfsslValidity: backdate 30m at 15:59:39 gives 15:30:00 (observed)', () => {
  assert.equal(cfsslValidity({ now: new Date('2026-11-28T15:59:39Z'), expiry: '1h', backdate: '30m' }).notBefore.toISOString(), '2026-11-28T15:30:00.000Z');
});

test('randomSerial is positive with at most 20 bytes', () => {
  for (let i = 0; i < 50; i++) {
    const s = randomSerial();
    assert.ok(s > 0n && s < 2n ** 159n);
  }
});

test('createSelfSignedCA: cfssl initca shape (KU certSign+cRLSign, CA:TRUE, SKI, no AKI, 43800h default)', async () => {
  const now = new Date('2026-11-28T15:49:57Z');
  const ca = await createSelfSignedCA({ subject: AGG, key: caKey, now });
  const info = inspectCertificate(ca.pem);
  assert.equal(info.subjectDn, 'C = CN, ST = BeiJing, L = BeiJing, O = k8s, OU = System, CN = aggregator');
  assert.equal(info.issuerDn, info.subjectDn);
  assert.deepEqual(info.keyUsage, ['keyCertSign', 'cRLSign']);
  assert.deepEqual(info.extKeyUsage, []);
  assert.deepEqual(info.basicConstraints, { isCA: true });
  assert.deepEqual(info.subjectKeyId, keyIdentifier(caKey));
  assert.equal(info.authorityKeyId, undefined);
  assert.deepEqual(info.extensions.map((e) => `${e.oid}${e.critical ? '!' : ''}`), ['2.5.29.15!', '2.5.29.19!', '2.5.29.14']);
  assert.equal(info.notBefore.toISOString(), '2026-11-28T15:45:00.000Z');
  assert.equal(info.notAfter.toISOString(), '2031-11-27T15:45:00.000Z');
  assert.equal(info.signatureAlgorithm.name, 'sha256WithRSAEncryption');
  assert.equal(info.serialNumber, ca.serialNumber);
  assert.equal(new X509Certificate(ca.pem).verify(caKey.publicKey), true);
});

test('signCertificate: a leaf named exactly like its CA still gets an AKI and verifies', async () => {
  const ca = await createSelfSignedCA({ subject: AGG, key: caKey, expiry: '87600h' });
  const leaf = await signCertificate({
    ca: { cert: ca.pem, key: caKey },
    publicKey: leafKey,
    subject: AGG,
    sans: { dns: ['kubernetes'], ip: ['127.0.0.1', '::1'] },
    keyUsage: ['keyEncipherment', 'digitalSignature'],
    extKeyUsage: ['serverAuth', 'clientAuth'],
    expiry: '87600h',
  });
  const info = inspectCertificate(leaf.pem);
  assert.equal(info.subjectEqualsIssuer, true);
  assert.deepEqual(info.authorityKeyId, inspectCertificate(ca.pem).subjectKeyId);
  assert.deepEqual(info.extensions.map((e) => `${e.oid}${e.critical ? '!' : ''}`), ['2.5.29.15!', '2.5.29.37', '2.5.29.19!', '2.5.29.14', '2.5.29.35', '2.5.29.17']);
  assert.deepEqual(info.keyUsage, ['digitalSignature', 'keyEncipherment']);
  assert.deepEqual(info.extKeyUsage, ['serverAuth', 'clientAuth']);
  assert.deepEqual(info.basicConstraints, { isCA: false });
  assert.deepEqual(info.sans, { dns: ['kubernetes'], ip: ['127.0.0.1', '::1'], email: [], uri: [] });
  assert.equal(privateKeyMatchesCert(leafKey, leaf.pem), true);
  assert.deepEqual(verifyChain(leaf.pem, ca.pem).valid, true);
  assert.equal(new X509Certificate(leaf.pem).verify(caKey.publicKey), true);
});

test('signCertificate refuses a CA key that does not match the CA certificate', async () => {
  const ca = await createSelfSignedCA({ subject: { CN: 'ca' }, key: caKey });
  await assert.rejects(signCertificate({ ca: { cert: ca.pem, key: leafKey }, publicKey: leafKey, subject: { CN: 'x' }, keyUsage: ['digitalSignature'] }), { name: 'PkiError', code: 'KEY_MISMATCH' });
});

test('options for a kubeadm-style tree: explicit window, no SKI on the leaf, pathLen on an intermediate, Go hash', async () => {
  const notBefore = new Date('2026-01-01T10:00:07Z');
  const notAfter = new Date('2027-01-01T10:05:07Z');
  const ca = await createSelfSignedCA({ subject: { CN: 'kubernetes' }, sans: { dns: ['kubernetes'] }, key: caKey, keyUsage: ['digitalSignature', 'keyEncipherment', 'keyCertSign'], notBefore, notAfter, pathLen: 0 });
  const caInfo = inspectCertificate(ca.pem);
  assert.deepEqual(caInfo.basicConstraints, { isCA: true, pathLen: 0 });
  assert.deepEqual(caInfo.sans.dns, ['kubernetes']);
  const leaf = await signCertificate({ ca: { cert: ca.pem, key: caKey }, publicKey: leafKey.publicKey, subject: { O: ['system:masters'], CN: 'kubernetes-admin' }, keyUsage: ['digitalSignature', 'keyEncipherment'], extKeyUsage: ['clientAuth'], notBefore, notAfter, subjectKeyIdentifier: false, serialNumber: 12345n, hash: 'SHA-256' });
  const info = inspectCertificate(leaf.pem);
  assert.equal(info.subjectKeyId, undefined);
  assert.ok(info.authorityKeyId);
  assert.equal(info.serialNumber, 12345n);
  assert.equal(info.notBefore.toISOString(), notBefore.toISOString());
  assert.equal(info.notAfter.toISOString(), notAfter.toISOString());
  assert.equal(info.subjectDn, 'O = system:masters, CN = kubernetes-admin');
  assert.equal(verifyChain(leaf.pem, ca.pem, { now: new Date('2026-06-01T00:00:00Z') }).valid, true);
  assert.equal(verifyChain(leaf.pem, ca.pem, { now: new Date('2028-06-01T00:00:00Z') }).valid, false);
});

// spec B.6 step 8: the signer's key decides the hash.
const HASHES = [
  { signer: { algo: 'rsa', size: 3072 }, name: 'sha384WithRSAEncryption' },
  { signer: { algo: 'rsa', size: 4096 }, name: 'sha512WithRSAEncryption' },
  { signer: { algo: 'ecdsa', size: 256 }, name: 'ecdsa-with-SHA256' },
  { signer: { algo: 'ecdsa', size: 384 }, name: 'ecdsa-with-SHA384' },
  { signer: { algo: 'ecdsa', size: 521 }, name: 'ecdsa-with-SHA512' },
] satisfies { signer: KeySpec; name: string }[];

for (const c of HASHES) {
  test(`a ${c.signer.algo}-${c.signer.size} CA signs with ${c.name}, also for an RSA-2048 leaf`, async () => {
    const key = await generateKey(c.signer);
    const ca = await createSelfSignedCA({ subject: { CN: `ca-${c.signer.size}` }, key });
    assert.equal(inspectCertificate(ca.pem).signatureAlgorithm.name, c.name);
    const leaf = await signCertificate({ ca: { cert: ca.pem, key }, publicKey: leafKey, subject: { CN: 'leaf' }, keyUsage: ['digitalSignature'] });
    assert.equal(inspectCertificate(leaf.pem).signatureAlgorithm.name, c.name);
    assert.equal(verifyChain(leaf.pem, ca.pem).valid, true);
  });
}

test('an empty subject without SANs is refused', async () => {
  await assert.rejects(createSelfSignedCA({ subject: {}, key: caKey }), { code: 'MISSING_SUBJECT' });
});

test('verifyChain explains a foreign CA', async () => {
  const ca = await createSelfSignedCA({ subject: { CN: 'a' }, key: caKey });
  const other = await createSelfSignedCA({ subject: { CN: 'b' }, key: leafKey });
  const leaf = await signCertificate({ ca: { cert: ca.pem, key: caKey }, publicKey: leafKey, subject: { CN: 'leaf' }, keyUsage: ['digitalSignature'] });
  const result = verifyChain(leaf.pem, other.pem);
  assert.equal(result.valid, false);
  assert.match(result.valid ? '' : result.reason, /no issuer of CN=leaf/);
});

test('signCertificate from a CSR takes its key, subject and SANs unless overridden', async () => {
  const ca = await createSelfSignedCA({ subject: { CN: 'ca' }, key: caKey });
  const csr = await createCertificateRequest({ subject: { O: ['system:nodes'], CN: 'system:node:n1' }, key: leafKey, sans: { dns: ['n1'], ip: ['10.0.0.5'] } });
  const fromCsr = inspectCertificate((await signCertificate({ ca: { cert: ca.pem, key: caKey }, csr, keyUsage: ['digitalSignature'], extKeyUsage: ['clientAuth'] })).pem);
  assert.equal(fromCsr.subjectDn, 'O = system:nodes, CN = system:node:n1');
  assert.deepEqual(fromCsr.sans, { dns: ['n1'], ip: ['10.0.0.5'], email: [], uri: [] });
  assert.equal(fromCsr.publicKey.export({ format: 'pem', type: 'spki' }), leafKey.publicKey.export({ format: 'pem', type: 'spki' }));
  const overridden = inspectCertificate((await signCertificate({ ca: { cert: ca.pem, key: caKey }, csr, subject: { CN: 'other' }, sans: {}, keyUsage: ['digitalSignature'] })).pem);
  assert.equal(overridden.subjectDn, 'CN = other');
  assert.deepEqual(overridden.sans, {});
  await assert.rejects(signCertificate({ ca: { cert: ca.pem, key: caKey }, subject: { CN: 'x' } }), { code: 'INVALID_REQUEST' });
});

test('an IPv4-mapped IPv6 SAN is written as IPv4, like Go', async () => {
  const ca = await createSelfSignedCA({ subject: { CN: 'ca' }, key: caKey });
  const leaf = await signCertificate({ ca: { cert: ca.pem, key: caKey }, publicKey: leafKey, subject: { CN: 'x' }, sans: { ip: ['::ffff:10.1.2.3', 'fd00::1'] }, keyUsage: ['digitalSignature'] });
  assert.deepEqual(inspectCertificate(leaf.pem).sans.ip, ['10.1.2.3', 'fd00::1']);
});

test('signCertificate refuses a CA certificate that is a leaf or may not sign certificates', async () => {
  const ca = await createSelfSignedCA({ subject: { CN: 'ca' }, key: caKey });
  const leaf = await signCertificate({ ca: { cert: ca.pem, key: caKey }, publicKey: leafKey, subject: { CN: 'leaf' }, keyUsage: ['digitalSignature'] });
  await assert.rejects(signCertificate({ ca: { cert: leaf.pem, key: leafKey }, publicKey: caKey, subject: { CN: 'x' } }), { code: 'INVALID_CERTIFICATE', message: /not a CA/ });
  const noCertSign = await createSelfSignedCA({ subject: { CN: 'ca2' }, key: caKey, keyUsage: ['digitalSignature'] });
  await assert.rejects(signCertificate({ ca: { cert: noCertSign.pem, key: caKey }, publicKey: leafKey, subject: { CN: 'x' } }), { code: 'INVALID_CERTIFICATE', message: /lacks Certificate Sign/ });
});
