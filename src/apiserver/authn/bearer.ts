// `Authorization: Bearer <token>` → the token authenticators in order
// (k8s.io/apiserver pkg/authentication/request/bearertoken). A token nobody recognises is
// an error, so a rejected token never falls back to anonymous.
import type { Authenticator, TokenAuthenticator } from './authenticator.ts';

export function bearerTokenOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : undefined;
}

const WS_PROTOCOL_PREFIX = 'base64url.bearer.authorization.k8s.io.';

/** The token carried as a WebSocket subprotocol (browsers cannot set Authorization). */
export function webSocketTokenOf(upgrade: string | undefined, protocols: string | undefined): string | undefined {
  if (!upgrade || upgrade.toLowerCase() !== 'websocket' || !protocols) return undefined;
  for (const p of protocols.split(',').map((s) => s.trim())) {
    if (!p.startsWith(WS_PROTOCOL_PREFIX)) continue;
    const encoded = p.slice(WS_PROTOCOL_PREFIX.length);
    const token = Buffer.from(encoded, 'base64url').toString('utf8');
    return token === '' ? undefined : token;
  }
  return undefined;
}

/**
 * Tokens in `Sec-WebSocket-Protocol: base64url.bearer.authorization.k8s.io.<token>`
 * (k8s.io/apiserver pkg/authentication/request/websocket); the protocol entry is removed
 * after a successful authentication so it is never echoed or proxied.
 */
export function createWebSocketBearerAuthenticator(tokens: readonly TokenAuthenticator[], options: { audiences?: string[] } = {}): Authenticator {
  return async function webSocketBearer(req) {
    const token = webSocketTokenOf(req.headers.upgrade, req.headers['sec-websocket-protocol']);
    if (token === undefined) return null;
    for (const auth of tokens) {
      const result = await auth(token, options.audiences);
      if (result instanceof Error) return result;
      if (result) {
        const rest = String(req.headers['sec-websocket-protocol']).split(',').map((s) => s.trim()).filter((p) => !p.startsWith(WS_PROTOCOL_PREFIX));
        if (rest.length > 0) req.headers['sec-websocket-protocol'] = rest.join(', ');
        else delete req.headers['sec-websocket-protocol'];
        return result;
      }
    }
    return new Error('invalid bearer token');
  };
}

export function createBearerAuthenticator(tokens: readonly TokenAuthenticator[], options: { audiences?: string[] } = {}): Authenticator {
  return async function bearer(req) {
    const token = bearerTokenOf(req.headers.authorization);
    if (token === undefined) return null;
    const errors: string[] = [];
    for (const auth of tokens) {
      const result = await auth(token, options.audiences);
      if (result instanceof Error) errors.push(result.message);
      else if (result) return result;
    }
    return new Error(errors.length > 0 ? errors.join(', ') : 'invalid bearer token');
  };
}
