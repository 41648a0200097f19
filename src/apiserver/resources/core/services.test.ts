import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredObject } from '../../../storage/interface.ts';
import { services } from './services.ts';
import { inServiceRange, pickClusterIP } from './service-ip.ts';

const now = new Date('2026-11-28T17:00:00Z');
const svc = (spec: Record<string, unknown>, status?: unknown): StoredObject => ({ metadata: { name: 's', creationTimestamp: '2026-11-28T16:55:00Z' }, spec, ...(status ? { status } : {}) });

test('service table cells follow printService', () => {
  const cases: Array<[string, StoredObject, unknown[]]> = [
    ['cluster ip', svc({ type: 'ClusterIP', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, protocol: 'TCP' }], selector: { b: '2', a: '1' } }), ['s', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP', '5m', 'a=1,b=2']],
    ['node port', svc({ type: 'NodePort', clusterIP: '10.96.0.11', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] }), ['s', 'NodePort', '10.96.0.11', '<none>', '80:30080/TCP,53/UDP', '5m', '<none>']],
    ['lb pending', svc({ type: 'LoadBalancer', clusterIP: '10.96.0.12', ports: [] }), ['s', 'LoadBalancer', '10.96.0.12', '<pending>', '<none>', '5m', '<none>']],
    ['lb ingress', svc({ type: 'LoadBalancer', clusterIP: '10.96.0.12' }, { loadBalancer: { ingress: [{ ip: '1.2.3.4' }, { hostname: 'lb.example.com' }] } }), ['s', 'LoadBalancer', '10.96.0.12', '1.2.3.4,lb.example.com', '<none>', '5m', '<none>']],
    ['external name', svc({ type: 'ExternalName', externalName: 'db.example.com' }), ['s', 'ExternalName', '<none>', 'db.example.com', '<none>', '5m', '<none>']],
  ];
  for (const [name, obj, want] of cases) assert.deepEqual(services.table!.cells(obj, now), want, name);
});

test('cluster IPs stay inside 10.96.0.0/12 and skip used ones', () => {
  for (const seed of ['a', 'b', 'uid-1', 'uid-2', '']) {
    const ip = pickClusterIP(seed, new Set())!;
    const parts = ip.split('.').map(Number);
    assert.equal(parts[0], 10);
    assert.ok(parts[1] >= 96 && parts[1] <= 111, ip);
    assert.ok(inServiceRange(ip));
    assert.notEqual(pickClusterIP(seed, new Set([ip])), ip);
  }
  const cases: Array<[string, boolean]> = [['10.96.0.1', true], ['10.111.255.254', true], ['10.112.0.1', false], ['10.95.255.255', false], ['nope', false], ['10.96.0.256', false]];
  for (const [ip, ok] of cases) assert.equal(inServiceRange(ip), ok, ip);
});

test('service validation', () => {
  const errs = (spec: Record<string, unknown>) => services.strategy!.validate!(svc(spec)).map((e) => `${e.path} ${e.type}`);
  assert.deepEqual(errs({ type: 'ClusterIP', ports: [{ port: 80 }] }), []);
  assert.deepEqual(errs({ type: 'ClusterIP', ports: [] }), ['spec.ports FieldValueRequired']);
  assert.deepEqual(errs({ type: 'Bogus', ports: [{ port: 80 }] }), ['spec.type FieldValueNotSupported']);
  assert.deepEqual(errs({ type: 'ClusterIP', ports: [{ port: 0 }] }), ['spec.ports[0].port FieldValueInvalid']);
  assert.deepEqual(errs({ type: 'ClusterIP', ports: [{ port: 80 }, { port: 81 }] }), ['spec.ports[0].name FieldValueRequired', 'spec.ports[1].name FieldValueRequired']);
});
