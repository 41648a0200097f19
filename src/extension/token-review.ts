// Delegated bearer-token authentication (aggregation.md §6.4): a TokenReview POSTed to the
// core server, cached for the TTL (10 s upstream) whether the token was accepted or not.
// Transport failures are not cached and surface as an error (401, never anonymous).
import type { TokenAuthenticator } from '../apiserver/authn/authenticator.ts';
import type { UserInfo } from '../apiserver/authn/user.ts';
import type { KubeClient } from '../client/kube-client.ts';
import { withRetry, type RetryOptions } from './retry.ts';
import { createTtlCache } from './ttl-cache.ts';

export const TOKEN_REVIEW_PATH = '/apis/authentication.k8s.io/v1/tokenreviews';
export const DEFAULT_TOKEN_REVIEW_TTL_MS = 10_000;

export interface TokenReviewOptions {
  client: Pick<KubeClient, 'request'>;
  ttlMs?: number;
  /** API audiences sent with every review (--authentication-audiences). */
  audiences?: readonly string[];
  now?: () => number;
  retry?: RetryOptions;
}

type Outcome = { user: UserInfo; audiences?: string[] } | { error: string } | null;

function userOf(u: Record<string, unknown> | undefined): UserInfo {
  const extra: Record<string, string[]> = {};
  if (u?.extra && typeof u.extra === 'object') for (const [k, v] of Object.entries(u.extra)) if (Array.isArray(v)) extra[k] = v.map(String);
  return {
    name: typeof u?.username === 'string' ? u.username : '',
    ...(typeof u?.uid === 'string' && u.uid ? { uid: u.uid } : {}),
    groups: Array.isArray(u?.groups) ? u.groups.map(String) : [],
    extra,
  };
}

export function createTokenReviewAuthenticator(options: TokenReviewOptions): TokenAuthenticator {
  const ttl = options.ttlMs ?? DEFAULT_TOKEN_REVIEW_TTL_MS;
  const cache = createTtlCache<Outcome>({ now: options.now });
  const configured = options.audiences ?? [];
  return async function tokenReview(token, requested) {
    const audiences = requested && requested.length > 0 ? requested : configured;
    const key = JSON.stringify([token, audiences]);
    let outcome = cache.get(key);
    if (outcome === undefined) {
      const body = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, ...(audiences.length > 0 ? { audiences: [...audiences] } : {}) } };
      let r;
      try {
        r = await withRetry(() => options.client.request('POST', TOKEN_REVIEW_PATH, body), options.retry);
      } catch (err) {
        return new Error(`TokenReview: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (r.status !== 200 && r.status !== 201) return new Error(`TokenReview: the server answered ${r.status}`);
      let status: Record<string, unknown>;
      try {
        status = (JSON.parse(r.body) as { status?: Record<string, unknown> }).status ?? {};
      } catch {
        return new Error('TokenReview: the answer is not JSON');
      }
      if (status.authenticated === true) {
        const aud = Array.isArray(status.audiences) ? status.audiences.map(String) : undefined;
        outcome = { user: userOf(status.user as Record<string, unknown> | undefined), ...(aud ? { audiences: aud } : {}) };
      } else {
        outcome = typeof status.error === 'string' && status.error ? { error: status.error } : null;
      }
      cache.set(key, outcome, ttl);
    }
    if (outcome === null) return null;
    if ('error' in outcome) return new Error(outcome.error);
    return { user: outcome.user, ...(outcome.audiences ? { audiences: outcome.audiences } : {}) };
  };
}
