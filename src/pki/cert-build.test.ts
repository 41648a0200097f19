// The DER certificate builder against @peculiar/x509's generator (the oracle; the builder
// replaced it on the signing path): the same TBSCertificate byte for byte over a table of
// profiles, the same whole certificate for RSA (PKCS#1 v1.5 signatures are deterministic),
// and signatures that node:crypto and openssl-compatible parsers verify.
import 'reflect-metadata';
import * as px from '@peculiar/x509';
import assert from 'node:assert/strict';
import { X509Certificate, webcrypto } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { buildCertificate, encodeTbsCertificate } from './cert-build.ts';
import { children, readTlv } from './der.ts';
import { ipBytes } from './der-write.ts';
import { generateKey, type PrivateKey } from './keys.ts';
import { extKeyUsageOid, sortKeyUsage } from './usages.ts';
import { KU_FLAGS, encodeName, parseCertificateDer, type CertificateBuildInput, type ExtensionsInput, type HashName } from './x509.ts';

px.cryptoProvider.set(webcrypto as unknown as Crypto);


/** The previous builder, on @peculiar/x509. */
async function peculiarCertificate(input: CertificateBuildInput): Promise<Buffer> {
  const e = input.extensions;
  const extensions: px.Extension[] = [];
  const ku = sortKeyUsage(e.keyUsage ?? []);
  if (ku.length > 0) extensions.push(new px.KeyUsagesExtension(ku.reduce((acc, n) => acc | KU_FLAGS[n], 0), true));
  if (e.extKeyUsage && e.extKeyUsage.length > 0) extensions.push(new px.ExtendedKeyUsageExtension(e.extKeyUsage.map(extKeyUsageOid), false));
  if (e.basicConstraints) extensions.push(new px.BasicConstraintsExtension(e.basicConstraints.isCA, e.basicConstraints.isCA ? e.basicConstraints.pathLen : undefined, true));
  if (e.subjectKeyId) extensions.push(new px.SubjectKeyIdentifierExtension(Buffer.from(e.subjectKeyId).toString('hex'), false));
  if (e.authorityKeyId) extensions.push(new px.AuthorityKeyIdentifierExtension(Buffer.from(e.authorityKeyId).toString('hex'), false));
  const s = e.sans;
  if (s) {
    const mapped = (v: string) => /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(v)?.[1] ?? v;
    const names: px.JsonGeneralName[] = [
      ...(s.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
      ...(s.email ?? []).map((value) => ({ type: 'email' as const, value })),
      ...(s.ip ?? []).map((value) => ({ type: 'ip' as const, value: mapped(value) })),
      ...(s.uri ?? []).map((value) => ({ type: 'url' as const, value })),
    ];
    if (names.length > 0) extensions.push(new px.SubjectAlternativeNameExtension(names, e.sanCritical ?? false));
  }
  const signer = input.signer;
  const alg = signer.algo === 'rsa' ? { name: 'RSASSA-PKCS1-v1_5', hash: input.hash } : { name: 'ECDSA', namedCurve: 'P-256' };
  const signingKey = await webcrypto.subtle.importKey('pkcs8', signer.privateKey.export({ format: 'der', type: 'pkcs8' }), alg, false, ['sign']);
  let serial = input.serialNumber.toString(16);
  if (serial.length % 2) serial = `0${serial}`;
  const cert = await px.X509CertificateGenerator.create({
    serialNumber: serial,
    subject: new px.Name(new Uint8Array(input.subject).buffer),
    issuer: new px.Name(new Uint8Array(input.issuer).buffer),
    notBefore: input.notBefore,
    notAfter: input.notAfter,
    publicKey: Buffer.from(input.spki),
    signingKey,
    signingAlgorithm: signer.algo === 'rsa' ? { name: 'RSASSA-PKCS1-v1_5' } : { name: 'ECDSA', hash: input.hash },
    extensions,
  });
  return Buffer.from(cert.rawData);
}

const tbsOf = (der: Buffer) => children(readTlv(der).value)[0].raw;

describe('buildCertificate', () => {
  let rsa: PrivateKey;
  let ec: PrivateKey;
  let leafKey: PrivateKey;
  before(async () => {
    [rsa, ec, leafKey] = await Promise.all([generateKey({ algo: 'rsa', size: 2048 }), generateKey({ algo: 'ecdsa', size: 256 }), generateKey({ algo: 'ecdsa', size: 256 })]);
  });

  const subject = encodeName([[{ oid: '2.5.4.3', key: 'CN', value: 'kube-apiserver', stringType: 'printable' }]]);
  const issuer = encodeName([[{ oid: '2.5.4.10', key: 'O', value: 'kubeadm:cluster-admins', stringType: 'utf8' }], [{ oid: '2.5.4.3', key: 'CN', value: 'kubernetes', stringType: 'printable' }]]);
  const keyId = Buffer.alloc(20, 0xab);
  const cases: { name: string; serial: bigint; notBefore: string; notAfter: string; hash: HashName; emptySubject?: boolean; extensions: ExtensionsInput }[] = [
    { name: 'kubeadm CA', serial: 0x7fffffffffffffffn - 5n, notBefore: '2026-11-28T10:00:00Z', notAfter: '2036-11-26T10:00:00Z', hash: 'SHA-256', extensions: { keyUsage: ['digitalSignature', 'keyEncipherment', 'keyCertSign'], basicConstraints: { isCA: true }, subjectKeyId: keyId, sans: { dns: ['kubernetes'] } } },
    { name: 'kubeadm serving leaf', serial: 0x1234n, notBefore: '2026-11-28T10:00:00Z', notAfter: '2027-11-28T10:00:00Z', hash: 'SHA-256', extensions: { keyUsage: ['keyEncipherment', 'digitalSignature'], extKeyUsage: ['serverAuth'], basicConstraints: { isCA: false }, authorityKeyId: keyId, sans: { dns: ['n1', 'kubernetes.default.svc.cluster.local'], ip: ['10.96.0.1', '127.0.0.1', '::1', 'fd00::10:2', '::ffff:192.0.2.7'] } } },
    { name: 'serial with its high bit set (20 bytes)', serial: (1n << 159n) + 17n, notBefore: '2049-12-31T23:59:59Z', notAfter: '2050-01-01T00:00:00Z', hash: 'SHA-384', extensions: { keyUsage: ['cRLSign', 'keyCertSign'], basicConstraints: { isCA: true, pathLen: 0 } } },
    { name: 'every key usage, EKU OIDs, e-mail and URI SANs', serial: 0x80n, notBefore: '1950-01-01T00:00:00Z', notAfter: '2100-06-30T12:30:45Z', hash: 'SHA-512', extensions: { keyUsage: ['digitalSignature', 'contentCommitment', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'], extKeyUsage: ['clientAuth', '1.3.6.1.4.1.311.10.3.3', 'any'], basicConstraints: { isCA: true, pathLen: 300 }, sans: { email: ['a@example.com'], uri: ['spiffe://cluster.local/ns/x'] } } },
    { name: 'empty subject, critical SAN', serial: 1n, notBefore: '2026-01-01T00:00:00Z', notAfter: '2026-01-02T00:00:00Z', hash: 'SHA-1', emptySubject: true, extensions: { keyUsage: ['keyAgreement'], sans: { dns: ['only.example'] }, sanCritical: true } },
  ];

  for (const c of cases) {
    const input = (signer: PrivateKey): CertificateBuildInput => ({
      serialNumber: c.serial,
      subject: c.emptySubject ? encodeName([]) : subject,
      issuer,
      notBefore: new Date(c.notBefore),
      notAfter: new Date(c.notAfter),
      spki: leafKey.publicKey.export({ format: 'der', type: 'spki' }),
      signer,
      hash: c.hash,
      extensions: c.extensions,
    });

    test(`${c.name}: RSA signer, the same certificate as @peculiar/x509 byte for byte`, async () => {
      const ours = await buildCertificate(input(rsa));
      assert.equal(ours.toString('hex'), (await peculiarCertificate(input(rsa))).toString('hex'));
      assert.ok(new X509Certificate(ours).verify(rsa.publicKey), 'signature verifies');
    });

    test(`${c.name}: ECDSA signer, the same TBSCertificate, a signature that verifies`, async () => {
      const ours = await buildCertificate(input(ec));
      assert.equal(tbsOf(ours).toString('hex'), tbsOf(await peculiarCertificate(input(ec))).toString('hex'));
      assert.equal(tbsOf(ours).toString('hex'), encodeTbsCertificate(input(ec)).toString('hex'));
      assert.ok(new X509Certificate(ours).verify(ec.publicKey), 'signature verifies');
      const parsed = parseCertificateDer(ours);
      assert.equal(parsed.serialNumber, c.serial);
      assert.equal(parsed.notAfter.toISOString(), new Date(c.notAfter).toISOString());
    });
  }

  // RFC 5280 extensions are SIZE (1..MAX): with none the [3] field is left out, as Go does
  // (@peculiar/x509 wrote an empty one). sign.ts always sends basicConstraints anyway.
  test('no extensions: no [3] field', async () => {
    const der = await buildCertificate({ serialNumber: 99n, subject, issuer, notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2026-01-02T00:00:00Z'), spki: leafKey.publicKey.export({ format: 'der', type: 'spki' }), signer: ec, hash: 'SHA-256', extensions: {} });
    const fields = children(readTlv(tbsOf(der)).value);
    assert.equal(fields.length, 7);
    assert.equal(fields.at(-1)?.tag, 0x30, 'ends with the SubjectPublicKeyInfo');
    assert.ok(new X509Certificate(der).verify(ec.publicKey));
  });

  test('a serial that is not positive is refused', async () => {
    await assert.rejects(buildCertificate({ ...{ serialNumber: 0n, subject, issuer, notBefore: new Date(), notAfter: new Date(), spki: leafKey.publicKey.export({ format: 'der', type: 'spki' }), signer: ec, hash: 'SHA-256', extensions: {} } }), /serial number must be positive/);
  });
});

describe('ipBytes', () => {
  const cases: [string, string][] = [
    ['10.96.0.1', '0a600001'],
    ['::1', '00000000000000000000000000000001'],
    ['::', '00000000000000000000000000000000'],
    ['fd00::10:2', 'fd000000000000000000000000100002'],
    ['2001:db8:0:0:1:0:0:1', '20010db8000000000001000000000001'],
    ['::ffff:192.0.2.7', '00000000000000000000ffffc0000207'],
    ['1::', '00010000000000000000000000000000'],
    // @peculiar/x509 wrote 2001:db8::192 here; Go's net.ParseIP reads the trailing IPv4 part
    ['2001:db8::192.0.2.1', '20010db80000000000000000c0000201'],
  ];
  for (const [ip, hex] of cases) test(ip, () => assert.equal(ipBytes(ip).toString('hex'), hex));
  test('not an IP', () => assert.throws(() => ipBytes('example.com'), /invalid IP address/));
});
