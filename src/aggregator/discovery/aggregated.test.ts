import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIService } from '../apis/types.ts';
import type { APIGroupDiscoveryList } from './aggregated-types.ts';
import { convertResourceList, discoveryETag, mergeAggregatedDiscovery } from './aggregated.ts';
import { negotiateDiscovery } from './negotiate.ts';

const svc = (version: string, group: string, gpm: number, vp: number): APIService => ({ metadata: { name: `${version}.${group}` }, spec: { group, version, groupPriorityMinimum: gpm, versionPriority: vp } });

const local: APIGroupDiscoveryList = {
  kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {},
  items: [
    { metadata: { name: 'zz.example.com', creationTimestamp: null }, versions: [{ version: 'v1', resources: [], freshness: 'Current' }] },
    { metadata: { name: 'apiregistration.k8s.io', creationTimestamp: null }, versions: [{ version: 'v1', resources: [] }] },
    { metadata: { name: 'apps', creationTimestamp: null }, versions: [{ version: 'v1', resources: [] }] },
    { metadata: { name: 'shadowed.example.com', creationTimestamp: null }, versions: [{ version: 'v1', resources: [{ resource: 'local', scope: 'Cluster', singularResource: 'local', verbs: [] }] }] },
  ],
};

test('merge: priorities, group ties by name, remote beats local, stale kept', () => {
  const services = [svc('v1', 'apps', 17800, 15), svc('v1alpha1', 'wardle.example.com', 2000, 200), svc('v1beta1', 'wardle.example.com', 2000, 200), svc('v1', 'shadowed.example.com', 1000, 15), svc('v1', 'aa.example.com', 1000, 15)];
  const doc = mergeAggregatedDiscovery(local, [
    { group: 'wardle.example.com', version: 'v1alpha1', resources: [{ resource: 'flunders', scope: 'Namespaced', singularResource: 'flunder', verbs: ['get'] }], freshness: 'Current' },
    { group: 'wardle.example.com', version: 'v1beta1', resources: [], freshness: 'Stale' },
    { group: 'shadowed.example.com', version: 'v1', resources: [{ resource: 'remote', scope: 'Cluster', singularResource: 'remote', verbs: [] }], freshness: 'Current' },
    { group: 'aa.example.com', version: 'v1', resources: [], freshness: 'Current' },
  ], services);
  assert.deepEqual(doc.items.map((g) => [g.metadata.name, g.versions.map((v) => `${v.version}:${v.freshness}`)]), [
    ['apiregistration.k8s.io', ['v1:Current']],
    ['apps', ['v1:Current']],
    ['wardle.example.com', ['v1beta1:Stale', 'v1alpha1:Current']],
    ['aa.example.com', ['v1:Current']],
    ['shadowed.example.com', ['v1:Current']],
    ['zz.example.com', ['v1:Current']],
  ]);
  const shadow = doc.items.find((g) => g.metadata.name === 'shadowed.example.com')!;
  assert.deepEqual(shadow.versions[0].resources?.map((r) => r.resource), ['remote']);
  const flunders = doc.items.find((g) => g.metadata.name === 'wardle.example.com')!.versions[1].resources![0];
  assert.deepEqual(flunders.responseKind, {});
});

test('etag is quoted upper-case SHA-512', () => {
  assert.match(discoveryETag('{}'), /^"[0-9A-F]{128}"$/);
  assert.notEqual(discoveryETag('{}'), discoveryETag('[]'));
});

test('legacy APIResourceList converted with subresources folded', () => {
  const out = convertResourceList({ groupVersion: 'g/v1', resources: [
    { name: 'flunders', singularName: 'flunder', namespaced: true, kind: 'Flunder', verbs: ['get', 'list'], shortNames: ['fl'] },
    { name: 'flunders/status', namespaced: true, kind: 'Flunder', verbs: ['get', 'patch'] },
  ] }, 'g', 'v1');
  assert.deepEqual(out, [{ resource: 'flunders', responseKind: { group: 'g', version: 'v1', kind: 'Flunder' }, scope: 'Namespaced', singularResource: 'flunder', verbs: ['get', 'list'], shortNames: ['fl'], subresources: [{ subresource: 'status', responseKind: { group: 'g', version: 'v1', kind: 'Flunder' }, verbs: ['get', 'patch'] }] }]);
});

test('negotiation', () => {
  const cases: Array<[string | undefined, boolean, string]> = [
    ['application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json', true, 'aggregated v2'],
    ['application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json', true, 'aggregated v2beta1'],
    ['application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json', true, 'legacy'],
    ['application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList', false, 'legacy'],
    ['application/json', true, 'legacy'],
    [undefined, true, 'legacy'],
    ['application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,*/*', true, 'legacy'],
  ];
  for (const [accept, allow, want] of cases) {
    const f = negotiateDiscovery(accept, allow);
    assert.equal(f.form === 'aggregated' ? `aggregated ${f.version}` : 'legacy', want, String(accept));
  }
});
