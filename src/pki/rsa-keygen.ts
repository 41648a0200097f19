// RSA key generation the way Go's crypto/rsa does it: two random probable primes of half
// the size (node:crypto generatePrime, on the thread pool, both at once), n = p·q with
// exactly the requested bit length, e = 65537, d = e⁻¹ mod (p−1)(q−1) and the CRT values.
// OpenSSL 3.0's own RSA key generation (generateKeyPair) follows FIPS 186-4's auxiliary-
// prime method, about 2.5× slower per key on this machine; a kubeadm tree makes 11 keys.
import { createPrivateKey, createPublicKey, generatePrime, sign, verify, type KeyObject } from 'node:crypto';
import { PkiError } from './errors.ts';

function generatePrimeAsync(bits: number): Promise<bigint> {
  return new Promise((resolve, reject) => generatePrime(bits, { bigint: true }, (err, p) => (err ? reject(err) : resolve(p))));
}

export const RSA_PUBLIC_EXPONENT = 65537n;
/** Attempts at a usable prime pair before giving up (each fails with probability ≪ 1%). */
const MAX_ATTEMPTS = 16;

function modInverse(a: bigint, m: bigint): bigint | undefined {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) return undefined;
  return ((oldS % m) + m) % m;
}

function bitLength(n: bigint): number {
  return n.toString(2).length;
}

function b64url(n: bigint): string {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex').toString('base64url');
}

async function prime(bits: number): Promise<bigint> {
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    const p = await generatePrimeAsync(bits);
    // e must be invertible mod p−1, and the top two bits set so that p·q has 2·bits bits
    if ((p - 1n) % RSA_PUBLIC_EXPONENT !== 0n && p >> BigInt(bits - 2) === 3n) return p;
  }
  throw new PkiError('INVALID_KEY', `RSA key generation: no usable ${bits}-bit prime in ${MAX_ATTEMPTS} attempts`);
}

/** The private key object of p, q (and e = 65537), with every CRT value. */
export function rsaKeyFromPrimes(p: bigint, q: bigint): KeyObject {
  const n = p * q;
  const phi = (p - 1n) * (q - 1n);
  const d = modInverse(RSA_PUBLIC_EXPONENT, phi);
  const qi = modInverse(q, p);
  if (d === undefined || qi === undefined) throw new PkiError('INVALID_KEY', 'RSA key generation: e or q is not invertible');
  return createPrivateKey({
    key: { kty: 'RSA', n: b64url(n), e: b64url(RSA_PUBLIC_EXPONENT), d: b64url(d), p: b64url(p), q: b64url(q), dp: b64url(d % (p - 1n)), dq: b64url(d % (q - 1n)), qi: b64url(qi) },
    format: 'jwk',
  });
}

/** An RSA key of `bits` bits (even, ≥ 1024): { privateKey, publicKey }, checked by a signature round trip. */
export async function generateRsaKeyPair(bits: number): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  const half = bits / 2;
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    const [p, q] = await Promise.all([prime(half), prime(half)]);
    // distinct, and far apart (FIPS 186-4: |p − q| > 2^(bits/2 − 100)); n of exactly `bits` bits
    const diff = p > q ? p - q : q - p;
    if (diff >> BigInt(half - 100) === 0n || bitLength(p * q) !== bits) continue;
    const privateKey = rsaKeyFromPrimes(p, q);
    const publicKey = createPublicKey(privateKey);
    const probe = Buffer.from('kagg rsa key check');
    if (!verify('sha256', probe, publicKey, sign('sha256', probe, privateKey))) throw new PkiError('INVALID_KEY', 'RSA key generation: the new key fails a signature round trip');
    return { privateKey, publicKey };
  }
  throw new PkiError('INVALID_KEY', `RSA key generation: no usable prime pair in ${MAX_ATTEMPTS} attempts`);
}
