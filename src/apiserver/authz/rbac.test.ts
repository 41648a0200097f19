import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { UserInfo } from '../authn/user.ts';
import type { Attributes } from './authorizer.ts';
import { BOOTSTRAP_CLUSTER_ROLE_BINDINGS, BOOTSTRAP_CLUSTER_ROLES } from './bootstrap-policy.ts';
import { createRbacAuthorizer, rulesFor, type PolicySource } from './rbac.ts';
import type { BindingObject, RoleObject } from './rbac-types.ts';

/** A PolicySource over fixed objects (the informer-backed one is exercised end to end). */
function source(objs: (RoleObject | BindingObject)[]): PolicySource {
  const of = (kind: string) => objs.filter((o) => o.kind === kind);
  return {
    getRole: (ns, name) => of('Role').find((o) => o.metadata.namespace === ns && o.metadata.name === name) as RoleObject | undefined,
    getClusterRole: (name) => of('ClusterRole').find((o) => o.metadata.name === name) as RoleObject | undefined,
    clusterRoles: () => of('ClusterRole') as RoleObject[],
    roleBindings: (ns) => of('RoleBinding').filter((o) => o.metadata.namespace === ns) as BindingObject[],
    clusterRoleBindings: () => of('ClusterRoleBinding') as BindingObject[],
  };
}

const jane: UserInfo = { name: 'jane', groups: ['devs', 'system:authenticated'], extra: {} };
const robot: UserInfo = { name: 'system:serviceaccount:apps:robot', groups: ['system:serviceaccounts', 'system:authenticated'], extra: {} };
const anon: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'], extra: {} };

const objects: (RoleObject | BindingObject)[] = [
  ...BOOTSTRAP_CLUSTER_ROLES,
  ...BOOTSTRAP_CLUSTER_ROLE_BINDINGS,
  { kind: 'Role', metadata: { name: 'cm-reader', namespace: 'apps' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'] }] },
  { kind: 'Role', metadata: { name: 'status-writer', namespace: 'apps' }, rules: [{ verbs: ['update'], apiGroups: ['*'], resources: ['*/status'] }] },
  { kind: 'RoleBinding', metadata: { name: 'b1', namespace: 'apps' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-reader' }, subjects: [{ kind: 'Group', name: 'devs' }] },
  { kind: 'RoleBinding', metadata: { name: 'b2', namespace: 'apps' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'status-writer' }, subjects: [{ kind: 'ServiceAccount', name: 'robot' }] },
  { kind: 'RoleBinding', metadata: { name: 'b3', namespace: 'team' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'User', name: 'jane' }] },
  { kind: 'RoleBinding', metadata: { name: 'dangling', namespace: 'team' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'missing' }, subjects: [{ kind: 'User', name: 'jane' }] },
  { kind: 'ClusterRole', metadata: { name: 'extra-view', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }, rules: [{ verbs: ['get'], apiGroups: ['wardle.example.com'], resources: ['flunders'] }] },
];

function res(user: UserInfo, verb: string, namespace: string, resource: string, o: Partial<Attributes> = {}): Attributes {
  return { user, verb, isResourceRequest: true, path: '', namespace, apiGroup: '', apiVersion: 'v1', resource, subresource: '', name: '', ...o };
}
function path(user: UserInfo, verb: string, p: string): Attributes {
  return { user, verb, isResourceRequest: false, path: p, namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '' };
}

const cases: [string, Attributes, 'allow' | 'no-opinion'][] = [
  ['resourceNames: the named configmap', res(jane, 'get', 'apps', 'configmaps', { name: 'settings' }), 'allow'],
  ['resourceNames: another name', res(jane, 'get', 'apps', 'configmaps', { name: 'other' }), 'no-opinion'],
  ['resourceNames: list is not covered', res(jane, 'list', 'apps', 'configmaps'), 'no-opinion'],
  ['a RoleBinding does not reach other namespaces', res(jane, 'get', 'default', 'configmaps', { name: 'settings' }), 'no-opinion'],
  ['ServiceAccount subject defaults to the binding namespace; */status', res(robot, 'update', 'apps', 'deployments', { apiGroup: 'apps', subresource: 'status', name: 'd' }), 'allow'],
  ['*/status does not cover the main resource', res(robot, 'update', 'apps', 'deployments', { apiGroup: 'apps', name: 'd' }), 'no-opinion'],
  ['edit via RoleBinding to a ClusterRole: aggregated rules', res(jane, 'create', 'team', 'secrets'), 'allow'],
  ['edit includes view through nested aggregation', res(jane, 'watch', 'team', 'services'), 'allow'],
  ['a label-selected ClusterRole joins view (and so edit)', res(jane, 'get', 'team', 'flunders', { apiGroup: 'wardle.example.com' }), 'allow'],
  ['edit does not grant roles', res(jane, 'create', 'team', 'roles', { apiGroup: 'rbac.authorization.k8s.io' }), 'no-opinion'],
  ['system:discovery for authenticated users', path(jane, 'get', '/apis/apps/v1'), 'allow'],
  ['public info for anonymous', path(anon, 'get', '/version'), 'allow'],
  ['discovery is not for anonymous', path(anon, 'get', '/api'), 'no-opinion'],
  ['basic-user: selfsubjectaccessreviews', res(jane, 'create', '', 'selfsubjectaccessreviews', { apiGroup: 'authorization.k8s.io' }), 'allow'],
  ['non-resource verb must match', path(jane, 'post', '/version'), 'no-opinion'],
];

for (const [name, attrs, want] of cases) {
  test(`rbac: ${name}`, async () => {
    assert.equal((await createRbacAuthorizer(source(objects))(attrs)).decision, want);
  });
}

test('rbac: a binding to a missing role is reported in the reason', async () => {
  const d = await createRbacAuthorizer(source(objects))(res(jane, 'delete', 'team', 'nodes'));
  assert.equal(d.decision, 'no-opinion');
  assert.equal(d.reason, 'RBAC: [clusterrole.rbac.authorization.k8s.io "missing" not found]');
});

test('rulesFor: cluster scope ignores RoleBindings', () => {
  const inNs = rulesFor(source(objects), jane, 'apps').rules.length;
  const cluster = rulesFor(source(objects), jane, '').rules.length;
  assert.ok(inNs > cluster);
});
