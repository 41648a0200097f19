// The one module that owns X-Remote-* (aggregation.md §5.4, §5.5, §2.4, §2.5): the front-proxy
// authenticator reads and strips the identity headers on the way in, and `writeRemoteHeaders`
// writes them for the proxy on the way out.
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { AuthResult, Authenticator } from './authenticator.ts';
import { subjectValues, type CertPool } from './cert-pool.ts';
import { addExtra, type UserInfo } from './user.ts';
import { verifyClientCert } from './x509.ts';

/** What the aggregator always sends, whatever the flags say (aggregation.md §7.2). */
export const STANDARD_REMOTE_HEADERS = {
  user: 'X-Remote-User',
  uid: 'X-Remote-Uid',
  group: 'X-Remote-Group',
  extraPrefix: 'X-Remote-Extra-',
} as const;

export interface RequestHeaderConfig {
  pool: CertPool | (() => CertPool);
  /** Accepted proxy CNs; empty accepts any CN. */
  allowedNames: readonly string[];
  usernameHeaders: readonly string[];
  uidHeaders: readonly string[];
  groupHeaders: readonly string[];
  extraHeaderPrefixes: readonly string[];
  now?: () => Date;
}

/** Every value of a header, each occurrence kept apart (never `req.headers`, which joins them). */
function values(distinct: NodeJS.Dict<string[]>, name: string): string[] {
  return distinct[name.toLowerCase()] ?? [];
}

function firstNonEmpty(distinct: NodeJS.Dict<string[]>, names: readonly string[]): string {
  for (const name of names) {
    const v = values(distinct, name)[0];
    if (v) return v;
  }
  return '';
}

/** Lower-cases, then percent-decodes; keeps the lower-cased text when decoding fails. */
export function unescapeExtraKey(encoded: string): string {
  const lower = encoded.toLowerCase();
  try {
    return decodeURIComponent(lower);
  } catch {
    return lower;
  }
}

const TOKEN_CHAR = /[A-Za-z0-9!#$&'*+\-.^_`|~]/;

/** Escapes every non-token byte and every `%` as upper-case `%XX` (§2.5). */
export function escapeExtraKey(key: string): string {
  let out = '';
  for (const byte of Buffer.from(key, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && TOKEN_CHAR.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Reads the identity from headers; `null` when no user name header is set. Pure. */
export function userFromHeaders(distinct: NodeJS.Dict<string[]>, config: Omit<RequestHeaderConfig, 'pool' | 'allowedNames'>): UserInfo | null {
  const name = firstNonEmpty(distinct, config.usernameHeaders);
  if (name === '') return null;
  const uid = firstNonEmpty(distinct, config.uidHeaders);
  const groups: string[] = [];
  for (const h of config.groupHeaders) for (const v of values(distinct, h)) if (v !== '') groups.push(v);
  const extra: Record<string, string[]> = {};
  for (const prefix of config.extraHeaderPrefixes) {
    const p = prefix.toLowerCase();
    for (const [header, vs] of Object.entries(distinct)) {
      if (!header.startsWith(p) || !vs) continue;
      const key = unescapeExtraKey(header.slice(p.length));
      addExtra(extra, key, vs);
    }
  }
  return { name, ...(uid ? { uid } : {}), groups, extra };
}

/** Deletes the configured identity headers and the standard ones (§5.7). */
type RemoteHeaderNames = Partial<Pick<RequestHeaderConfig, 'usernameHeaders' | 'uidHeaders' | 'groupHeaders' | 'extraHeaderPrefixes'>>;

/** A function deleting the front-proxy identity headers of `config` (names computed once). */
export function remoteHeaderStripper(config?: RemoteHeaderNames): (headers: IncomingHttpHeaders) => void {
  const names = new Set([STANDARD_REMOTE_HEADERS.user, STANDARD_REMOTE_HEADERS.uid, STANDARD_REMOTE_HEADERS.group, ...(config?.usernameHeaders ?? []), ...(config?.uidHeaders ?? []), ...(config?.groupHeaders ?? [])].map((h) => h.toLowerCase()));
  const prefixes = [STANDARD_REMOTE_HEADERS.extraPrefix, ...(config?.extraHeaderPrefixes ?? [])].map((p) => p.toLowerCase());
  return (headers) => {
    for (const header in headers) {
      if (names.has(header) || prefixes.some((p) => header.startsWith(p))) delete headers[header];
    }
  };
}

export function stripRemoteHeaders(headers: IncomingHttpHeaders, config?: RemoteHeaderNames): void {
  remoteHeaderStripper(config)(headers);
}


/**
 * The front-proxy authenticator: the proxy's client certificate must verify against the
 * requestheader CA with clientAuth and (if configured) an allowed CN; only then are the
 * headers read, and they are removed after reading.
 */
export function createRequestHeaderAuthenticator(config: RequestHeaderConfig): Authenticator {
  const strip = remoteHeaderStripper(config);
  return verifyClientCert({ pool: config.pool, now: config.now }, (req, leaf): AuthResult | Error | null => {
    if (config.allowedNames.length > 0) {
      const cn = subjectValues(leaf, 'CN')[0] ?? '';
      if (!config.allowedNames.includes(cn)) return new Error(`x509: subject with cn=${cn} is not in the allowed list`);
    }
    const user = userFromHeaders(req.headersDistinct, config);
    if (!user) return null;
    strip(req.headers);
    // headersDistinct is computed lazily from rawHeaders and cached; clear both views.
    strip(req.headersDistinct as IncomingHttpHeaders);
    return { user };
  });
}

/** Sets X-Remote-* for a proxied request after removing any the client sent (§2.4). */
export function writeRemoteHeaders(headers: OutgoingHttpHeaders, user: UserInfo): void {
  for (const key of Object.keys(headers)) {
    const k = key.toLowerCase();
    if (k === 'x-remote-user' || k === 'x-remote-uid' || k === 'x-remote-group' || k.startsWith('x-remote-extra-')) delete headers[key];
  }
  headers[STANDARD_REMOTE_HEADERS.user] = user.name;
  if (user.groups.length > 0) headers[STANDARD_REMOTE_HEADERS.group] = [...user.groups];
  for (const [key, vs] of Object.entries(user.extra)) {
    if (vs.length > 0) headers[`${STANDARD_REMOTE_HEADERS.extraPrefix}${escapeExtraKey(key)}`] = [...vs];
  }
}
