// The authenticator chain of an aggregated API server (aggregation.md §5.3), built from the
// shared authn modules: request-header (front proxy) → client certificate → bearer token by
// TokenReview, as a union that collects errors; then the authenticated-group adder and
// anonymous only when nothing errored. Trust comes from the current snapshot (ConfigMap or
// flag overrides) and a changed snapshot takes effect on the next request.
import type { Authenticator, TokenAuthenticator } from '../apiserver/authn/authenticator.ts';
import { createBearerAuthenticator } from '../apiserver/authn/bearer.ts';
import { createRequestHeaderAuthenticator, type RequestHeaderConfig } from '../apiserver/authn/request-header.ts';
import { createRequestAuthenticator, unionAuthenticator, type RequestAuthenticator } from '../apiserver/authn/union.ts';
import { createX509Authenticator } from '../apiserver/authn/x509.ts';
import type { AuthenticationSnapshot, RequestHeaderSettings } from './auth-config.ts';

export interface DelegatedAuthenticationOptions {
  /** The current trust configuration; called per request. */
  snapshot: () => AuthenticationSnapshot;
  /** Delegated token review; absent: bearer tokens are not looked at. */
  tokens?: TokenAuthenticator;
  /** Upstream's delegating default is true. */
  anonymous?: boolean;
  now?: () => Date;
}

export interface DelegatedAuthentication {
  authenticate: RequestAuthenticator;
  /** The header names to strip after authentication, read live (for the chain's strip step). */
  requestHeaderNames: Pick<RequestHeaderConfig, 'usernameHeaders' | 'uidHeaders' | 'groupHeaders' | 'extraHeaderPrefixes'>;
}

/** Rebuilds the request-header authenticator only when the settings object changes. */
function dynamicRequestHeader(settings: () => RequestHeaderSettings, now?: () => Date): Authenticator {
  let seen: RequestHeaderSettings | undefined;
  let inner: Authenticator = async () => null;
  return async function requestHeader(req) {
    const s = settings();
    if (s !== seen) {
      seen = s;
      inner = createRequestHeaderAuthenticator({ ...s, now });
    }
    return inner(req);
  };
}

export function createDelegatedAuthentication(options: DelegatedAuthenticationOptions): DelegatedAuthentication {
  const chain: Authenticator[] = [
    dynamicRequestHeader(() => options.snapshot().requestHeader, options.now),
    createX509Authenticator({ pool: () => options.snapshot().clientCAPool, now: options.now }),
  ];
  if (options.tokens) chain.push(createBearerAuthenticator([options.tokens]));
  const rh = () => options.snapshot().requestHeader;
  return {
    authenticate: createRequestAuthenticator(unionAuthenticator(...chain), { anonymous: options.anonymous ?? true }),
    requestHeaderNames: {
      get usernameHeaders() { return rh().usernameHeaders; },
      get uidHeaders() { return rh().uidHeaders; },
      get groupHeaders() { return rh().groupHeaders; },
      get extraHeaderPrefixes() { return rh().extraHeaderPrefixes; },
    },
  };
}
