// TokenReview (authentication.k8s.io/v1): runs a bearer token through the server's token
// authenticators, for extension servers' delegated authentication (aggregation.md §6.4).
import { badRequest } from '../../apimachinery/status.ts';
import type { Action } from '../registry/action.ts';
import type { TokenAuthenticator } from './authenticator.ts';
import { withAuthenticatedGroup } from './union.ts';
import type { UserInfo } from './user.ts';

export function userInfoJson(user: UserInfo): Record<string, unknown> {
  return {
    username: user.name,
    ...(user.uid ? { uid: user.uid } : {}),
    groups: [...user.groups],
    ...(Object.keys(user.extra).length > 0 ? { extra: structuredClone(user.extra) } : {}),
  };
}

function stringArray(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function createTokenReviewAction(deps: { tokens: readonly TokenAuthenticator[]; apiAudiences: readonly string[] }): Action {
  return async function tokenReview({ body }) {
    const spec = (body.spec ?? {}) as Record<string, unknown>;
    const token = typeof spec.token === 'string' ? spec.token : '';
    if (token === '') throw badRequest('token is required for TokenReview in authentication');
    const requested = stringArray(spec.audiences);
    const audiences = requested.length > 0 ? requested : [...deps.apiAudiences];
    let status: Record<string, unknown> = { authenticated: false, user: {}, error: 'invalid bearer token' };
    const errors: string[] = [];
    for (const auth of deps.tokens) {
      const result = await auth(token, audiences);
      if (result instanceof Error) errors.push(result.message);
      else if (result) {
        const aud = result.audiences && result.audiences.length > 0 ? audiences.filter((a) => result.audiences?.includes(a)) : audiences;
        status = { authenticated: true, user: userInfoJson(withAuthenticatedGroup(result.user)), audiences: aud };
        break;
      }
    }
    if (status.authenticated !== true && errors.length > 0) status = { authenticated: false, user: {}, error: errors.join(', ') };
    return { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', ...body, metadata: body.metadata ?? {}, spec, status };
  };
}
