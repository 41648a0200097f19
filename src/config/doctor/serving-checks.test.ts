import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstServiceIp, normalizeIp } from './serving-checks.ts';

test('firstServiceIp: network address + 1 (kube-apiserver\'s kubernetes Service IP)', () => {
  const CASES: Array<[string, string | undefined]> = [
    ['10.96.0.0/12', '10.96.0.1'],
    ['10.100.7.0/16', '10.100.0.1'],
    ['192.168.1.128/25', '192.168.1.129'],
    ['fd00:10:96::/108', 'fd00:10:96::1'],
    ['2001:DB8::/64', '2001:db8::1'],
    ['not-a-cidr', undefined],
    ['10.0.0.0/33', undefined],
  ];
  for (const [cidr, want] of CASES) assert.equal(firstServiceIp(cidr), want, cidr);
  assert.equal(normalizeIp('2001:0db8:0000:0000:0000:0000:0000:0001'), '2001:db8::1');
});
