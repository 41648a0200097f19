// Authorizers in order; the first allow or deny wins (k8s.io/apiserver authorization/union).
import { SYSTEM_GROUPS } from '../authn/user.ts';
import type { Authorizer } from './authorizer.ts';

export function unionAuthorizer(...authorizers: Authorizer[]): Authorizer {
  return async function union(attrs) {
    const reasons: string[] = [];
    for (const authorize of authorizers) {
      const result = await authorize(attrs);
      if (result.decision !== 'no-opinion') return result;
      if (result.reason) reasons.push(result.reason);
    }
    return { decision: 'no-opinion', reason: reasons.join('\n') };
  };
}

/** kube-apiserver's first authorizer: members of system:masters may do anything. */
export const privilegedGroupAuthorizer: Authorizer = async (attrs) =>
  attrs.user.groups.includes(SYSTEM_GROUPS.masters) ? { decision: 'allow', reason: '' } : { decision: 'no-opinion', reason: '' };
