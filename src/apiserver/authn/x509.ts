// Client-certificate authentication (k8s.io/apiserver pkg/authentication/request/x509):
// `verifyClientCert` checks the presented chain against one CA pool and hands the verified
// leaf to `inner`; `commonNameUser` turns CN into the user name and O into groups.
import { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AuthResult, Authenticator } from './authenticator.ts';
import { peerCertificatesOf, verifyChain, subjectValues, type CertPool } from './cert-pool.ts';

export interface ClientCertOptions {
  /** The trusted roots; a function so a reloaded bundle takes effect. Empty: no opinion. */
  pool: CertPool | (() => CertPool);
  now?: () => Date;
}

export type VerifiedCertHandler = (req: IncomingMessage, leaf: X509Certificate) => Promise<AuthResult | null | Error> | AuthResult | null | Error;

/**
 * No client certificate, or no roots: `null`. A chain that does not verify (unknown
 * authority, expired, wrong key usage): an Error. Otherwise whatever `inner` says.
 */
export function verifyClientCert(options: ClientCertOptions, inner: VerifiedCertHandler): Authenticator {
  return async function clientCert(req) {
    const chain = peerCertificatesOf(req);
    if (chain.length === 0) return null;
    const pool = typeof options.pool === 'function' ? options.pool() : options.pool;
    if (pool.length === 0) return null;
    const err = verifyChain(chain[0], chain.slice(1), pool, { now: options.now?.() });
    if (err) return err;
    return inner(req, chain[0]);
  };
}

export const CREDENTIAL_ID_EXTRA = 'authentication.kubernetes.io/credential-id';

/** CN → name, every O → groups, the certificate's SHA-256 as credential id. */
export function commonNameUser(_req: IncomingMessage, leaf: X509Certificate): AuthResult | Error {
  const name = subjectValues(leaf, 'CN')[0] ?? '';
  if (name === '') return new Error('x509: certificate has no common name');
  const fingerprint = leaf.fingerprint256.replace(/:/g, '').toLowerCase();
  return { user: { name, groups: subjectValues(leaf, 'O'), extra: { [CREDENTIAL_ID_EXTRA]: [`X509SHA256=${fingerprint}`] } } };
}

export function createX509Authenticator(options: ClientCertOptions): Authenticator {
  return verifyClientCert(options, commonNameUser);
}
