import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeProtobuf, encodeProtobuf } from './decode.ts';
import { isStatusError } from '../../apimachinery/status.ts';

test('decodes the body kubectl create configmap sends (kubectl.md 1.2)', () => {
  const hex = '6b387300 0a0f 0a027631 1209 436f6e6669674d6170 121c 0a12 0a026331 1200 1a00 2200 2a00 3200 3800 4200 1206 0a016b 120176 1a00 2200';
  const body = Buffer.from(hex.replace(/ /g, ''), 'hex');
  const got = decodeProtobuf(body);
  assert.deepEqual(got.object, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1' }, data: { k: 'v' } });
});

test('round trips typed objects', () => {
  const cases: Array<[string, string, string, Record<string, unknown>, Record<string, unknown>]> = [
    ['secret bytes become base64', 'v1', 'Secret', { metadata: { name: 's' }, data: { a: Buffer.from('hi') }, type: 'Opaque' }, { metadata: { name: 's' }, data: { a: 'aGk=' }, type: 'Opaque' }],
    ['service with int and string target ports', 'v1', 'Service', { metadata: { name: 'svc' }, spec: { type: 'ClusterIP', ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: { type: 0, intVal: 8080 } }, { port: 81, targetPort: { type: 1, strVal: 'web' } }], selector: { app: 'svc' } } }, { metadata: { name: 'svc' }, spec: { type: 'ClusterIP', ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }, { port: 81, targetPort: 'web' }], selector: { app: 'svc' } } }],
    ['role rules', 'rbac.authorization.k8s.io/v1', 'Role', { metadata: { name: 'r' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] }, { metadata: { name: 'r' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] }],
    ['access review', 'authorization.k8s.io/v1', 'SelfSubjectAccessReview', { metadata: {}, spec: { resourceAttributes: { namespace: 'default', verb: 'create', group: '', version: '', resource: 'pods', subresource: '', name: '' } } }, { metadata: {}, spec: { resourceAttributes: { namespace: 'default', verb: 'create', resource: 'pods' } } }],
    ['cluster role with an aggregation rule', 'rbac.authorization.k8s.io/v1', 'ClusterRole', { metadata: { name: 'agg', labels: { a: 'b' } }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'x/y': 'true' }, matchExpressions: [{ key: 'k', operator: 'In', values: ['v'] }] }] } }, { metadata: { name: 'agg', labels: { a: 'b' } }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'x/y': 'true' }, matchExpressions: [{ key: 'k', operator: 'In', values: ['v'] }] }] } }],
    ['role binding', 'rbac.authorization.k8s.io/v1', 'RoleBinding', { metadata: { name: 'rb' }, subjects: [{ kind: 'ServiceAccount', apiGroup: '', name: 'robot', namespace: 'default' }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' } }, { metadata: { name: 'rb' }, subjects: [{ kind: 'ServiceAccount', name: 'robot', namespace: 'default' }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' } }],
    ['namespace', 'v1', 'Namespace', { metadata: { name: 'ns', creationTimestamp: { seconds: 1796000000 } }, spec: {}, status: {} }, { metadata: { name: 'ns', creationTimestamp: '2026-11-30T00:53:20Z' }, spec: {}, status: {} }],
    ['service account', 'v1', 'ServiceAccount', { metadata: { name: 'sa' }, automountServiceAccountToken: false }, { metadata: { name: 'sa' }, automountServiceAccountToken: false }],
    ['subject access review with extra', 'authorization.k8s.io/v1', 'SubjectAccessReview', { metadata: {}, spec: { user: 'u', groups: ['g'], extra: { scopes: { items: ['a', 'b'] } }, nonResourceAttributes: { path: '/healthz', verb: 'get' } } }, { metadata: {}, spec: { user: 'u', groups: ['g'], extra: { scopes: ['a', 'b'] }, nonResourceAttributes: { path: '/healthz', verb: 'get' } } }],
    ['token request', 'authentication.k8s.io/v1', 'TokenRequest', { metadata: { creationTimestamp: { seconds: 0 } }, spec: { audiences: ['a'], expirationSeconds: 600 } }, { metadata: {}, spec: { audiences: ['a'], expirationSeconds: 600 } }],
  ];
  for (const [name, apiVersion, kind, input, want] of cases) {
    const got = decodeProtobuf(encodeProtobuf(apiVersion, kind, input));
    assert.deepEqual(got.object, { apiVersion, kind, ...want }, name);
  }
});

test('unknown kinds are 415 and garbage is 400', () => {
  assert.throws(() => decodeProtobuf(Buffer.from('{}')), (e) => isStatusError(e) && e.code === 400);
  const env = encodeProtobuf('v1', 'ConfigMap', {});
  const patched = Buffer.from(env.toString('latin1').replace('ConfigMap', 'ConfigMaq'), 'latin1');
  assert.throws(() => decodeProtobuf(patched), (e) => isStatusError(e) && e.code === 415);
});
