import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aggregatorHosts } from './aggregator-variant.ts';
import { KUBEADM_CAS, KUBEADM_KUBECONFIGS, KUBEADM_LEAVES, KUBEADM_PHASE_ORDER, pairFiles, treeCas, treeLeaves } from './cert-list.ts';

test('every leaf names a CA of the tree, and names and files are unique', () => {
  const cas = new Set(KUBEADM_CAS.map((c) => c.name));
  for (const leaf of KUBEADM_LEAVES) assert.ok(cas.has(leaf.ca), leaf.name);
  const names = [...KUBEADM_CAS.map((c) => c.name), ...KUBEADM_LEAVES.map((l) => l.name), ...KUBEADM_KUBECONFIGS.map((k) => k.file)];
  assert.equal(new Set(names).size, names.length);
  const files = [...KUBEADM_CAS, ...KUBEADM_LEAVES].flatMap((e) => Object.values(pairFiles(e.baseName)));
  assert.equal(new Set(files).size, files.length);
});

test('the phase order lists every CA and leaf once, each CA before its leaves', () => {
  const order: readonly string[] = KUBEADM_PHASE_ORDER;
  assert.deepEqual([...order].sort(), [...KUBEADM_CAS.map((c) => c.name), ...KUBEADM_LEAVES.map((l) => l.name), 'sa'].sort());
  for (const leaf of KUBEADM_LEAVES) assert.ok(order.indexOf(leaf.ca) < order.indexOf(leaf.name), leaf.name);
});

test('external etcd leaves the first five entries (A.2)', () => {
  assert.deepEqual(treeCas(true).map((c) => c.name), ['ca', 'front-proxy-ca']);
  assert.deepEqual(treeLeaves(true).map((l) => l.name), ['apiserver', 'apiserver-kubelet-client', 'front-proxy-client']);
  assert.equal(treeLeaves(false).length, 7);
});

test("the aggregator hosts follow the seed's list with the advertise address and the domain's prefixes", () => {
  assert.deepEqual(aggregatorHosts({ advertiseAddress: '10.53.5.94', serviceCidr: '10.96.0.0/12', dnsDomain: 'cluster.local' }), {
    dns: ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster', 'kubernetes.default.svc.cluster.local'],
    ips: ['127.0.0.1', '10.53.5.94', '10.96.0.1'],
  });
  assert.deepEqual(aggregatorHosts({ advertiseAddress: '127.0.0.1', serviceCidr: '10.100.0.0/16', dnsDomain: 'corp' }), {
    dns: ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.corp'],
    ips: ['127.0.0.1', '10.100.0.1'],
  });
});
