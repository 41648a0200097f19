import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIService } from '../apis/types.ts';
import { apiGroupList, apiGroupOf } from './group-list.ts';

function svc(version: string, group: string, gpm: number, vp: number, remote = false): APIService {
  return {
    metadata: { name: `${version}.${group}` },
    spec: { group, version, groupPriorityMinimum: gpm, versionPriority: vp, ...(remote ? { service: { namespace: 'ns', name: 'api', port: 443 } } : {}) },
  };
}

// Spec 3.1 / 3.1.1 worked through: priorities of several APIServices, ties on name, the
// legacy `v1.` skipped, the group placed at its highest-priority version, versions by
// versionPriority then kube-aware order.
test('/apis ordering: worked example', () => {
  const services = [
    svc('v1', '', 18000, 1),
    svc('v1', 'apps', 17800, 15),
    svc('v1alpha1', 'wardle.example.com', 2000, 200, true),
    svc('v1beta1', 'wardle.example.com', 2000, 200, true),
    svc('v1', 'wardle.example.com', 100, 300, true),
    svc('v1beta1', 'metrics.k8s.io', 100, 100, true),
    svc('v1', 'zeta.example.com', 2000, 15, true),
    svc('v2', 'alpha.example.com', 2000, 15, true),
    svc('v1', 'rbac.authorization.k8s.io', 17000, 15),
  ];
  const list = apiGroupList(services);
  assert.deepEqual(
    list.groups.map((g) => [g.name, g.versions.map((v) => v.version), g.preferredVersion.version]),
    [
      ['apiregistration.k8s.io', ['v1'], 'v1'],
      ['apps', ['v1'], 'v1'],
      ['rbac.authorization.k8s.io', ['v1'], 'v1'],
      // 2000 ties: by APIService name: v1.zeta.example.com < v1alpha1.wardle... < v2.alpha...
      ['zeta.example.com', ['v1'], 'v1'],
      ['wardle.example.com', ['v1', 'v1beta1', 'v1alpha1'], 'v1'],
      ['alpha.example.com', ['v2'], 'v2'],
      ['metrics.k8s.io', ['v1beta1'], 'v1beta1'],
    ],
  );
  assert.equal(list.kind, 'APIGroupList');
  assert.equal(list.groups[4].versions[1].groupVersion, 'wardle.example.com/v1beta1');
});

test('/apis/<group>', () => {
  const services = [svc('v1alpha1', 'wardle.example.com', 2000, 200, true), svc('v1beta1', 'wardle.example.com', 2000, 200, true)];
  const g = apiGroupOf(services, 'wardle.example.com');
  assert.equal(g?.kind, 'APIGroup');
  assert.equal(g?.preferredVersion.version, 'v1beta1');
  assert.equal(apiGroupOf(services, 'other'), undefined);
});
