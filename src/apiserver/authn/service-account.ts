// Service-account tokens (pkg/serviceaccount in kubernetes/kubernetes): bound tokens with a
// `kubernetes.io` claim as TokenRequest issues them, and legacy secret tokens. Verified with
// the --service-account-key-file keys, issuer, audience and expiry; then the ServiceAccount
// (and the bound Pod or Secret) must still exist with the same uid.
import { createVerifiedCache, tokenKey } from './token-cache.ts';
import { randomUUID } from 'node:crypto';
import type { StoredObject } from '../../storage/interface.ts';
import type { TokenAuthenticator } from './authenticator.ts';
import { peekJwt, signJwt, verifyJwt, type JWTPayload, type VerifyKey } from './jwt.ts';
import { SYSTEM_GROUPS, type UserInfo } from './user.ts';
import type { KeyObject } from 'node:crypto';

export const LEGACY_ISSUER = 'kubernetes/serviceaccount';
export const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

export const SA_EXTRA = {
  podName: 'authentication.kubernetes.io/pod-name',
  podUid: 'authentication.kubernetes.io/pod-uid',
  nodeName: 'authentication.kubernetes.io/node-name',
  nodeUid: 'authentication.kubernetes.io/node-uid',
  credentialId: 'authentication.kubernetes.io/credential-id',
} as const;

export type LookupResource = 'serviceaccounts' | 'secrets' | 'pods';
/** Reads a core object (undefined when absent). */
export type ObjectLookup = (resource: LookupResource, namespace: string, name: string) => Promise<StoredObject | undefined>;

