import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredObject } from '../../../storage/interface.ts';
import { defaultSubjects, validateBinding, validateRoleRefUnchanged, validateRules } from './validation.ts';

const G = 'rbac.authorization.k8s.io';
const obj = (o: Record<string, unknown>): StoredObject => ({ metadata: { name: 'x' }, ...o });
const paths = (errs: Array<{ path: string; type: string }>) => errs.map((e) => `${e.path} ${e.type}`);

test('policy rules', () => {
  const cases: Array<[string, unknown[], boolean, string[]]> = [
    ['resource rule', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], true, []],
    ['no verbs', [{ apiGroups: [''], resources: ['pods'] }], true, ['rules[0].verbs FieldValueRequired']],
    ['no api groups', [{ verbs: ['get'], resources: ['pods'] }], true, ['rules[0].apiGroups FieldValueRequired']],
    ['non-resource in a cluster role', [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }], false, []],
    ['non-resource in a role', [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }], true, ['rules[0].nonResourceURLs FieldValueInvalid']],
    ['both kinds in one rule', [{ verbs: ['get'], nonResourceURLs: ['/x'], resources: ['pods'] }], false, ['rules[0].nonResourceURLs FieldValueInvalid']],
  ];
  for (const [name, rules, namespaced, want] of cases) assert.deepEqual(paths(validateRules(obj({ rules }), namespaced)), want, name);
});

test('bindings', () => {
  const ref = { apiGroup: G, kind: 'ClusterRole', name: 'view' };
  const cases: Array<[string, Record<string, unknown>, boolean, string[]]> = [
    ['good', { roleRef: ref, subjects: [{ kind: 'User', apiGroup: G, name: 'u' }, { kind: 'ServiceAccount', name: 'sa', namespace: 'ns' }] }, false, []],
    ['Role from a cluster binding', { roleRef: { ...ref, kind: 'Role' } }, false, ['roleRef.kind FieldValueNotSupported']],
    ['Role from a namespaced binding', { roleRef: { ...ref, kind: 'Role' } }, true, []],
    ['service account without namespace in a cluster binding', { roleRef: ref, subjects: [{ kind: 'ServiceAccount', name: 'sa' }] }, false, ['subjects[0].namespace FieldValueRequired']],
    ['unknown subject kind', { roleRef: ref, subjects: [{ kind: 'Robot', name: 'r' }] }, true, ['subjects[0].kind FieldValueNotSupported']],
    ['wrong roleRef group', { roleRef: { ...ref, apiGroup: 'x' } }, true, ['roleRef.apiGroup FieldValueNotSupported']],
  ];
  for (const [name, o, namespaced, want] of cases) assert.deepEqual(paths(validateBinding(obj(o), namespaced)), want, name);
  assert.deepEqual(paths(validateRoleRefUnchanged(obj({ roleRef: ref }), obj({ roleRef: { ...ref, name: 'edit' } }))), ['roleRef FieldValueInvalid']);
});

test('subjects default their apiGroup', () => {
  const o = obj({ roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'u' }, { kind: 'ServiceAccount', name: 'sa' }] });
  defaultSubjects(o);
  assert.deepEqual(o.subjects, [{ kind: 'User', name: 'u', apiGroup: G }, { kind: 'ServiceAccount', name: 'sa' }]);
  assert.equal((o.roleRef as { apiGroup: string }).apiGroup, G);
});
