// Authorizers in order; the first allow or deny wins (k8s.io/apiserver authorization/union).
import { SYSTEM_GROUPS } from '../authn/user.ts';
import type { Attributes, Authorization, Authorizer } from './authorizer.ts';

export function unionAuthorizer(...authorizers: Authorizer[]): Authorizer {
  // Synchronous while every authorizer answers synchronously (no promise per request).
  const from = async (i: number, pending: Promise<Authorization>, reasons: string[], attrs: Attributes): Promise<Authorization> => {
    let result = await pending;
    for (let k = i; ; ) {
      if (result.decision !== 'no-opinion') return result;
      if (result.reason) reasons.push(result.reason);
      if (++k >= authorizers.length) break;
      result = await authorizers[k](attrs);
    }
    return { decision: 'no-opinion', reason: reasons.join('\n') };
  };
  return function union(attrs) {
    const reasons: string[] = [];
    for (let i = 0; i < authorizers.length; i++) {
      const result = authorizers[i](attrs);
      if (result instanceof Promise) return from(i, result, reasons, attrs);
      if (result.decision !== 'no-opinion') return result;
      if (result.reason) reasons.push(result.reason);
    }
    return { decision: 'no-opinion', reason: reasons.join('\n') };
  };
}

/** kube-apiserver's first authorizer: members of system:masters may do anything. */
export const privilegedGroupAuthorizer: Authorizer = (attrs) =>
  attrs.user.groups.includes(SYSTEM_GROUPS.masters) ? { decision: 'allow', reason: '' } : { decision: 'no-opinion', reason: '' };
