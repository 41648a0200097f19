import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Attributes } from './authorizer.ts';
import { forbiddenError } from './forbidden.ts';

const base: Attributes = { user: { name: 'u', groups: [], extra: {} }, verb: 'list', isResourceRequest: true, path: '/api/v1/namespaces/default/configmaps', namespace: 'default', apiGroup: '', apiVersion: 'v1', resource: 'configmaps', subresource: '', name: '' };

const cases: [string, Partial<Attributes>, string, Record<string, string>][] = [
  ['namespaced list', {}, 'configmaps is forbidden: User "u" cannot list resource "configmaps" in API group "" in the namespace "default"', { kind: 'configmaps' }],
  ['cluster scope', { namespace: '' }, 'configmaps is forbidden: User "u" cannot list resource "configmaps" in API group "" at the cluster scope', { kind: 'configmaps' }],
  ['named, grouped, subresource', { verb: 'update', apiGroup: 'apps', resource: 'deployments', subresource: 'scale', name: 'web' }, 'deployments.apps "web" is forbidden: User "u" cannot update resource "deployments/scale" in API group "apps" in the namespace "default"', { name: 'web', group: 'apps', kind: 'deployments' }],
  ['non-resource', { isResourceRequest: false, verb: 'get', path: '/metrics', resource: '', namespace: '' }, 'forbidden: User "u" cannot get path "/metrics"', {}],
];

for (const [name, attrs, message, details] of cases) {
  test(`forbidden: ${name}`, () => {
    const err = forbiddenError({ ...base, ...attrs });
    assert.equal(err.code, 403);
    assert.equal(err.reason, 'Forbidden');
    assert.equal(err.message, message);
    assert.deepEqual(err.status.details, details);
  });
}

test('forbidden: an authorizer reason is appended', () => {
  assert.match(forbiddenError(base, 'RBAC: [x]').message, /in the namespace "default": RBAC: \[x\]$/);
});
