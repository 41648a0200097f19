// readIssuerFields against the full parse (parseCertificateDer) over the CAs and leaves the
// library makes, and undefined (the full parse decides) for what it does not read.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { readIssuerFields } from './issuer-fields.ts';
import { generateKey, type PrivateKey } from './keys.ts';
import { decodeFirstPem } from './pem.ts';
import { createSelfSignedCA, signCertificate } from './sign.ts';
import { parseCertificateDer } from './x509.ts';

let caKey: PrivateKey;
let rsaKey: PrivateKey;
before(async () => {
  [caKey, rsaKey] = await Promise.all([generateKey({ algo: 'ecdsa', size: 256 }), generateKey({ algo: 'rsa', size: 2048 })]);
});

const der = (pem: string) => decodeFirstPem(pem, ['CERTIFICATE']).der;

test('the fields of CAs and leaves are those of the full parse', async () => {
  const certs = [
    await createSelfSignedCA({ key: caKey, subject: { CN: 'ca', O: ['kagg'] }, keyUsage: ['digitalSignature', 'keyEncipherment', 'keyCertSign'] }),
    await createSelfSignedCA({ key: rsaKey, subject: { CN: 'ca-path' }, pathLen: 2, keyUsage: ['keyCertSign', 'cRLSign', 'decipherOnly'] }),
    await createSelfSignedCA({ key: caKey, subject: { CN: 'ca-path0' }, pathLen: 0, subjectKeyIdentifier: false }),
  ];
  certs.push(await signCertificate({ ca: { cert: certs[0].pem, key: caKey }, publicKey: rsaKey, subject: { CN: 'leaf' }, keyUsage: ['digitalSignature'], extKeyUsage: ['serverAuth'], sans: { dns: ['a'] } }));
  for (const cert of certs) {
    const full = parseCertificateDer(cert.der);
    const fast = readIssuerFields(cert.der);
    assert.ok(fast);
    assert.deepEqual(fast.subjectDer, full.subjectDer);
    assert.deepEqual(fast.basicConstraints, full.extensions.basicConstraints);
    assert.deepEqual(fast.keyUsage, full.extensions.keyUsage);
    assert.deepEqual(fast.subjectKeyId, full.extensions.subjectKeyId);
  }
});

test('bytes that are not a certificate give undefined', async () => {
  const good = der((await createSelfSignedCA({ key: caKey, subject: { CN: 'ca' } })).pem);
  assert.equal(readIssuerFields(Buffer.from('not a certificate')), undefined);
  assert.equal(readIssuerFields(good.subarray(0, good.length - 10)), undefined);
  const flipped = Buffer.from(good);
  flipped[4] ^= 0xff;
  assert.equal(readIssuerFields(flipped), undefined);
});
