// The one module that wraps jose: service-account key loading, signing and verification.
import { createHash, createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { SignJWT, decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';

export type { JWTPayload };

export interface VerifyKey {
  kid: string;
  key: KeyObject;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

/** Public keys from a --service-account-key-file: public keys, private keys or certificates. */
export function parsePublicKeys(pem: string, source = 'key file'): VerifyKey[] {
  const out: VerifyKey[] = [];
  for (const m of pem.matchAll(PEM_BLOCK)) {
    const label = m[1];
    let key: KeyObject;
    if (label === 'CERTIFICATE') key = new X509Certificate(m[0]).publicKey;
    else if (label.includes('PRIVATE KEY')) key = createPublicKey(createPrivateKey(m[0]));
    else if (label.includes('PUBLIC KEY')) key = createPublicKey(m[0]);
    else continue;
    out.push({ kid: keyId(key), key });
  }
  if (out.length === 0) throw new Error(`${source}: no public key, private key or certificate found`);
  return out;
}

/** The signing key from --service-account-signing-key-file (PKCS#1, PKCS#8 or SEC1 PEM). */
export function parseSigningKey(pem: string): { kid: string; key: KeyObject; alg: string } {
  const key = createPrivateKey(pem);
  const pub = createPublicKey(key);
  return { kid: keyId(pub), key, alg: algorithmOf(pub) };
}

/** kube-apiserver's key id: base64url(SHA-256(DER SPKI)). */
export function keyId(pub: KeyObject): string {
  return createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest('base64url');
}

export function algorithmOf(key: KeyObject): string {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    return curve === 'secp384r1' ? 'ES384' : curve === 'secp521r1' ? 'ES512' : 'ES256';
  }
  throw new Error(`unsupported service account key type ${key.asymmetricKeyType}`);
}

export async function signJwt(payload: JWTPayload, signer: { kid: string; key: KeyObject; alg: string }): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: signer.alg, kid: signer.kid }).sign(signer.key);
}

/** The unverified payload, or undefined when the text is not a JWT. */
export function peekJwt(token: string): JWTPayload | undefined {
  try {
    decodeProtectedHeader(token);
    return decodeJwt(token);
  } catch {
    return undefined;
  }
}

export interface JwtVerifyOptions {
  issuer: string;
  /** Accept when any audience matches; undefined skips the audience check. */
  audiences?: string[];
  now?: Date;
  /** Legacy secret-based tokens carry no `exp`. Default true. */
  requireExpiry?: boolean;
}

/** Verifies against the key with the token's kid (or each key); returns the payload or an Error. */
export async function verifyJwt(token: string, keys: readonly VerifyKey[], options: JwtVerifyOptions): Promise<JWTPayload | Error> {
  let kid: string | undefined;
  let alg: string | undefined;
  try {
    ({ kid, alg } = decodeProtectedHeader(token));
  } catch {
    return new Error('invalid token');
  }
  // Only keys that can carry the token's algorithm; the one with its kid first.
  const usable = keys.filter((k) => {
    try {
      return algorithmOf(k.key).slice(0, 2) === alg?.slice(0, 2) && (alg.startsWith('RS') || algorithmOf(k.key) === alg);
    } catch {
      return false;
    }
  });
  const order = [...usable.filter((k) => k.kid === kid), ...usable.filter((k) => k.kid !== kid)];
  let last: Error = new Error('invalid signature');
  for (const k of order) {
    try {
      const { payload } = await jwtVerify(token, k.key, {
        issuer: options.issuer,
        audience: options.audiences,
        currentDate: options.now,
        algorithms: ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'],
        requiredClaims: options.requireExpiry === false ? [] : ['exp'],
      });
      return payload;
    } catch (err) {
      if (err instanceof joseErrors.JWSSignatureVerificationFailed) {
        last = new Error('invalid signature');
        continue;
      }
      if (err instanceof joseErrors.JWTExpired) return new Error('service account token has expired');
      if (err instanceof joseErrors.JWTClaimValidationFailed) {
        return new Error(err.claim === 'aud' ? 'token audiences is invalid' : `invalid token: ${err.message}`);
      }
      last = err instanceof Error ? err : new Error(String(err));
    }
  }
  return last;
}
