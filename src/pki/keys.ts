// Private keys: generation on node:crypto's thread pool, PEM in and out (PKCS#1, SEC1,
// PKCS#8, SPKI), and the size rules cfssl applies to requested keys.
import { X509Certificate, createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { PkiError } from './errors.ts';
import { decodePem, encodePem } from './pem.ts';

const generateKeyPairAsync = promisify(generateKeyPair);

export type KeyAlgorithm = 'rsa' | 'ecdsa';

/** What to generate: RSA modulus bits, or the ECDSA curve size (256 = P-256, 384, 521). */
export interface KeySpec {
  algo: KeyAlgorithm;
  size: number;
}

/** A private key with its public half and what it is. */
export interface PrivateKey {
  algo: KeyAlgorithm;
  size: number;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export type PrivateKeyFormat = 'native' | 'pkcs1' | 'sec1' | 'pkcs8';

/** ECDSA curve size ↔ names used by node:crypto (generation) and by WebCrypto / OpenSSL. */
export const EC_CURVES = {
  256: { node: 'prime256v1', web: 'P-256' },
  384: { node: 'secp384r1', web: 'P-384' },
  521: { node: 'secp521r1', web: 'P-521' },
} as const;

export type EcCurveSize = keyof typeof EC_CURVES;

export const RSA_MIN_BITS = 2048;
export const RSA_MAX_BITS = 8192;

/** cfssl's key request rules (csr.KeyRequest.Generate): RSA 2048–8192 bits, ECDSA 256/384/521. */
export function validateKeySpec(spec: KeySpec): void {
  if (spec.algo === 'rsa') {
    if (!Number.isInteger(spec.size) || spec.size < RSA_MIN_BITS) throw new PkiError('KEY_TOO_WEAK', `RSA key is too weak (${spec.size} bits; at least ${RSA_MIN_BITS})`);
    if (spec.size > RSA_MAX_BITS) throw new PkiError('KEY_TOO_LARGE', `RSA key size too large (${spec.size} bits; at most ${RSA_MAX_BITS})`);
    return;
  }
  if (spec.algo === 'ecdsa') {
    if (!(spec.size in EC_CURVES)) throw new PkiError('INVALID_CURVE', `invalid curve: ECDSA size ${spec.size} (use 256, 384 or 521)`);
    return;
  }
  throw new PkiError('INVALID_ALGORITHM', `invalid algorithm "${String(spec.algo)}" (use rsa or ecdsa)`);
}

/** Generates a key on the libuv thread pool, so several keys can be made in parallel. */
export async function generateKey(spec: KeySpec): Promise<PrivateKey> {
  validateKeySpec(spec);
  const { privateKey, publicKey } =
    spec.algo === 'rsa'
      ? await generateKeyPairAsync('rsa', { modulusLength: spec.size, publicExponent: 0x10001 })
      : await generateKeyPairAsync('ec', { namedCurve: EC_CURVES[spec.size as EcCurveSize].node });
  return { algo: spec.algo, size: spec.size, privateKey, publicKey };
}

/** Algorithm and size of a public or private key object; PkiError for anything else. */
export function describeKey(key: KeyObject): KeySpec {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') return { algo: 'rsa', size: details.modulusLength ?? 0 };
  if (key.asymmetricKeyType === 'ec') {
    for (const [size, names] of Object.entries(EC_CURVES)) {
      if (names.node === details.namedCurve) return { algo: 'ecdsa', size: Number(size) };
    }
    throw new PkiError('INVALID_CURVE', `unsupported curve ${details.namedCurve ?? '(unknown)'}`);
  }
  throw new PkiError('INVALID_ALGORITHM', `unsupported key type ${key.asymmetricKeyType ?? '(unknown)'}`);
}

/** Wraps a node private KeyObject (RSA or EC) as a PrivateKey. */
export function privateKeyFromObject(privateKey: KeyObject): PrivateKey {
  const spec = describeKey(privateKey);
  return { ...spec, privateKey, publicKey: createPublicKey(privateKey) };
}

const PRIVATE_KEY_TYPES = ['RSA PRIVATE KEY', 'EC PRIVATE KEY', 'PRIVATE KEY'];

/** Parses the first private key block of a PEM text: PKCS#1, SEC1 or unencrypted PKCS#8. */
export function parsePrivateKeyPem(pem: string | Buffer): PrivateKey {
  const text = typeof pem === 'string' ? pem : pem.toString('utf8');
  const block = decodePem(text).find((b) => PRIVATE_KEY_TYPES.includes(b.type));
  if (!block) throw new PkiError('INVALID_KEY', 'no RSA PRIVATE KEY, EC PRIVATE KEY or PRIVATE KEY PEM block found');
  let key: KeyObject;
  try {
    const type = block.type === 'RSA PRIVATE KEY' ? 'pkcs1' : block.type === 'EC PRIVATE KEY' ? 'sec1' : 'pkcs8';
    key = createPrivateKey({ key: block.der, format: 'der', type });
  } catch (err) {
    throw new PkiError('INVALID_KEY', `the ${block.type} block cannot be parsed: ${(err as Error).message}`, { cause: err });
  }
  return privateKeyFromObject(key);
}

/**
 * PEM of a private key. `native` (the default) is what cfssl and kubeadm write: PKCS#1
 * `RSA PRIVATE KEY` for RSA, SEC1 `EC PRIVATE KEY` for ECDSA.
 */
export function encodePrivateKeyPem(key: PrivateKey, format: PrivateKeyFormat = 'native'): string {
  const type = format === 'native' ? (key.algo === 'rsa' ? 'pkcs1' : 'sec1') : format;
  if (type === 'pkcs1' && key.algo !== 'rsa') throw new PkiError('INVALID_ALGORITHM', 'PKCS#1 holds RSA keys only');
  if (type === 'sec1' && key.algo !== 'ecdsa') throw new PkiError('INVALID_ALGORITHM', 'SEC1 holds EC keys only');
  const der = key.privateKey.export({ format: 'der', type });
  const label = type === 'pkcs1' ? 'RSA PRIVATE KEY' : type === 'sec1' ? 'EC PRIVATE KEY' : 'PRIVATE KEY';
  return encodePem(label, der);
}

/** SubjectPublicKeyInfo DER of a key (the public half of a PrivateKey, or a public KeyObject). */
export function publicKeyDer(key: PrivateKey | KeyObject): Buffer {
  const pub = isPrivateKey(key) ? key.publicKey : key.type === 'public' ? key : createPublicKey(key);
  return pub.export({ format: 'der', type: 'spki' });
}

/** Tells a PrivateKey from a node KeyObject. */
export function isPrivateKey(key: PrivateKey | KeyObject): key is PrivateKey {
  return 'algo' in key && 'privateKey' in key;
}

/** SPKI PEM `PUBLIC KEY` (kubeadm's `sa.pub`). */
export function encodePublicKeyPem(key: PrivateKey | KeyObject): string {
  return encodePem('PUBLIC KEY', publicKeyDer(key));
}

/** True when `key` is the private half of the certificate's public key. */
export function privateKeyMatchesCert(key: PrivateKey, certPem: string | Buffer): boolean {
  try {
    return new X509Certificate(certPem).checkPrivateKey(key.privateKey);
  } catch {
    return false;
  }
}
