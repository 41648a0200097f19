// ipFamily answers what node:net's isIP answers: a table of edge cases, then random
// addresses and strings built from IP-ish characters.
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { test } from 'node:test';
import { ipFamily } from './ip.ts';

const CASES = [
  '10.96.0.1', '0.0.0.0', '255.255.255.255', '256.1.1.1', '01.2.3.4', '1.2.3', '1.2.3.4.5', ' 1.2.3.4', '1.2.3.4 ',
  '::', '::1', '1::', 'fd00::10:2', '2001:db8:0:0:1:0:0:1', '2001:db8::1::1', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::',
  '::1:2:3:4:5:6:7', '1:2:3:4:5:6:7', ':1::', '1:::2', '12345::', 'g::1', '::ffff:1.2.3.4', '::ffff:1.2.3', '1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:7:1.2.3.4',
  '::1.2.3.4', '1.2.3.4::', 'fe80::1%eth0', 'fe80::1%', 'fe80::1%a b', '1.2.3.4%eth0', '', ':', ':::', 'localhost', '[::1]', '::ffff:01.2.3.4',
];

test('the edge cases', () => {
  for (const c of CASES) assert.equal(ipFamily(c), isIP(c), JSON.stringify(c));
});

test('random IPv4 and IPv6 addresses, in every text form', () => {
  fc.assert(fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV4Extended()), (ip) => ipFamily(ip) === isIP(ip)), { numRuns: 2000 });
});

test('random strings of IP characters', () => {
  const chars = fc.constantFrom(...'0123456789abcdefABCDEFg:.%-'.split(''));
  fc.assert(fc.property(fc.string({ unit: chars, maxLength: 24 }), (s) => ipFamily(s) === isIP(s)), { numRuns: 5000 });
});

test('random sequences of IP tokens', () => {
  const token = fc.constantFrom('::', ':', '.', '0', '1', '01', '9', 'ff', 'FFFF', 'abcd', '12345', '255', '256', '1.2.3.4', '%eth0', '%', 'g');
  fc.assert(fc.property(fc.array(token, { maxLength: 12 }), (parts) => {
    const s = parts.join('');
    return ipFamily(s) === isIP(s);
  }), { numRuns: 20000 });
});
