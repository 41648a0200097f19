// The RBAC authorizer (plugin/pkg/auth/authorizer/rbac): a request is allowed when a rule
// of a role bound to the user matches. ClusterRoleBindings apply everywhere, RoleBindings in
// their namespace. Roles come from a PolicySource (informer caches), never per-request reads.
import type { UserInfo } from '../authn/user.ts';
import type { Authorizer } from './authorizer.ts';
import { ruleAllows, selectorMatches, subjectMatches } from './rbac-rules.ts';
import type { BindingObject, PolicyRule, RoleObject } from './rbac-types.ts';

export interface PolicySource {
  getRole(namespace: string, name: string): RoleObject | undefined;
  getClusterRole(name: string): RoleObject | undefined;
  clusterRoles(): RoleObject[];
  roleBindings(namespace: string): BindingObject[];
  clusterRoleBindings(): BindingObject[];
}

/**
 * A ClusterRole's rules; with an aggregationRule, also those of every ClusterRole it
 * selects (recursively: `admin` selects `edit`, which aggregates itself), as the upstream
 * aggregation controller would have written them.
 */
export function clusterRoleRules(source: PolicySource, role: RoleObject, visiting: Set<string> = new Set()): PolicyRule[] {
  const own = role.rules ?? [];
  const selectors = role.aggregationRule?.clusterRoleSelectors;
  if (!selectors || selectors.length === 0) return own;
  const name = String(role.metadata.name);
  if (visiting.has(name)) return own;
  visiting.add(name);
  const out = [...own];
  for (const other of source.clusterRoles()) {
    if (other.metadata.name === role.metadata.name || visiting.has(String(other.metadata.name))) continue;
    const labels = (other.metadata.labels ?? {}) as Record<string, string>;
    if (selectors.some((s) => selectorMatches(s, labels))) out.push(...clusterRoleRules(source, other, visiting));
  }
  visiting.delete(name);
  return out;
}

export interface RuleVisit {
  rules: PolicyRule[];
  errors: string[];
}

function rulesOfRef(source: PolicySource, binding: BindingObject, namespace: string, errors: string[]): PolicyRule[] {
  const ref = binding.roleRef;
  if (ref.kind === 'ClusterRole') {
    const role = source.getClusterRole(ref.name);
    if (!role) {
      errors.push(`clusterrole.rbac.authorization.k8s.io "${ref.name}" not found`);
      return [];
    }
    return clusterRoleRules(source, role);
  }
  if (ref.kind === 'Role' && namespace) {
    const role = source.getRole(namespace, ref.name);
    if (!role) {
      errors.push(`role.rbac.authorization.k8s.io "${ref.name}" not found`);
      return [];
    }
    return role.rules ?? [];
  }
  return [];
}

/** Every rule that applies to `user` in `namespace` ('' = cluster scope only). */
export function rulesFor(source: PolicySource, user: UserInfo, namespace: string): RuleVisit {
  const errors: string[] = [];
  const rules: PolicyRule[] = [];
  for (const b of source.clusterRoleBindings()) {
    if ((b.subjects ?? []).some((s) => subjectMatches(s, user, ''))) rules.push(...rulesOfRef(source, b, '', errors));
  }
  if (namespace) {
    for (const b of source.roleBindings(namespace)) {
      if ((b.subjects ?? []).some((s) => subjectMatches(s, user, namespace))) rules.push(...rulesOfRef(source, b, namespace, errors));
    }
  }
  return { rules, errors };
}

export function createRbacAuthorizer(source: PolicySource): Authorizer {
  return async function rbac(attrs) {
    const { rules, errors } = rulesFor(source, attrs.user, attrs.isResourceRequest ? attrs.namespace : '');
    if (rules.some((r) => ruleAllows(attrs, r))) return { decision: 'allow', reason: '' };
    return { decision: 'no-opinion', reason: errors.length > 0 ? `RBAC: [${errors.join(', ')}]` : '' };
  };
}
