// PEM and DER input (src/pki/{pem,der,x509,inspect}.ts): armour round trips, and arbitrary or
// mutated bytes are either parsed or refused with a PkiError, never another exception.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import fc from 'fast-check';
import { PkiError } from '../../src/pki/errors.ts';
import { children, readTlv } from '../../src/pki/der.ts';
import { inspectCertificate } from '../../src/pki/inspect.ts';
import { createSelfSignedCA, generateKey, parsePrivateKeyPem } from '../../src/pki/mod.ts';
import { decodeFirstPem, decodePem, encodePem } from '../../src/pki/pem.ts';
import { parseCertificateDer } from '../../src/pki/x509.ts';
import { RUNS } from './runs.ts';

const pemType = fc.constantFrom('CERTIFICATE', 'PRIVATE KEY', 'EC PRIVATE KEY', 'RSA PRIVATE KEY', 'CERTIFICATE REQUEST', 'PUBLIC KEY');
const bytes = fc.uint8Array({ maxLength: 300 });

function onlyPkiError(what: string, fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof PkiError, `${what}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  }
}

test('encodePem then decodePem returns every block, in order, with Go\'s line layout', () => {
  fc.assert(fc.property(fc.array(fc.tuple(pemType, bytes), { maxLength: 4 }), fc.constantFrom('', 'junk\n', '\r\n'), (blocks, sep) => {
    const text = blocks.map(([t, d]) => encodePem(t, d)).join(sep);
    for (const line of text.split('\n')) assert.ok(line.length <= 64 || line.startsWith('-----'), line);
    assert.deepEqual(decodePem(text).map((b) => [b.type, new Uint8Array(b.der)]), blocks.map(([t, d]) => [t, d]));
  }), { numRuns: RUNS });
});

test('decodePem tolerates CRLF line ends and finds the first block of a wanted type', () => {
  fc.assert(fc.property(bytes, bytes, (a, b) => {
    const text = (encodePem('PUBLIC KEY', a) + encodePem('CERTIFICATE', b)).replaceAll('\n', '\r\n');
    assert.deepEqual(new Uint8Array(decodeFirstPem(text, ['CERTIFICATE']).der), b);
    assert.throws(() => decodeFirstPem(text, ['PRIVATE KEY']), (err: unknown) => err instanceof PkiError && err.code === 'INVALID_PEM');
  }), { numRuns: RUNS });
});

test('readTlv/children on arbitrary bytes: elements or PkiError', () => {
  fc.assert(fc.property(bytes, (buf) => {
    onlyPkiError('readTlv', () => children(readTlv(Buffer.from(buf)).value));
  }), { numRuns: RUNS * 2 });
});

let certDer: Buffer = Buffer.alloc(0);
let certPem = '';
let keyPem = '';
before(async () => {
  const key = await generateKey({ algo: 'ecdsa', size: 256 });
  const ca = await createSelfSignedCA({ key, subject: { CN: 'prop-ca' }, expiry: '1h' });
  certPem = ca.pem;
  certDer = decodeFirstPem(certPem, ['CERTIFICATE']).der;
  const { encodePrivateKeyPem } = await import('../../src/pki/keys.ts');
  keyPem = encodePrivateKeyPem(key, 'pkcs8');
});

// Regression: `Error: Data does not match to SpecifiedECDomain ASN1 schema.` (@peculiar's
// asn1-schema) escaped parseCertificateDer for some single-byte changes.
test('a certificate with one byte changed, truncated or extended parses or is a PkiError', () => {
  const mutation = fc.oneof(
    fc.tuple(fc.constant('flip' as const), fc.nat(), fc.integer({ min: 1, max: 255 })),
    fc.tuple(fc.constant('cut' as const), fc.nat(), fc.constant(0)),
    fc.tuple(fc.constant('grow' as const), fc.nat({ max: 16 }), fc.integer({ min: 0, max: 255 })),
  );
  fc.assert(fc.property(mutation, ([kind, at, v]) => {
    let der = Buffer.from(certDer);
    if (kind === 'flip') der[at % der.length] ^= v;
    else if (kind === 'cut') der = der.subarray(0, at % der.length);
    else der = Buffer.concat([der, Buffer.alloc(at + 1, v)]);
    onlyPkiError(`${kind}@${at}`, () => parseCertificateDer(der));
  }), { numRuns: RUNS });
});

// Regression: a long-form length whose length bytes are missing ([0x30, 0x81]) returned a TLV
// with NaN length and end instead of refusing the truncated input.
test('readTlv refuses a long-form length cut short', () => {
  for (const bytes of [[0x30, 0x81], [0x30, 0x82, 0x01], [0x04, 0x84, 0, 0, 0]]) {
    assert.throws(() => readTlv(Buffer.from(bytes)), (err: unknown) => err instanceof PkiError, JSON.stringify(bytes));
  }
});

// Regression: `Error: error:0680006A:asn1 encoding routines::boolean is wrong length` (OpenSSL's
// text from node:crypto's X509Certificate) escaped inspectCertificate for a certificate whose
// basicConstraints BOOLEAN length byte was changed; expected PkiError(INVALID_CERTIFICATE).
test('inspectCertificate on a mutated certificate is a PkiError', () => {
  fc.assert(fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), (at, v) => {
    const der = Buffer.from(certDer);
    der[at % der.length] ^= v;
    onlyPkiError(`flip@${at % der.length}`, () => inspectCertificate(encodePem('CERTIFICATE', der)));
  }), { numRuns: RUNS });
});

test('arbitrary bytes as a certificate or a private key: parsed or PkiError', () => {
  fc.assert(fc.property(bytes, fc.constantFrom('EC PRIVATE KEY', 'PRIVATE KEY', 'RSA PRIVATE KEY'), (der, type) => {
    onlyPkiError('parseCertificateDer', () => parseCertificateDer(der));
    onlyPkiError('parsePrivateKeyPem', () => parsePrivateKeyPem(encodePem(type, der)));
    onlyPkiError('inspectCertificate', () => inspectCertificate(Buffer.from(der)));
  }), { numRuns: RUNS });
});

test('the intact fixtures parse (the mutations above start from valid input)', () => {
  assert.equal(parseCertificateDer(certDer).subject.length > 0, true);
  assert.equal(typeof parsePrivateKeyPem(keyPem), 'object');
  assert.equal(inspectCertificate(certPem).subject.CN, 'prop-ca');
});
