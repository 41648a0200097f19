import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { cfsslSubject, parseCfsslCsrRequest } from './csr-request.ts';

const input = (name: string) => readFileSync(new URL(`../../../test/fixtures/pki/cfssl-golden/inputs/${name}`, import.meta.url), 'utf8');

test('the seed CA request parses with its ca section', () => {
  const req = parseCfsslCsrRequest(input('aggregator-ca-csr.json'));
  assert.equal(req.CN, 'aggregator');
  assert.deepEqual(req.key, { algo: 'rsa', size: 2048 });
  assert.deepEqual(req.ca, { expiry: '87600h', pathlen: 0, pathlenzero: false });
  assert.deepEqual(cfsslSubject(req), { C: ['CN'], ST: ['BeiJing'], L: ['BeiJing'], O: ['k8s'], OU: ['System'], CN: 'aggregator' });
});

test('the seed leaf request keeps the hosts in order', () => {
  const req = parseCfsslCsrRequest(input('aggregator-csr.json'));
  assert.deepEqual(req.hosts.slice(0, 4), ['127.0.0.1', '10.53.5.94', '10.96.0.1', 'kubernetes']);
  assert.equal(req.ca, undefined);
});

const CASES = [
  { name: 'no key → ecdsa 256', text: '{"CN":"x"}', check: { key: { algo: 'ecdsa', size: 256 } } },
  { name: 'keys in any case', text: '{"cn":"x","KEY":{"ALGO":"rsa","Size":3072},"HOSTS":["h"],"Names":[{"c":"US","o":"a"}]}', check: { CN: 'x', key: { algo: 'rsa', size: 3072 }, hosts: ['h'] } },
  { name: 'two names objects', text: '{"names":[{"C":"CN","O":"a_b"},{"O":"second","OU":"ou2"}]}', check: { subject: { C: ['CN'], ST: [], L: [], O: ['a_b', 'second'], OU: ['ou2'] } } },
  { name: 'null fields are empty', text: '{"CN":null,"hosts":null,"names":null}', check: { CN: '', hosts: [] } },
] as const;

for (const c of CASES) {
  test(`parseCfsslCsrRequest: ${c.name}`, () => {
    const req = parseCfsslCsrRequest(c.text);
    const check: Record<string, unknown> = c.check;
    for (const [k, v] of Object.entries(check)) {
      if (k === 'subject') assert.deepEqual(cfsslSubject(req), v);
      else assert.deepEqual(req[k as keyof typeof req], v);
    }
  });
}

const WRONG = [
  ['{"CN":1}', 'field "CN": expected a string, got number'],
  ['{"hosts":"a"}', 'field "hosts": expected an array, got string'],
  ['{"hosts":[1]}', 'field "hosts[0]": expected a string, got number'],
  ['{"names":[{"O":["a"]}]}', 'field "names[0].O": expected a string, got array'],
  ['{"key":{"size":2048.5}}', 'field "key.size": expected an integer, got number'],
  ['{"ca":{"pathlenzero":"yes"}}', 'field "ca.pathlenzero": expected true or false, got string'],
  ['[]', 'field "(top level)": expected an object, got array'],
] as const;

for (const [text, message] of WRONG) {
  test(`parseCfsslCsrRequest names the field: ${text}`, () => {
    assert.throws(() => parseCfsslCsrRequest(text), { name: 'PkiError', code: 'INVALID_REQUEST', message });
  });
}
