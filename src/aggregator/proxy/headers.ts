// The one module that WRITES X-Remote-* for the proxy (client-go transport/round_trippers.go
// SetAuthProxyHeaders + headerKeyEscape, spec 2.4–2.5). Reading and stripping them on the
// way in belongs to src/apiserver/authn/.
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { UserInfo } from '../../apiserver/authn/user.ts';

export const REMOTE_HEADERS = {
  user: 'x-remote-user',
  uid: 'x-remote-uid',
  group: 'x-remote-group',
  extraPrefix: 'x-remote-extra-',
} as const;

/** Hop-by-hop headers stripped on the non-upgrade path (spec 2.4.13). */
export const HOP_BY_HOP = ['connection', 'proxy-connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade'] as const;

/** Stripped from backend responses (spec 2.10.2). */
export const CORS_RESPONSE_HEADERS = ['access-control-allow-credentials', 'access-control-allow-headers', 'access-control-allow-methods', 'access-control-allow-origin'] as const;

const TOKEN_CHAR = /^[A-Za-z0-9!#$&'*+\-.^_`|~]$/;

/** headerKeyEscape: every byte that is not a token char, and every `%`, becomes `%XX`. */
export function escapeExtraKey(key: string): string {
  let out = '';
  for (const byte of Buffer.from(key, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && TOKEN_CHAR.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The identity headers for one user, each group and extra value its own line. */
export function remoteIdentityHeaders(user: UserInfo): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = { [REMOTE_HEADERS.user]: user.name };
  if (user.uid) out[REMOTE_HEADERS.uid] = user.uid;
  if (user.groups.length > 0) out[REMOTE_HEADERS.group] = [...user.groups];
  for (const [key, values] of Object.entries(user.extra ?? {})) {
    if (values.length > 0) out[`${REMOTE_HEADERS.extraPrefix}${escapeExtraKey(key)}`] = [...values];
  }
  return out;
}

function isIdentityHeader(name: string, extraStrip: ReadonlySet<string>): boolean {
  return (
    name === 'authorization' ||
    name.startsWith('impersonate-') ||
    name === REMOTE_HEADERS.user ||
    name === REMOTE_HEADERS.uid ||
    name === REMOTE_HEADERS.group ||
    name.startsWith(REMOTE_HEADERS.extraPrefix) ||
    extraStrip.has(name)
  );
}

export interface UpstreamHeaderOptions {
  user: UserInfo;
  /** Upgrade requests keep Connection/Upgrade and skip X-Forwarded-Proto/Host/Uri. */
  upgrade: boolean;
  /** The resolved backend `host:port`. */
  host: string;
  path: string;
  clientIp?: string;
  auditId?: string;
  /** Custom --requestheader-* header names (lower-case) to strip as well. */
  strip?: readonly string[];
}

/**
 * The request headers sent to a backend: the client's headers minus Authorization,
 * Impersonate-*, every X-Remote-*, hop-by-hop headers (non-upgrade) and Host, then the
 * identity of `user` and the forwarding headers. Values are arrays where repeated.
 */
export function upstreamHeaders(req: Pick<IncomingMessage, 'headersDistinct'>, opts: UpstreamHeaderOptions): OutgoingHttpHeaders {
  const strip = new Set(opts.strip ?? []);
  const hop = new Set<string>(opts.upgrade ? [] : HOP_BY_HOP);
  if (!opts.upgrade) {
    for (const v of req.headersDistinct['connection'] ?? []) for (const t of v.split(',')) hop.add(t.trim().toLowerCase());
  }
  const out: OutgoingHttpHeaders = {};
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    if (!values || name === 'host' || hop.has(name) || isIdentityHeader(name, strip)) continue;
    out[name] = values.length === 1 ? values[0] : [...values];
  }
  Object.assign(out, remoteIdentityHeaders(opts.user));
  if (opts.clientIp) {
    const prior = req.headersDistinct['x-forwarded-for'];
    out['x-forwarded-for'] = prior && prior.length > 0 ? `${prior.join(', ')}, ${opts.clientIp}` : opts.clientIp;
  }
  if (!opts.upgrade) {
    out['x-forwarded-proto'] = 'https';
    out['x-forwarded-host'] = opts.host;
    out['x-forwarded-uri'] = opts.path;
  }
  if (opts.auditId) out['audit-id'] = opts.auditId;
  return out;
}

/** The query string re-encoded as Go's url.Values.Encode does: sorted by key. */
export function normalizeQuery(search: string): string {
  const params = new URLSearchParams(search);
  params.sort();
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Response headers relayed to the client: everything but CORS and hop-by-hop. */
export function downstreamHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const drop = new Set<string>([...CORS_RESPONSE_HEADERS, ...HOP_BY_HOP]);
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || drop.has(name.toLowerCase())) continue;
    out[name] = value;
  }
  return out;
}
