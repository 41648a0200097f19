// SelfSubjectRulesReview (`kubectl auth can-i --list`): the rules that apply to the caller
// in a namespace. RBAC lists its rules; system:masters and AlwaysAllow hold everything.
import { SYSTEM_GROUPS, type UserInfo } from '../authn/user.ts';
import type { Action } from '../registry/action.ts';
import { rulesFor, type PolicySource } from './rbac.ts';
import type { PolicyRule } from './rbac-types.ts';

export interface RulesResolution {
  rules: PolicyRule[];
  errors: string[];
}

export type RulesResolver = (user: UserInfo, namespace: string) => RulesResolution;

const EVERYTHING: PolicyRule[] = [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['*'], nonResourceURLs: ['*'] }];

export function createRulesResolver(options: { source?: PolicySource; alwaysAllow: boolean }): RulesResolver {
  return (user, namespace) => {
    if (options.alwaysAllow || user.groups.includes(SYSTEM_GROUPS.masters)) return { rules: EVERYTHING, errors: [] };
    return options.source ? rulesFor(options.source, user, namespace) : { rules: [], errors: [] };
  };
}

export function createSelfSubjectRulesReviewAction(resolve: RulesResolver): Action {
  return async function selfSubjectRulesReview({ body, user }) {
    const spec = (body.spec ?? {}) as Record<string, unknown>;
    const namespace = typeof spec.namespace === 'string' ? spec.namespace : '';
    const { rules, errors } = resolve(user, namespace);
    const resourceRules = rules.filter((r) => !r.nonResourceURLs?.length).map((r) => ({ verbs: r.verbs, apiGroups: r.apiGroups ?? [], resources: r.resources ?? [], ...(r.resourceNames?.length ? { resourceNames: r.resourceNames } : {}) }));
    const nonResourceRules = rules.filter((r) => r.nonResourceURLs?.length).map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs }));
    return {
      kind: 'SelfSubjectRulesReview',
      apiVersion: String(body.apiVersion ?? 'authorization.k8s.io/v1'),
      metadata: body.metadata ?? {},
      spec,
      status: { resourceRules, nonResourceRules, incomplete: errors.length > 0, ...(errors.length ? { evaluationError: errors.join(', ') } : {}) },
    };
  };
}
