import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cfsslHostList, classifyHosts, isDnsName } from './sans.ts';

test('classifyHosts sorts the seed hosts into IP and DNS SANs in input order', () => {
  const sans = classifyHosts(['127.0.0.1', '10.53.5.94', '10.96.0.1', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc']);
  assert.deepEqual(sans, { dns: ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc'], ip: ['127.0.0.1', '10.53.5.94', '10.96.0.1'], email: [], uri: [] });
  assert.deepEqual(cfsslHostList(sans), ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', '127.0.0.1', '10.53.5.94', '10.96.0.1']);
});

const KINDS = [
  ['IPv4', '10.0.0.2', 'ip'],
  ['IPv6', '::1', 'ip'],
  ['e-mail', 'foo@example.com', 'email'],
  ['URI', 'spiffe://x/y', 'uri'],
  ['DNS', 'www.example.com', 'dns'],
  ['wildcard DNS', '*.example.com', 'dns'],
  ['single label', 'localhost', 'dns'],
] as const;

for (const [name, host, kind] of KINDS) {
  test(`classifyHosts: ${name} ${host} → ${kind}`, () => {
    assert.deepEqual(classifyHosts([host])[kind], [host]);
  });
}

const BAD = ['foo bar', 'a..b', '-leading.example', 'trailing-.example', '', 'x'.repeat(64), 'a*.example.com', 'ünï.example'];

for (const host of BAD) {
  test(`classifyHosts rejects ${JSON.stringify(host)}, naming it`, () => {
    assert.throws(() => classifyHosts(['ok.example', host]), { name: 'PkiError', code: 'INVALID_HOST', message: new RegExp(`host ${JSON.stringify(host).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is neither`) });
  });
}

test('isDnsName accepts a 253-character name and rejects 254', () => {
  const label = 'a'.repeat(63);
  const name253 = `${label}.${label}.${label}.${'b'.repeat(61)}`;
  assert.equal(name253.length, 253);
  assert.equal(isDnsName(name253), true);
  assert.equal(isDnsName(`${name253}c`), false);
});
