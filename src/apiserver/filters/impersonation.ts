// Impersonate-User / -Group / -Uid / -Extra-*: each requested attribute is authorized with
// the `impersonate` verb for the real user, then the request continues as the impersonated
// user (k8s.io/apiserver pkg/endpoints/filters/impersonation.go).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest } from '../../apimachinery/status.ts';
import { unescapeExtraKey } from '../authn/request-header.ts';
import { serviceAccountGroups, splitServiceAccountUsername } from '../authn/service-account.ts';
import { ANONYMOUS_USER, SYSTEM_GROUPS, addExtra, type UserInfo } from '../authn/user.ts';
import type { Attributes, Authorizer } from '../authz/authorizer.ts';
import { forbiddenError } from '../authz/forbidden.ts';
import { userOf, withImpersonation as setImpersonatedUser, type Handler } from '../request/context.ts';

export const IMPERSONATE_HEADERS = {
  user: 'impersonate-user',
  group: 'impersonate-group',
  uid: 'impersonate-uid',
  extraPrefix: 'impersonate-extra-',
} as const;

interface ImpersonationRequest {
  kind: 'User' | 'ServiceAccount' | 'Group' | 'UserExtra' | 'UID';
  namespace: string;
  name: string;
  extraKey?: string;
}

function hasImpersonationHeader(req: IncomingMessage): boolean {
  for (const name in req.headers) if (name.startsWith('impersonate-')) return true;
  return false;
}

/** What the headers ask for, in upstream's order; throws 400 for incomplete requests. */
export function impersonationRequests(req: IncomingMessage): ImpersonationRequest[] {
  if (!hasImpersonationHeader(req)) return [];
  const h = req.headersDistinct;
  const out: ImpersonationRequest[] = [];
  const user = h[IMPERSONATE_HEADERS.user]?.[0] ?? '';
  if (user) {
    const sa = splitServiceAccountUsername(user);
    out.push(sa ? { kind: 'ServiceAccount', namespace: sa.namespace, name: sa.name } : { kind: 'User', namespace: '', name: user });
  }
  let others = false;
  for (const g of h[IMPERSONATE_HEADERS.group] ?? []) {
    out.push({ kind: 'Group', namespace: '', name: g });
    others = true;
  }
  for (const [header, values] of Object.entries(h)) {
    if (!header.startsWith(IMPERSONATE_HEADERS.extraPrefix) || !values) continue;
    const extraKey = unescapeExtraKey(header.slice(IMPERSONATE_HEADERS.extraPrefix.length));
    for (const v of values) out.push({ kind: 'UserExtra', namespace: '', name: v, extraKey });
    others = true;
  }
  const uid = h[IMPERSONATE_HEADERS.uid]?.[0] ?? '';
  if (uid) {
    out.push({ kind: 'UID', namespace: '', name: uid });
    others = true;
  }
  if (!user && others) throw badRequest(`requested ${JSON.stringify(out.map((r) => `${r.kind}:${r.name}`))} without impersonating a user`);
  return out;
}

const RESOURCE_OF = {
  User: { apiGroup: '', resource: 'users' },
  ServiceAccount: { apiGroup: '', resource: 'serviceaccounts' },
  Group: { apiGroup: '', resource: 'groups' },
  UserExtra: { apiGroup: 'authentication.k8s.io', resource: 'userextras' },
  UID: { apiGroup: 'authentication.k8s.io', resource: 'uids' },
} as const;

export function withImpersonation(next: Handler, deps: { authorize: Authorizer }): Handler {
  return function impersonation(req, res) {
    if (!hasImpersonationHeader(req)) return next(req, res);
    return impersonate(req, res);
  };

  async function impersonate(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requests = impersonationRequests(req);
    if (requests.length === 0) {
      await next(req, res);
      return;
    }
    const requestor = userOf(req);
    if (!requestor) throw new Error('impersonation filter ran before authentication');
    let name = '';
    let uid: string | undefined;
    let groups: string[] = [];
    const extra: Record<string, string[]> = {};
    let groupsSpecified = false;
    for (const r of requests) {
      const attrs: Attributes = {
        user: requestor,
        verb: 'impersonate',
        isResourceRequest: true,
        path: '',
        namespace: r.namespace,
        apiGroup: RESOURCE_OF[r.kind].apiGroup,
        apiVersion: '',
        resource: RESOURCE_OF[r.kind].resource,
        subresource: r.extraKey ?? '',
        name: r.name,
      };
      const decision = await deps.authorize(attrs);
      if (decision.decision !== 'allow') throw forbiddenError(attrs, decision.reason);
      switch (r.kind) {
        case 'User':
          name = r.name;
          break;
        case 'ServiceAccount':
          name = `system:serviceaccount:${r.namespace}:${r.name}`;
          break;
        case 'Group':
          groups.push(r.name);
          groupsSpecified = true;
          break;
        case 'UserExtra':
          addExtra(extra, r.extraKey ?? '', [r.name]);
          break;
        case 'UID':
          uid = r.name;
          break;
      }
    }
    const sa = splitServiceAccountUsername(name);
    if (sa && !groupsSpecified) groups = serviceAccountGroups(sa.namespace);
    if (name === ANONYMOUS_USER) {
      if (!groups.includes(SYSTEM_GROUPS.unauthenticated)) groups.push(SYSTEM_GROUPS.unauthenticated);
    } else if (!groups.includes(SYSTEM_GROUPS.authenticated)) {
      groups.push(SYSTEM_GROUPS.authenticated);
    }
    const user: UserInfo = { name, ...(uid ? { uid } : {}), groups, extra };
    for (const header of Object.keys(req.headers)) if (header.startsWith('impersonate-')) delete req.headers[header];
    setImpersonatedUser(req, user);
    await next(req, res);
  }
}