export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`;
}

/** `system:serviceaccount:ns:name` → its parts, or undefined for other names. */
export function splitServiceAccountUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const parts = username.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

export function serviceAccountGroups(namespace: string): string[] {
  return [SYSTEM_GROUPS.serviceAccounts, `${SYSTEM_GROUPS.serviceAccounts}:${namespace}`];
}

interface Ref {
  name: string;
  uid: string;
}

interface BoundClaims {
  namespace: string;
  serviceaccount: Ref;
  pod?: Ref;
  secret?: Ref;
  node?: Ref;
}

function isRef(v: unknown): v is Ref {
  return typeof v === 'object' && v !== null && typeof (v as Ref).name === 'string' && typeof (v as Ref).uid === 'string';
}

function boundClaims(payload: JWTPayload): BoundClaims | undefined {
  const k = payload['kubernetes.io'];
  if (typeof k !== 'object' || k === null) return undefined;
  const c = k as Record<string, unknown>;
  if (typeof c.namespace !== 'string' || !isRef(c.serviceaccount)) return undefined;
  for (const f of ['pod', 'secret', 'node']) if (c[f] !== undefined && !isRef(c[f])) return undefined;
  return c as unknown as BoundClaims;
}

export interface ServiceAccountAuthOptions {
  keys: readonly VerifyKey[];
  /** Accepted issuers (--service-account-issuer); the legacy issuer is always accepted. */
  issuers: readonly string[];
  /** --api-audiences; a bound token must name one of them. */
  audiences: readonly string[];
  /** Checks that the objects still exist (--service-account-lookup); omit to skip. */
  lookup?: ObjectLookup;
  now?: () => Date;
}

async function checkExists(lookup: ObjectLookup, resource: LookupResource, namespace: string, ref: Ref, what: string): Promise<Error | undefined> {
  const obj = await lookup(resource, namespace, ref.name);
  if (!obj || obj.metadata.deletionTimestamp) return new Error(`${what} ${namespace}/${ref.name} has been deleted`);
  if (ref.uid && obj.metadata.uid !== ref.uid) return new Error(`${what} UID (${String(obj.metadata.uid)}) does not match claim (${ref.uid})`);
  return undefined;
}

export function createServiceAccountAuthenticator(options: ServiceAccountAuthOptions): TokenAuthenticator {
  // Signature checks reused for up to 10 s (never past the token's exp); the object
  // lookups below still run on every request.
  const verified = createVerifiedCache<JWTPayload>({ now: options.now ? () => options.now!().getTime() : undefined });
  return async function serviceAccountToken(token, audiences) {
    const peek = peekJwt(token);
    if (!peek || typeof peek.iss !== 'string') return null;
    const legacy = peek.iss === LEGACY_ISSUER;
    if (!legacy && !options.issuers.includes(peek.iss)) return null;
    const wanted = legacy ? undefined : [...(audiences && audiences.length > 0 ? audiences : options.audiences)];
    const key = tokenKey(token, peek.iss, (wanted ?? []).join(','));
    let payload: JWTPayload | Error | undefined = verified.get(key);
    if (!payload) {
      payload = await verifyJwt(token, options.keys, { issuer: peek.iss, audiences: wanted, now: options.now?.(), requireExpiry: !legacy });
      if (payload instanceof Error) return payload;
      verified.set(key, payload, typeof payload.exp === 'number' ? payload.exp * 1000 : undefined);
    }
    return legacy ? legacyUser(payload, token, options.lookup) : boundUser(payload, options.lookup);
  };
}

async function boundUser(payload: JWTPayload, lookup: ObjectLookup | undefined) {
  const claims = boundClaims(payload);
  if (!claims) return new Error('service account token claims are invalid');
  if (payload.sub !== serviceAccountUsername(claims.namespace, claims.serviceaccount.name)) return new Error('service account token subject does not match its claims');
  if (lookup) {
    const err =
      (await checkExists(lookup, 'serviceaccounts', claims.namespace, claims.serviceaccount, 'service account')) ??
      (claims.pod ? await checkExists(lookup, 'pods', claims.namespace, claims.pod, 'pod') : undefined) ??
      (claims.secret ? await checkExists(lookup, 'secrets', claims.namespace, claims.secret, 'secret') : undefined);
    if (err) return err;
  }
  const extra: Record<string, string[]> = {};
  if (claims.pod) {
    extra[SA_EXTRA.podName] = [claims.pod.name];
    extra[SA_EXTRA.podUid] = [claims.pod.uid];
  }
  if (claims.node) {
    extra[SA_EXTRA.nodeName] = [claims.node.name];
    extra[SA_EXTRA.nodeUid] = [claims.node.uid];
  }
  if (typeof payload.jti === 'string') extra[SA_EXTRA.credentialId] = [`JTI=${payload.jti}`];
  const aud = typeof payload.aud === 'string' ? [payload.aud] : (payload.aud ?? []);
  const user: UserInfo = {
    name: serviceAccountUsername(claims.namespace, claims.serviceaccount.name),
    uid: claims.serviceaccount.uid,
    groups: serviceAccountGroups(claims.namespace),
    extra,
  };
  return { user, audiences: aud };
}

async function legacyUser(payload: JWTPayload, token: string, lookup: ObjectLookup | undefined) {
  const ns = payload['kubernetes.io/serviceaccount/namespace'];
  const sa = payload['kubernetes.io/serviceaccount/service-account.name'];
  const uid = payload['kubernetes.io/serviceaccount/service-account.uid'];
  const secret = payload['kubernetes.io/serviceaccount/secret.name'];
  if (typeof ns !== 'string' || typeof sa !== 'string' || typeof uid !== 'string' || typeof secret !== 'string') {
    return new Error('service account token claims are invalid');
  }
  if (lookup) {
    const err = await checkExists(lookup, 'serviceaccounts', ns, { name: sa, uid }, 'service account');
    if (err) return err;
    const sec = await lookup('secrets', ns, secret);
    const data = sec?.data as Record<string, string> | undefined;
    if (!sec || sec.metadata.deletionTimestamp) return new Error(`secret ${ns}/${secret} has been deleted`);
    if (!data || Buffer.from(data.token ?? '', 'base64').toString() !== token) return new Error(`token does not match secret ${ns}/${secret}`);
  }
  return { user: { name: serviceAccountUsername(ns, sa), uid, groups: serviceAccountGroups(ns), extra: {} } };
}

export interface IssueOptions {
  namespace: string;
  serviceAccount: Ref;
  audiences: string[];
  expirationSeconds: number;
  bound?: { kind: 'Pod' | 'Secret' | 'Node'; ref: Ref };
  now?: Date;
}

export interface ServiceAccountSigner {
  issuer: string;
  kid: string;
  key: KeyObject;
  alg: string;
}

/** Signs a bound token as TokenRequest does; returns it with its expiry. */
export async function issueServiceAccountToken(signer: ServiceAccountSigner, o: IssueOptions): Promise<{ token: string; expiresAt: Date }> {
  const now = o.now ?? new Date();
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + o.expirationSeconds;
  const k8s: Record<string, unknown> = { namespace: o.namespace, serviceaccount: o.serviceAccount };
  if (o.bound) k8s[o.bound.kind.toLowerCase()] = o.bound.ref;
  const payload: JWTPayload = {
    aud: o.audiences,
    exp,
    iat,
    nbf: iat,
    iss: signer.issuer,
    jti: randomUUID(),
    sub: serviceAccountUsername(o.namespace, o.serviceAccount.name),
    'kubernetes.io': k8s,
  };
  return { token: await signJwt(payload, signer), expiresAt: new Date(exp * 1000) };
}
