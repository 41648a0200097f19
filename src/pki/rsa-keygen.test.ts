// RSA keys from two primes: the size and exponent asked for, consistent CRT values, and a
// PKCS#1 round trip (test/e2e/rsa-keygen-openssl.test.ts has OpenSSL check them too).
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { test } from 'node:test';
import { generateKey } from './keys.ts';
import { generateRsaKeyPair, RSA_PUBLIC_EXPONENT } from './rsa-keygen.ts';

const fromB64url = (s: string | undefined) => BigInt(`0x${Buffer.from(s ?? '', 'base64url').toString('hex') || '0'}`);

for (const bits of [2048, 3072]) {
  test(`${bits}-bit keys: size, exponent, n = p·q, e·d ≡ 1 mod (p−1)(q−1), CRT values, signatures`, async () => {
    const { privateKey, publicKey } = await generateRsaKeyPair(bits);
    assert.equal(privateKey.asymmetricKeyDetails?.modulusLength, bits);
    assert.equal(privateKey.asymmetricKeyDetails?.publicExponent, RSA_PUBLIC_EXPONENT);
    const jwk = privateKey.export({ format: 'jwk' });
    const [n, e, d, p, q, dp, dq, qi] = [jwk.n, jwk.e, jwk.d, jwk.p, jwk.q, jwk.dp, jwk.dq, jwk.qi].map(fromB64url);
    assert.equal(p * q, n);
    assert.equal(n.toString(2).length, bits);
    assert.equal((e * d) % ((p - 1n) * (q - 1n)), 1n);
    assert.equal(dp, d % (p - 1n));
    assert.equal(dq, d % (q - 1n));
    assert.equal((q * qi) % p, 1n);
    assert.notEqual(p, q);
    const data = Buffer.from('payload');
    assert.ok(verify('sha256', data, publicKey, sign('sha256', data, privateKey)));
    const pkcs1 = privateKey.export({ format: 'pem', type: 'pkcs1' });
    assert.deepEqual(createPrivateKey(pkcs1).export({ format: 'jwk' }), jwk);
    assert.equal(createPublicKey(pkcs1).export({ format: 'pem', type: 'spki' }), publicKey.export({ format: 'pem', type: 'spki' }));
  });
}

test('every key is new', async () => {
  const keys = await Promise.all(Array.from({ length: 6 }, () => generateRsaKeyPair(2048)));
  const moduli = new Set(keys.map((k) => k.publicKey.export({ format: 'jwk' }).n));
  assert.equal(moduli.size, 6);
});

test('sizes outside the prime-pair path still come from OpenSSL (odd size)', async () => {
  const key = await generateKey({ algo: 'rsa', size: 2050 });
  assert.equal(key.privateKey.asymmetricKeyDetails?.modulusLength, 2050);
});
