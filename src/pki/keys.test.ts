import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeKey, encodePrivateKeyPem, encodePublicKeyPem, generateKey, parsePrivateKeyPem, validateKeySpec, type KeySpec } from './keys.ts';
import { decodePem } from './pem.ts';

const SPECS = [
  { spec: { algo: 'rsa', size: 2048 }, native: 'RSA PRIVATE KEY' },
  { spec: { algo: 'rsa', size: 3072 }, native: 'RSA PRIVATE KEY' },
  { spec: { algo: 'ecdsa', size: 256 }, native: 'EC PRIVATE KEY' },
  { spec: { algo: 'ecdsa', size: 384 }, native: 'EC PRIVATE KEY' },
  { spec: { algo: 'ecdsa', size: 521 }, native: 'EC PRIVATE KEY' },
] satisfies { spec: KeySpec; native: string }[];

for (const c of SPECS) {
  test(`generateKey ${c.spec.algo}-${c.spec.size}: native PEM is ${c.native}, PKCS#8 and SPKI round-trip`, async () => {
    const key = await generateKey(c.spec);
    assert.deepEqual(describeKey(key.publicKey), c.spec);
    const native = encodePrivateKeyPem(key);
    assert.equal(decodePem(native)[0].type, c.native);
    assert.match(native, /^-----BEGIN [A-Z ]+-----\n([A-Za-z0-9+/=]{64}\n)*[A-Za-z0-9+/=]{1,64}\n-----END [A-Z ]+-----\n$/);
    const pkcs8 = encodePrivateKeyPem(key, 'pkcs8');
    assert.equal(decodePem(pkcs8)[0].type, 'PRIVATE KEY');
    for (const pem of [native, pkcs8]) {
      const back = parsePrivateKeyPem(pem);
      assert.deepEqual({ algo: back.algo, size: back.size }, c.spec);
      assert.equal(encodePublicKeyPem(back), encodePublicKeyPem(key));
    }
    assert.equal(decodePem(encodePublicKeyPem(key))[0].type, 'PUBLIC KEY');
  });
}

test('RSA 4096 generates (signature hash tests rely on it)', async () => {
  const key = await generateKey({ algo: 'rsa', size: 4096 });
  assert.equal(key.size, 4096);
  assert.equal(key.publicKey.asymmetricKeyDetails?.publicExponent, 65537n);
});

const BAD_SPECS = [
  { name: 'RSA 1024', spec: { algo: 'rsa', size: 1024 }, code: 'KEY_TOO_WEAK' },
  { name: 'RSA 16384', spec: { algo: 'rsa', size: 16384 }, code: 'KEY_TOO_LARGE' },
  { name: 'ECDSA 224', spec: { algo: 'ecdsa', size: 224 }, code: 'INVALID_CURVE' },
  { name: 'DSA', spec: { algo: 'dsa', size: 2048 } as unknown as KeySpec, code: 'INVALID_ALGORITHM' },
] satisfies { name: string; spec: KeySpec; code: string }[];

for (const c of BAD_SPECS) {
  test(`validateKeySpec rejects ${c.name} (${c.code})`, async () => {
    assert.throws(() => validateKeySpec(c.spec), { name: 'PkiError', code: c.code });
    await assert.rejects(generateKey(c.spec), { code: c.code });
  });
}

test('parsePrivateKeyPem rejects text without a key and a corrupted key block', () => {
  assert.throws(() => parsePrivateKeyPem('hello'), { code: 'INVALID_KEY' });
  assert.throws(() => parsePrivateKeyPem('-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n'), { code: 'INVALID_KEY', message: /RSA PRIVATE KEY block cannot be parsed/ });
});

test('PKCS#1 refuses EC keys and SEC1 refuses RSA keys', async () => {
  const ec = await generateKey({ algo: 'ecdsa', size: 256 });
  assert.throws(() => encodePrivateKeyPem(ec, 'pkcs1'), { code: 'INVALID_ALGORITHM' });
  const rsa = await generateKey({ algo: 'rsa', size: 2048 });
  assert.throws(() => encodePrivateKeyPem(rsa, 'sec1'), { code: 'INVALID_ALGORITHM' });
});
