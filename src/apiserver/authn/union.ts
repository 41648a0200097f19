// The authenticator chain (aggregation.md §5.3): authenticators are tried in order and
// errors are collected; the first user wins. `system:authenticated` is added to every
// non-anonymous user; anonymous is the fallback only when nothing errored.
import type { IncomingMessage } from 'node:http';
import { anonymousUser } from './anonymous.ts';
import type { AuthResult, Authenticator } from './authenticator.ts';
import { ANONYMOUS_USER, SYSTEM_GROUPS, type UserInfo } from './user.ts';

export function unionAuthenticator(...authenticators: Authenticator[]): Authenticator {
  return async function union(req) {
    const errors: Error[] = [];
    for (const auth of authenticators) {
      const result = await auth(req);
      if (result instanceof Error) errors.push(result);
      else if (result) return result;
    }
    if (errors.length === 0) return null;
    return errors.length === 1 ? errors[0] : new AggregateError(errors, errors.map((e) => e.message).join(', '));
  };
}

/** Upstream's AuthenticatedGroupAdder. */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.name === ANONYMOUS_USER) return user;
  if (user.groups.includes(SYSTEM_GROUPS.authenticated) || user.groups.includes(SYSTEM_GROUPS.unauthenticated)) return user;
  return { ...user, groups: [...user.groups, SYSTEM_GROUPS.authenticated] };
}

export type RequestAuthenticator = (req: IncomingMessage) => Promise<AuthResult | Error>;

/**
 * The complete request authenticator: the union, the group adder, then anonymous (when
 * enabled) for requests that carried no credential. An Error means 401.
 */
export function createRequestAuthenticator(chain: Authenticator, options: { anonymous: boolean }): RequestAuthenticator {
  return async function authenticate(req) {
    const result = await chain(req);
    if (result instanceof Error) return result;
    if (result) return { ...result, user: withAuthenticatedGroup(result.user) };
    if (options.anonymous) return anonymousUser();
    return new Error('no credentials');
  };
}
