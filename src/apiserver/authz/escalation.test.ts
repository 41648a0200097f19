import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StatusError } from '../../apimachinery/status.ts';
import type { UserInfo } from '../authn/user.ts';
import type { AdmissionRequest } from '../registry/admission.ts';
import { createEscalationHook } from './escalation.ts';
import { createRbacAuthorizer, type PolicySource } from './rbac.ts';
import type { BindingObject, RoleObject } from './rbac-types.ts';

const RBAC = 'rbac.authorization.k8s.io';
const roles: RoleObject[] = [
  { kind: 'ClusterRole', metadata: { name: 'cm-admin' }, rules: [{ verbs: ['*'], apiGroups: [''], resources: ['configmaps'] }, { verbs: ['create', 'get'], apiGroups: [RBAC], resources: ['rolebindings', 'roles'] }] },
  { kind: 'ClusterRole', metadata: { name: 'secret-reader' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }] },
  { kind: 'ClusterRole', metadata: { name: 'binder' }, rules: [{ verbs: ['bind'], apiGroups: [RBAC], resources: ['clusterroles'], resourceNames: ['secret-reader'] }] },
];
const bindings: BindingObject[] = [
  { kind: 'RoleBinding', metadata: { name: 'jane', namespace: 'ns' }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'cm-admin' }, subjects: [{ kind: 'User', name: 'jane' }] },
  { kind: 'RoleBinding', metadata: { name: 'bob', namespace: 'ns' }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'cm-admin' }, subjects: [{ kind: 'User', name: 'bob' }] },
  { kind: 'RoleBinding', metadata: { name: 'bob-bind', namespace: 'ns' }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'binder' }, subjects: [{ kind: 'User', name: 'bob' }] },
];
const source: PolicySource = {
  getRole: () => undefined,
  getClusterRole: (n) => roles.find((r) => r.metadata.name === n),
  clusterRoles: () => roles,
  roleBindings: (ns) => bindings.filter((b) => b.metadata.namespace === ns),
  clusterRoleBindings: () => [],
};
const hook = createEscalationHook({ authorize: createRbacAuthorizer(source), source });

const user = (name: string, groups: string[] = ['system:authenticated']): UserInfo => ({ name, groups, extra: {} });

function binding(u: UserInfo, role: string): AdmissionRequest {
  return {
    operation: 'CREATE', user: u, group: RBAC, version: 'v1', resource: 'rolebindings', subresource: '', namespace: 'ns', name: 'new',
    object: { kind: 'RoleBinding', metadata: { name: 'new', namespace: 'ns' }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: role }, subjects: [{ kind: 'User', name: 'eve' }] },
  };
}

function role(u: UserInfo, rules: RoleObject['rules']): AdmissionRequest {
  return { operation: 'CREATE', user: u, group: RBAC, version: 'v1', resource: 'roles', subresource: '', namespace: 'ns', name: 'r', object: { kind: 'Role', metadata: { name: 'r', namespace: 'ns' }, rules } };
}

test('binding a role whose rules the binder holds: allowed', async () => {
  await hook(binding(user('jane'), 'cm-admin'));
});

test('binding a role granting what the binder does not hold: 403 with the upstream message', async () => {
  await assert.rejects(async () => hook(binding(user('jane'), 'secret-reader')), (err: unknown) => {
    assert.ok(err instanceof StatusError);
    assert.equal(err.code, 403);
    assert.equal(err.message, 'rolebindings.rbac.authorization.k8s.io "new" is forbidden: user "jane" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}');
    return true;
  });
});

test('the bind verb on that role lets the binder through', async () => {
  await hook(binding(user('bob'), 'secret-reader'));
});

test('system:masters may bind anything', async () => {
  await hook(binding(user('root', ['system:masters']), 'secret-reader'));
});

test('a role may only carry held rules (no escalate verb)', async () => {
  await hook(role(user('jane'), [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['configmaps'] }]));
  await assert.rejects(async () => hook(role(user('jane'), [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }])), /attempting to grant RBAC permissions not currently held/);
});

test('other resources and DELETE are not checked', async () => {
  await hook({ ...binding(user('jane'), 'secret-reader'), operation: 'DELETE' });
  await hook({ ...binding(user('jane'), 'secret-reader'), group: '', resource: 'configmaps' });
});
