import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, test } from 'node:test';
import { createSelfSignedCA, generateKey, signCertificate, type CertificateAuthority } from '../../pki/mod.ts';
import { parseCertPool, subjectValues, verifyChain } from './cert-pool.ts';

let root: CertificateAuthority;
let intermediate: CertificateAuthority;
let other: CertificateAuthority;
const DAY = 86_400_000;

async function ca(cn: string, parent?: CertificateAuthority): Promise<CertificateAuthority> {
  const key = await generateKey({ algo: 'ecdsa', size: 256 });
  const cert = parent
    ? await signCertificate({ ca: parent, publicKey: key, subject: { CN: cn }, isCA: true, keyUsage: ['keyCertSign', 'cRLSign'], expiry: '24h' })
    : await createSelfSignedCA({ key, subject: { CN: cn }, expiry: '24h' });
  return { cert: cert.pem, key };
}

async function leaf(issuer: CertificateAuthority, o: { eku?: string[]; notBefore?: Date; notAfter?: Date } = {}): Promise<X509Certificate> {
  const key = await generateKey({ algo: 'ecdsa', size: 256 });
  const cert = await signCertificate({ ca: issuer, publicKey: key, subject: { CN: 'jane', O: ['devs', 'qa'] }, extKeyUsage: o.eku ?? ['clientAuth'], expiry: '1h', notBefore: o.notBefore, notAfter: o.notAfter });
  return new X509Certificate(cert.pem);
}

before(async () => {
  root = await ca('root');
  intermediate = await ca('intermediate', root);
  other = await ca('other');
});

test('parseCertPool: every block; none is an error', () => {
  assert.equal(parseCertPool(`${root.cert}\n${other.cert}`).length, 2);
  assert.throws(() => parseCertPool('nothing', 'ca.crt'), /ca\.crt: no CERTIFICATE block/);
});

test('verifyChain cases', async () => {
  const pool = parseCertPool(String(root.cert));
  const inter = new X509Certificate(String(intermediate.cert));
  const cases: [string, X509Certificate, X509Certificate[], RegExp | undefined][] = [
    ['leaf of the root', await leaf(root), [], undefined],
    ['leaf of an intermediate, intermediate presented', await leaf(intermediate), [inter], undefined],
    ['leaf of an intermediate, intermediate missing', await leaf(intermediate), [], /signed by unknown authority/],
    ['leaf of another CA', await leaf(other), [], /signed by unknown authority/],
    ['expired', await leaf(root, { notBefore: new Date(Date.now() - 2 * DAY), notAfter: new Date(Date.now() - DAY) }), [], /expired or is not yet valid: current time .* is after/],
    ['not yet valid', await leaf(root, { notBefore: new Date(Date.now() + DAY), notAfter: new Date(Date.now() + 2 * DAY) }), [], /is before/],
    ['serverAuth only', await leaf(root, { eku: ['serverAuth'] }), [], /incompatible key usage/],
  ];
  for (const [name, cert, chain, want] of cases) {
    const err = verifyChain(cert, chain, pool);
    if (want) assert.match(String(err?.message), want, name);
    else assert.equal(err, undefined, name);
  }
});

test('subjectValues reads CN and every O', async () => {
  const cert = await leaf(root);
  assert.deepEqual(subjectValues(cert, 'CN'), ['jane']);
  assert.deepEqual(subjectValues(cert, 'O').sort(), ['devs', 'qa']);
});

test('verifyChain: remembered outcomes still honour the clock and the pool', async () => {
  const pool = parseCertPool(String(root.cert));
  const cert = await leaf(root);
  assert.equal(verifyChain(cert, [], pool), undefined);
  assert.equal(verifyChain(cert, [], pool), undefined, 'cached');
  assert.match(String(verifyChain(cert, [], pool, { now: new Date(Date.now() + 2 * 3600_000) })?.message), /expired/);
  const otherPool = parseCertPool(String(other.cert));
  assert.match(String(verifyChain(cert, [], otherPool)?.message), /unknown authority/);
  assert.match(String(verifyChain(cert, [], otherPool)?.message), /unknown authority/, 'cached failure');
});
