// The headers a proxied request carries upstream (spec 2.4): the client's headers minus
// credentials, impersonation, every X-Remote-* and hop-by-hop headers, plus the identity
// (written by src/apiserver/authn/request-header.ts, the one owner of X-Remote-*) and the
// forwarding headers.
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { STANDARD_REMOTE_HEADERS, escapeExtraKey, writeRemoteHeaders } from '../../apiserver/authn/request-header.ts';
import type { UserInfo } from '../../apiserver/authn/user.ts';

export const REMOTE_HEADERS = {
  user: 'x-remote-user',
  uid: 'x-remote-uid',
  group: 'x-remote-group',
  extraPrefix: 'x-remote-extra-',
} as const;

/** Hop-by-hop headers stripped on the non-upgrade path (spec 2.4.13). */
export const HOP_BY_HOP = ['connection', 'proxy-connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade'] as const;

const HOP_BY_HOP_SET: ReadonlySet<string> = new Set(HOP_BY_HOP);
const WS_PROTOCOL = 'sec-websocket-protocol';
const NONE: ReadonlySet<string> = new Set();

/** Stripped from backend responses (spec 2.10.2). */
export const CORS_RESPONSE_HEADERS = ['access-control-allow-credentials', 'access-control-allow-headers', 'access-control-allow-methods', 'access-control-allow-origin'] as const;

export { escapeExtraKey };

/**
 * The identity headers for one user, written by the module that owns X-Remote-*
 * (src/apiserver/authn/request-header.ts `writeRemoteHeaders`): each group and extra value
 * its own line. X-Remote-Uid (spec 2.4.4, 1.33+) is added here while that writer lacks it.
 */
export function remoteIdentityHeaders(user: UserInfo): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  writeRemoteHeaders(out, user);
  if (user.uid) out[STANDARD_REMOTE_HEADERS.uid] = user.uid;
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
export function upstreamHeaders(req: Pick<IncomingMessage, 'rawHeaders' | 'headers'>, opts: UpstreamHeaderOptions): OutgoingHttpHeaders {
  // From rawHeaders in one pass (headersDistinct would build a second copy of them all),
  // except Sec-WebSocket-Protocol: authentication removed the bearer-token entry from
  // req.headers, and the backend must never see the token.
  const raw = req.rawHeaders;
  const strip = opts.strip && opts.strip.length > 0 ? new Set(opts.strip) : NONE;
  let hop: ReadonlySet<string> = opts.upgrade ? NONE : HOP_BY_HOP_SET;
  const forwardedFor: string[] = [];
  if (!opts.upgrade) {
    for (let i = 0; i + 1 < raw.length; i += 2) {
      if (raw[i].length !== 10 || raw[i].toLowerCase() !== 'connection') continue;
      const named = hop === HOP_BY_HOP_SET ? new Set<string>(HOP_BY_HOP) : (hop as Set<string>);
      for (const t of raw[i + 1].split(',')) named.add(t.trim().toLowerCase());
      hop = named;
    }
  }
  const out: OutgoingHttpHeaders = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (name === 'host' || name === WS_PROTOCOL || hop.has(name) || isIdentityHeader(name, strip)) continue;
    const value = raw[i + 1];
    if (name === 'x-forwarded-for') forwardedFor.push(value);
    const prior = out[name];
    out[name] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [String(prior), value];
  }
  Object.assign(out, remoteIdentityHeaders(opts.user));
  const protocols = req.headers[WS_PROTOCOL];
  if (protocols !== undefined && !hop.has(WS_PROTOCOL)) out[WS_PROTOCOL] = protocols;
  if (opts.clientIp) out['x-forwarded-for'] = forwardedFor.length > 0 ? `${forwardedFor.join(', ')}, ${opts.clientIp}` : opts.clientIp;
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
