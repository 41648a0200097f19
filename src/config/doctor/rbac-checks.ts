// Online: the RBAC every extension server needs (D18, D20). The backend's identity is the
// service account of the pods its Service selects.
import type { ClusterRoleBinding, RoleBinding, Subject } from 'kubernetes-types/rbac/v1.d.ts';
import { AUTH_CONFIGMAP, type ClusterState } from './cluster-state.ts';
import type { Check, Finding } from './types.ts';

export const AUTH_READER_ROLE = 'extension-apiserver-authentication-reader';
export const AUTH_DELEGATOR_CLUSTER_ROLE = 'system:auth-delegator';

/** Does a binding subject cover service account `ns/name`? */
export function subjectCovers(subject: Subject, ns: string, name: string): boolean {
  if (subject.kind === 'ServiceAccount') return subject.name === name && (subject.namespace ?? '') === ns;
  if (subject.kind === 'Group') return ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'].includes(subject.name);
  if (subject.kind === 'User') return subject.name === `system:serviceaccount:${ns}:${name}`;
  return false;
}

function bound(bindings: Array<RoleBinding | ClusterRoleBinding>, roleKind: string, roleName: string, ns: string, sa: string): boolean {
  return bindings.some((b) => b.roleRef.kind === roleKind && b.roleRef.name === roleName && (b.subjects ?? []).some((s) => subjectCovers(s, ns, sa)));
}

export const rbacChecks: Check = {
  name: 'extension server RBAC',
  ids: ['D18', 'D20'],
  needs: ['online'],
  run(ctx) {
    const cluster = ctx.cluster as ClusterState;
    if (!cluster.apiServices.ok) return [];
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const svc of cluster.apiServices.value) {
      const ref = svc.spec.service;
      const backend = cluster.backends.get(svc.metadata.name ?? '');
      if (!ref || !backend?.serviceAccounts.ok) continue;
      const ns = ref.namespace ?? '';
      for (const sa of backend.serviceAccounts.value) {
        const key = `${ns}/${sa}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (cluster.roleBindings.ok && !bound(cluster.roleBindings.value, 'Role', AUTH_READER_ROLE, ns, sa)) {
          out.push({
            id: 'D18', severity: 'error', subject: `serviceaccount/${ns}/${sa}`,
            summary: `service account ${ns}/${sa} (pods behind APIService ${svc.metadata.name}) has no RoleBinding in kube-system to role ${AUTH_READER_ROLE}`,
            why: `the backend cannot read ${AUTH_CONFIGMAP.namespace}/${AUTH_CONFIGMAP.name}: it crashes with unable to load configmap based request-header-client-ca-file: configmaps "${AUTH_CONFIGMAP.name}" is forbidden (or, tolerating the failure, treats every request as anonymous). A RoleBinding in its own namespace does not help`,
            fix: `kubectl create rolebinding -n kube-system ${sa}-auth-reader --role=${AUTH_READER_ROLE} --serviceaccount=${ns}:${sa}`,
          });
        }
        if (cluster.clusterRoleBindings.ok && !bound(cluster.clusterRoleBindings.value, 'ClusterRole', AUTH_DELEGATOR_CLUSTER_ROLE, ns, sa)) {
          out.push({
            id: 'D20', severity: 'error', subject: `serviceaccount/${ns}/${sa}`,
            summary: `service account ${ns}/${sa} (pods behind APIService ${svc.metadata.name}) has no ClusterRoleBinding to ${AUTH_DELEGATOR_CLUSTER_ROLE}`,
            why: 'the backend cannot create TokenReviews and SubjectAccessReviews (subjectaccessreviews.authorization.k8s.io is forbidden), so it answers 401/403 to every request, including the availability probe',
            fix: `kubectl create clusterrolebinding ${ns}-${sa}:${AUTH_DELEGATOR_CLUSTER_ROLE.replace(':', '-')} --clusterrole=${AUTH_DELEGATOR_CLUSTER_ROLE} --serviceaccount=${ns}:${sa}`,
          });
        }
      }
    }
    return out;
  },
};
