import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtInResources } from '../resources/mod.ts';
import { aggregatedDiscovery, apiResourceList, groupsOf, storageVersionHash, type ServedResource } from './documents.ts';

const served: ServedResource[] = builtInResources()
  .filter((d) => !d.action)
  .map((def) => ({ def, subresources: def.plural === 'serviceaccounts' ? [{ name: 'token', group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] }] : [] }));

test('groups: core first, then the well-known order', () => {
  assert.deepEqual(groupsOf(served).map((g) => g.group), ['', 'coordination.k8s.io', 'discovery.k8s.io', 'rbac.authorization.k8s.io']);
});

test('every aggregated resource has a responseKind and an exact scope', () => {
  for (const core of [true, false]) {
    const doc = aggregatedDiscovery(served, core, 'apidiscovery.k8s.io/v2') as { items: Array<{ versions: Array<{ freshness: string; resources: Array<Record<string, any>> }> }> };
    for (const item of doc.items) {
      for (const v of item.versions) {
        assert.equal(v.freshness, 'Current');
        for (const r of v.resources) {
          assert.ok(r.responseKind.kind, r.resource);
          assert.ok(r.scope === 'Namespaced' || r.scope === 'Cluster');
        }
      }
    }
  }
});

test('legacy resource list names subresources of another group', () => {
  const list = apiResourceList(served, '', 'v1') as { resources: Array<Record<string, unknown>> };
  const token = list.resources.find((r) => r.name === 'serviceaccounts/token');
  assert.deepEqual(token, { name: 'serviceaccounts/token', singularName: '', namespaced: true, kind: 'TokenRequest', verbs: ['create'], group: 'authentication.k8s.io', version: 'v1' });
  const cm = list.resources.find((r) => r.name === 'configmaps');
  assert.equal(cm?.storageVersionHash, storageVersionHash(served.find((s) => s.def.plural === 'configmaps')!.def));
});
