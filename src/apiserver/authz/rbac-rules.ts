// Pure RBAC matching (plugin/pkg/auth/authorizer/rbac/rbac.go, pkg/apis/rbac/v1/evaluation_helpers.go).
import type { UserInfo } from '../authn/user.ts';
import type { Attributes } from './authorizer.ts';
import type { LabelSelector, PolicyRule, Subject } from './rbac-types.ts';

const ALL = '*';

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.includes(ALL) || rule.verbs.includes(verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return (rule.apiGroups ?? []).some((g) => g === ALL || g === group);
}

export function resourceMatches(rule: PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  for (const r of rule.resources ?? []) {
    if (r === ALL || r === combined) return true;
    if (subresource && r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === ALL || u === path) return true;
    if (u.endsWith('*') && path.startsWith(u.slice(0, -1))) return true;
  }
  return false;
}

export function ruleAllows(attrs: Attributes, rule: PolicyRule): boolean {
  if (attrs.isResourceRequest) {
    return verbMatches(rule, attrs.verb) && apiGroupMatches(rule, attrs.apiGroup) && resourceMatches(rule, attrs.resource, attrs.subresource) && resourceNameMatches(rule, attrs.name);
  }
  return verbMatches(rule, attrs.verb) && nonResourceURLMatches(rule, attrs.path);
}

/** Does a binding subject name this user? `bindingNamespace` defaults a ServiceAccount's namespace. */
export function subjectMatches(subject: Subject, user: UserInfo, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.name === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const ns = subject.namespace || bindingNamespace;
      return ns !== '' && user.name === `system:serviceaccount:${ns}:${subject.name}`;
    }
    default:
      return false;
  }
}

/** matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist); an empty selector matches everything. */
export function selectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const vals = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !vals.includes(labels[e.key])) return false;
        break;
      case 'NotIn':
        if (has && vals.includes(labels[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Splits a rule into one rule per verb/group/resource/name, for the escalation check. */
export function atomicRules(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const verb of rule.verbs) {
    if (rule.nonResourceURLs && rule.nonResourceURLs.length > 0) {
      for (const u of rule.nonResourceURLs) out.push({ verbs: [verb], nonResourceURLs: [u] });
    }
    for (const g of rule.apiGroups ?? []) {
      for (const r of rule.resources ?? []) {
        const names = rule.resourceNames && rule.resourceNames.length > 0 ? rule.resourceNames : [undefined];
        for (const n of names) out.push({ verbs: [verb], apiGroups: [g], resources: [r], ...(n === undefined ? {} : { resourceNames: [n] }) });
      }
    }
  }
  return out;
}

/** Does `owner` grant at least what the atomic rule `servant` grants? (validation.Covers) */
export function ruleCovers(owner: PolicyRule, servant: PolicyRule): boolean {
  if (!owner.verbs.includes(ALL) && !owner.verbs.includes(servant.verbs[0])) return false;
  if (servant.nonResourceURLs && servant.nonResourceURLs.length > 0) {
    const u = servant.nonResourceURLs[0];
    return (owner.nonResourceURLs ?? []).some((o) => o === ALL || o === u || (o.endsWith('*') && u.startsWith(o.slice(0, -1))));
  }
  const g = servant.apiGroups?.[0] ?? '';
  if (!(owner.apiGroups ?? []).some((o) => o === ALL || o === g)) return false;
  const r = servant.resources?.[0] ?? '';
  const slash = r.indexOf('/');
  const ownsResource = (owner.resources ?? []).some((o) => o === ALL || o === r || (slash > 0 && o === `*${r.slice(slash)}`) || (slash > 0 && o === `${r.slice(0, slash)}/*`));
  if (!ownsResource) return false;
  const ownerNames = owner.resourceNames ?? [];
  if (ownerNames.length === 0) return true;
  const n = servant.resourceNames?.[0];
  return n !== undefined && ownerNames.includes(n);
}
