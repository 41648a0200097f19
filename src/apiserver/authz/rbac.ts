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
  clusterRoles(): readonly RoleObject[];
  roleBindings(namespace: string): readonly BindingObject[];
  clusterRoleBindings(): readonly BindingObject[];
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

/**
 * Calls `visit` with each rule that applies to `user` in `namespace` ('' = cluster scope
 * only) until it returns false (upstream's VisitRulesFor); returns whether it stopped early.
 */
export function visitRulesFor(source: PolicySource, user: UserInfo, namespace: string, visit: (rule: PolicyRule) => boolean, errors: string[]): boolean {
  const visitAll = (rules: readonly PolicyRule[]) => {
    for (const r of rules) if (!visit(r)) return false;
    return true;
  };
  for (const b of source.clusterRoleBindings()) {
    if ((b.subjects ?? []).some((s) => subjectMatches(s, user, '')) && !visitAll(rulesOfRef(source, b, '', errors))) return true;
  }
  if (namespace) {
    for (const b of source.roleBindings(namespace)) {
      if ((b.subjects ?? []).some((s) => subjectMatches(s, user, namespace)) && !visitAll(rulesOfRef(source, b, namespace, errors))) return true;
    }
  }
  return false;
}

/** Every rule that applies to `user` in `namespace` ('' = cluster scope only). */
export function rulesFor(source: PolicySource, user: UserInfo, namespace: string): RuleVisit {
  const errors: string[] = [];
  const rules: PolicyRule[] = [];
  visitRulesFor(source, user, namespace, (r) => rules.push(r) > 0, errors);
  return { rules, errors };
}

export function createRbacAuthorizer(source: PolicySource): Authorizer {
  return function rbac(attrs) {
    const errors: string[] = [];
    const allowed = visitRulesFor(source, attrs.user, attrs.isResourceRequest ? attrs.namespace : '', (r) => !ruleAllows(attrs, r), errors);
    if (allowed) return { decision: 'allow', reason: '' };
    return { decision: 'no-opinion', reason: errors.length > 0 ? `RBAC: [${errors.join(', ')}]` : '' };
  };
}
