// RBAC's escalation check as an admission hook (pkg/registry/rbac/*/policybased): a user may
// create or update a role only with the rules it already holds (or the `escalate` verb), and
// a binding only to a role whose rules it holds (or the `bind` verb on that role).
import { StatusError } from '../../apimachinery/status.ts';
import { SYSTEM_GROUPS, type UserInfo } from '../authn/user.ts';
import type { AdmissionHook, AdmissionRequest } from '../registry/admission.ts';
import type { Authorizer } from './authorizer.ts';
import { atomicRules, ruleCovers } from './rbac-rules.ts';
import { clusterRoleRules, rulesFor, type PolicySource } from './rbac.ts';
import { RBAC_GROUP, type BindingObject, type PolicyRule, type RoleObject } from './rbac-types.ts';

const ROLE_RESOURCES = new Set(['roles', 'clusterroles']);
const BINDING_RESOURCES = new Set(['rolebindings', 'clusterrolebindings']);

function goQuoted(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
}

/** `{APIGroups:[""], Resources:["configmaps"], Verbs:["get"]}` as upstream's CompactString. */
export function compactRule(r: PolicyRule): string {
  const parts: string[] = [];
  if (r.apiGroups?.length) parts.push(`APIGroups:${goQuoted(r.apiGroups)}`);
  if (r.resources?.length) parts.push(`Resources:${goQuoted(r.resources)}`);
  if (r.resourceNames?.length) parts.push(`ResourceNames:${goQuoted(r.resourceNames)}`);
  if (r.nonResourceURLs?.length) parts.push(`NonResourceURLs:${goQuoted(r.nonResourceURLs)}`);
  parts.push(`Verbs:${goQuoted(r.verbs)}`);
  return `{${parts.join(', ')}}`;
}

/** The atomic rules of `servant` that no owner rule covers. */
export function missingRules(owner: readonly PolicyRule[], servant: readonly PolicyRule[]): PolicyRule[] {
  const missing: PolicyRule[] = [];
  for (const r of servant) for (const a of atomicRules(r)) if (!owner.some((o) => ruleCovers(o, a))) missing.push(a);
  return missing;
}

function isSuperuser(user: UserInfo): boolean {
  return user.groups.includes(SYSTEM_GROUPS.masters);
}

export interface EscalationDeps {
  authorize: Authorizer;
  source: PolicySource;
}

function forbiddenFor(req: AdmissionRequest, message: string): StatusError {
  const what = req.name ? `${req.resource}.${RBAC_GROUP} "${req.name}"` : `${req.resource}.${RBAC_GROUP}`;
  return new StatusError('Forbidden', `${what} is forbidden: ${message}`, { ...(req.name ? { name: req.name } : {}), group: RBAC_GROUP, kind: req.resource });
}

async function allowedVerb(deps: EscalationDeps, user: UserInfo, verb: string, resource: string, namespace: string, name: string): Promise<boolean> {
  const d = await deps.authorize({ user, verb, isResourceRequest: true, path: '', namespace, apiGroup: RBAC_GROUP, apiVersion: '', resource, subresource: '', name });
  return d.decision === 'allow';
}

function confirmNoEscalation(deps: EscalationDeps, req: AdmissionRequest, rules: readonly PolicyRule[]): void {
  const owned = rulesFor(deps.source, req.user, req.namespace);
  const missing = missingRules(owned.rules, rules);
  if (missing.length === 0) return;
  let msg = `user ${JSON.stringify(req.user.name)} (groups=${goQuoted(req.user.groups)}) is attempting to grant RBAC permissions not currently held:\n${missing.map(compactRule).join('\n')}`;
  if (owned.errors.length > 0) msg += `; resolution errors: [${owned.errors.join(' ')}]`;
  throw forbiddenFor(req, msg);
}

export function createEscalationHook(deps: EscalationDeps): AdmissionHook {
  return async function rbacEscalation(req) {
    if (req.group !== RBAC_GROUP || req.subresource !== '' || (req.operation !== 'CREATE' && req.operation !== 'UPDATE') || !req.object) return;
    if (isSuperuser(req.user)) return;
    if (ROLE_RESOURCES.has(req.resource)) {
      if (await allowedVerb(deps, req.user, 'escalate', req.resource, req.namespace, req.name)) return;
      const role = req.object as RoleObject;
      if (req.resource === 'clusterroles' && role.aggregationRule?.clusterRoleSelectors?.length) {
        throw forbiddenFor(req, 'must have cluster-admin privileges to use the aggregationRule');
      }
      confirmNoEscalation(deps, req, role.rules ?? []);
      return;
    }
    if (BINDING_RESOURCES.has(req.resource)) {
      const binding = req.object as BindingObject;
      const ref = binding.roleRef;
      if (!ref || ref.apiGroup !== RBAC_GROUP || (ref.kind !== 'Role' && ref.kind !== 'ClusterRole')) return; // validation reports it
      const refResource = ref.kind === 'Role' ? 'roles' : 'clusterroles';
      if (await allowedVerb(deps, req.user, 'bind', refResource, req.namespace, ref.name)) return;
      let rules: PolicyRule[];
      if (ref.kind === 'Role') {
        const role = deps.source.getRole(req.namespace, ref.name);
        if (!role) throw forbiddenFor(req, `role.rbac.authorization.k8s.io "${ref.name}" not found`);
        rules = role.rules ?? [];
      } else {
        const role = deps.source.getClusterRole(ref.name);
        if (!role) throw forbiddenFor(req, `clusterrole.rbac.authorization.k8s.io "${ref.name}" not found`);
        rules = clusterRoleRules(deps.source, role);
      }
      confirmNoEscalation(deps, req, rules);
    }
  };
}
