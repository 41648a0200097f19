import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  apiserverAltNames,
  canonicalIp,
  classifyExtraSans,
  controlPlaneEndpointHost,
  dedupeAltNames,
  etcdAltNames,
  firstServiceIp,
  normalizeNodeName,
  type SanConfig,
} from './san.ts';

const BASE: SanConfig = { nodeName: 'k8s-master01', advertiseAddress: '192.168.10.140', serviceCidr: '10.96.0.0/12', dnsDomain: 'cluster.local' };

test('firstServiceIp takes the first address of the first CIDR', () => {
  const cases: [string, string][] = [
    ['10.96.0.0/12', '10.96.0.1'],
    ['10.96.0.5/12', '10.96.0.1'],
    ['10.100.0.0/16', '10.100.0.1'],
    ['172.20.0.0/24', '172.20.0.1'],
    ['10.96.0.0/12,fd00::/108', '10.96.0.1'],
    ['fd00::/108', 'fd00::1'],
    ['fd00:10:96::/112, 10.96.0.0/12', 'fd00:10:96::1'],
    ['10.0.0.0/31', '10.0.0.1'],
  ];
  for (const [cidr, want] of cases) assert.equal(firstServiceIp(cidr), want, cidr);
});

test('firstServiceIp rejects what is not a CIDR', () => {
  for (const bad of ['10.96.0.0', '10.96.0.0/33', 'nope/12', '10.0.0.1/32', '']) {
    assert.throws(() => firstServiceIp(bad), /invalid service CIDR/, bad);
  }
});

test('canonicalIp prints IPs as Go does', () => {
  const cases: [string, string | undefined][] = [
    ['10.0.0.1', '10.0.0.1'],
    ['::1', '::1'],
    ['FD00:0:0:0:0:0:0:1', 'fd00::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['kubernetes', undefined],
    ['10.0.0.256', undefined],
  ];
  for (const [input, want] of cases) assert.equal(canonicalIp(input), want, input);
});

test('apiserver SANs: the worked example of the spec (A.4.1)', () => {
  const got = apiserverAltNames(BASE);
  assert.deepEqual(got.dns, ['k8s-master01', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local']);
  assert.deepEqual(got.ips, ['10.96.0.1', '192.168.10.140']);
  assert.deepEqual(got.warnings, []);
});

test('apiserver SANs: table of options', () => {
  const cases: { name: string; config: Partial<SanConfig>; dns: string[]; ips: string[]; warnings?: number }[] = [
    {
      name: 'node name sorts after kubernetes*',
      config: { nodeName: 'master' },
      dns: ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', 'master'],
      ips: ['10.96.0.1', '192.168.10.140'],
    },
    {
      name: 'dns domain and service CIDR',
      config: { dnsDomain: 'corp.example', serviceCidr: '10.100.0.0/16,fd00::/108' },
      dns: ['k8s-master01', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.corp.example'],
      ips: ['10.100.0.1', '192.168.10.140'],
    },
    {
      name: 'control-plane endpoint DNS name with port',
      config: { controlPlaneEndpoint: 'lb.example.com:6443' },
      dns: ['k8s-master01', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', 'lb.example.com'],
      ips: ['10.96.0.1', '192.168.10.140'],
    },
    {
      name: 'control-plane endpoint IP equal to the advertise address is de-duplicated',
      config: { controlPlaneEndpoint: '192.168.10.140:6443' },
      dns: ['k8s-master01', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'],
      ips: ['10.96.0.1', '192.168.10.140'],
    },
    {
      name: 'extra SANs: IPs, DNS, wildcard, and an invalid one',
      config: { apiserverCertSans: ['10.0.0.9', 'api.example.com', '*.apps.example.com', 'Bad_Name', '::1', 'kubernetes'] },
      dns: ['*.apps.example.com', 'api.example.com', 'k8s-master01', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'],
      ips: ['10.96.0.1', '192.168.10.140', '10.0.0.9', '::1'],
      warnings: 1,
    },
  ];
  for (const c of cases) {
    const got = apiserverAltNames({ ...BASE, ...c.config });
    assert.deepEqual(got.dns, c.dns, c.name);
    assert.deepEqual(got.ips, c.ips, c.name);
    assert.equal(got.warnings.length, c.warnings ?? 0, c.name);
  }
});

test('the dropped extra SAN warning uses kubeadm wording', () => {
  const got = classifyExtraSans(['no_way'], 'apiserver');
  assert.deepEqual(got.dropped.map((d) => d.warning), [
    "[certificates] WARNING: 'no_way' was not added to the 'apiserver' SAN, because it is not a valid IP or RFC-1123 compliant DNS entry",
  ]);
});

test('etcd SANs (A.4.2)', () => {
  const server = etcdAltNames(BASE, 'etcd-server');
  assert.deepEqual(server.dns, ['k8s-master01', 'localhost']);
  assert.deepEqual(server.ips, ['192.168.10.140', '127.0.0.1', '::1']);
  const peer = etcdAltNames({ ...BASE, nodeName: 'zeta', etcdPeerCertSans: ['10.1.1.1', 'peer.local'] }, 'etcd-peer');
  assert.deepEqual(peer.dns, ['localhost', 'peer.local', 'zeta']);
  assert.deepEqual(peer.ips, ['192.168.10.140', '127.0.0.1', '::1', '10.1.1.1']);
});

test('advertise address must be an IP', () => {
  assert.throws(() => apiserverAltNames({ ...BASE, advertiseAddress: 'host' }), /invalid advertise address "host"/);
});

test('controlPlaneEndpointHost strips the port and checks the host', () => {
  const cases: [string, string][] = [
    ['lb.example.com', 'lb.example.com'],
    ['lb.example.com:6443', 'lb.example.com'],
    ['10.0.0.1:443', '10.0.0.1'],
    ['[fd00::1]:6443', 'fd00::1'],
    ['fd00::1', 'fd00::1'],
  ];
  for (const [input, want] of cases) assert.equal(controlPlaneEndpointHost(input), want, input);
  for (const bad of ['https://lb:6443', 'lb:99999', 'LB_host']) {
    assert.throws(() => controlPlaneEndpointHost(bad), /invalid control-plane endpoint/, bad);
  }
});

test('dedupe sorts DNS by bytes and keeps IP order', () => {
  assert.deepEqual(dedupeAltNames({ dns: ['b', 'B', 'a', 'b'], ips: ['10.0.0.2', '10.0.0.1', '10.0.0.2', '0:0::1', '::1'] }), {
    dns: ['B', 'a', 'b'],
    ips: ['10.0.0.2', '10.0.0.1', '::1'],
  });
});

test('normalizeNodeName trims and lower-cases', () => {
  assert.equal(normalizeNodeName('  K8s-Master01\n'), 'k8s-master01');
});
