// `Authorization: Bearer <token>` → the token authenticators in order
// (k8s.io/apiserver pkg/authentication/request/bearertoken). A token nobody recognises is
// an error, so a rejected token never falls back to anonymous.
import type { Authenticator, TokenAuthenticator } from './authenticator.ts';

export function bearerTokenOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : undefined;
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
